"""The statistics dashboard in a real browser on a 360 px phone, in Malay and English: the
country, a state and a district, by count and by rate, with hidden counts on the page; each
answers 200 in the right language with one `h1`, fits the screen (map and chart included), has a
clean console and network, and no serious or critical axe-core violation. The Sepang demo has
the press release's figures (seed_demo); the test adds monthly figures with small counts."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Page

from .checks import Findings, axe_blocking, axe_report, fits, page_widths
from .conftest import LANGUAGES, MOBILE_VIEWPORT, DemoSite, PageProblems

pytestmark = pytest.mark.browser

WIDTH = MOBILE_VIEWPORT["width"]
COLUMNS = ["period_start", "period_end", "state", "district", "category", "count", "source"]
MONTHS = [("2023-01-01", "2023-01-31"), ("2023-02-01", "2023-02-28"), ("2023-03-01", "2023-03-31")]
#: Monthly 'elderly' figures of Selangor's districts: small ones, to be hidden from the public.
COUNTS = {"10_1": [12, 9, 15], "10_7": [2, 0, 7], "10_8": [6, 3, 11], "10_9": [20, 18, 25]}
PAGES = (
    "/statistik/",
    "/statistik/?category=elderly&start=2023-01&end=2023-03",
    "/statistik/?category=elderly&start=2023-01&end=2023-03&area=10&measure=rate",
    "/statistik/?category=elderly&start=2023-01&end=2023-03&area=10_7",
    "/statistik/?category=child_protection&start=2023-01&end=2023-06&area=10",
)


def _import_small_figures(folder: Path) -> None:
    path = folder / "warga-emas-2023.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for district, counts in COUNTS.items():
            for (start, end), count in zip(MONTHS, counts, strict=True):
                writer.writerow([start, end, "10", district, "elderly", count, "JKM (ujian)"])
    call_command("import_statistics", str(path), verbosity=0)


def test_the_dashboard_on_a_phone_in_both_languages(
    mobile_page: Page, demo: DemoSite, problems: PageProblems, tmp_path: Path
) -> None:
    from django.core.cache import cache

    cache.clear()
    _import_small_figures(tmp_path)
    findings = Findings(f"statistics, {WIDTH} px")
    for language in LANGUAGES:
        for template in PAGES:
            path = ("" if language == "ms" else "/en") + template
            response: Any = mobile_page.goto(demo.base_url + path, wait_until="networkidle")
            findings.check(
                response is not None and response.status == 200,
                f"{path}: {response and response.status}",
            )
            lang = mobile_page.locator("html").get_attribute("lang")
            findings.check(lang == language, f"{path}: lang={lang}")
            findings.check(mobile_page.locator("main h1").count() == 1, f"{path}: not one h1")
            findings.check(mobile_page.locator("svg.stats-map path").count() > 0, f"{path}: no map")
            for picture in ("svg.stats-map", ".stats-chart svg"):
                box = mobile_page.locator(picture).first.bounding_box()
                findings.check(
                    box is None or box["x"] + box["width"] <= WIDTH,
                    f"{path}: {picture} wider than the screen: {box}",
                )
            widths = page_widths(mobile_page, WIDTH)
            findings.check(fits(widths, WIDTH), f"{path}: wider than {WIDTH} px: {widths}")
            blocking = axe_blocking(mobile_page)
            findings.check(not blocking, f"{path}: axe-core:\n{axe_report(blocking)}")
            findings.check(not problems.report(), f"{path}: {problems.report()}")
            problems.clear()
    # Sepang's 2 in January is hidden from the public, in the table and on the chart.
    mobile_page.goto(demo.base_url + "/en" + PAGES[3], wait_until="networkidle")
    month = mobile_page.locator("#caption-official-months").locator("xpath=..")
    findings.check(
        "not disclosed" in month.inner_text(), "Sepang's January is not hidden from the public"
    )
    findings.assert_none()


def test_the_map_drills_down_without_javascript(
    page_without_js: Page, demo: DemoSite, problems: PageProblems
) -> None:
    page_without_js.goto(
        demo.base_url + "/en/statistik/?category=child_protection&start=2023-01&end=2023-06",
        wait_until="networkidle",
    )
    page_without_js.locator("svg.stats-map a[aria-label^='Selangor']").click()
    page_without_js.wait_for_load_state("networkidle")
    assert "area=10" in page_without_js.url
    assert page_without_js.locator("main h1").inner_text().endswith("Selangor")
    page_without_js.get_by_role("link", name="Sepang").first.click()
    page_without_js.wait_for_load_state("networkidle")
    assert page_without_js.locator("main h1").inner_text().endswith("Sepang")
    assert page_without_js.locator('td[data-key="total"]').first.inner_text() == "58"
    problems.assert_none()
