"""Printing public pages (issue 9): an organisation, a service and a page of search results, printed
by Chromium as A4 with the site's print stylesheet, fit on one page, keep the entry's name and
phone, and leave out the navigation, the footer's links and the search form."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page

from .conftest import LANGUAGES, DemoSite, PageProblems

pytestmark = pytest.mark.browser

PAGES = ("organisation", "service", "search")
#: Where to keep the printouts for a look (BROWSER_PRINT_DIR=/tmp/prints), when set.
KEEP = os.environ.get("BROWSER_PRINT_DIR")


def _poppler(tool: str, pdf: Path) -> str:
    done = subprocess.run(  # noqa: S603 -- poppler-utils on a file this test wrote
        [f"/usr/bin/{tool}", str(pdf), *(["-"] if tool == "pdftotext" else [])],
        capture_output=True,
        check=True,
        text=True,
    )
    return done.stdout


def _printed(page: Page, tmp_path: Path, name: str, language: str) -> tuple[int, str]:
    page.emulate_media(media="print")
    pdf = tmp_path / f"{name}-{language}.pdf"
    page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True, print_background=True)
    if KEEP:
        Path(KEEP).mkdir(parents=True, exist_ok=True)
        (Path(KEEP) / pdf.name).write_bytes(pdf.read_bytes())
    info = dict(line.split(":", 1) for line in _poppler("pdfinfo", pdf).splitlines() if ":" in line)
    return int(info["Pages"]), " ".join(_poppler("pdftotext", pdf).split())


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages_print_on_one_a4_page(
    page: Page, demo: DemoSite, problems: PageProblems, tmp_path: Path, language: str
) -> None:
    failures: list[str] = []
    for name in PAGES:
        page.emulate_media(media="screen")
        response = page.goto(demo.url(name, language), wait_until="networkidle")
        assert response is not None and response.status == 200, name
        organisation = page.locator("h1").inner_text().strip()
        if name != "organisation":
            organisation = page.locator(".org a, .result .org").first.inner_text().strip()
        organisation = organisation.removeprefix("Provided by").removeprefix("Disediakan oleh")
        phone = page.locator(".phones .num").first.inner_text().strip()
        left_out = [
            page.locator(".site-nav a[href*='/akaun/masuk/']").inner_text().strip(),
            page.locator(".lang-switch").inner_text().strip(),
            page.locator(".site-footer a").last.inner_text().strip(),  # the privacy notice
        ]
        if name == "search":
            left_out.append(page.locator("#search-form label").first.inner_text().strip())

        pages, text = _printed(page, tmp_path, name, language)

        if pages != 1:
            failures.append(f"{name}: {pages} pages")
        for wanted in (organisation.strip(), phone):
            if " ".join(wanted.split()) not in text:
                failures.append(f"{name}: {wanted!r} is not in the printout")
        for unwanted in left_out:
            if unwanted in text:
                failures.append(f"{name}: {unwanted!r} (screen only) is in the printout")
    assert failures == []
    problems.assert_none()
