"""Smoke tests of the public pages in a real browser, in Malay (`/…`) and English (`/en/…`).

Each public page must load cleanly (right status, right `lang`, the emergency strip, no console
error, no failed request), pass axe-core without serious or critical violations, and switch to the
same page in the other language. Search must work with and without JavaScript, the skip link must
be the first stop of the keyboard, and small phones must not scroll sideways.

Seeding the demo for a test takes a few seconds, so a page's checks share one test: every check
runs, and the test fails with the list of all that failed.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from playwright.sync_api import Locator, Page, expect

from .checks import Findings, axe_blocking, axe_report, fits, page_widths
from .conftest import LANGUAGES, MOBILE_VIEWPORT, DemoSite, PageProblems

pytestmark = pytest.mark.browser

PAGES = (
    "home",
    "area_index",
    "district",
    "target_group",
    "organisation",
    "service",
    "search",
    "not_found",
)
# Keyboard and small-screen checks: one test each, over both languages (seeding is the slow part).
PAGES_FOR_LAYOUT = [(name, language) for name in ("home", "service") for language in LANGUAGES]
OTHER = {"ms": "en", "en": "ms"}
SEARCH_BOX = "main form[role=search] input[name=q]"
MOBILE_WIDTH = MOBILE_VIEWPORT["width"]


def _expected_status(name: str) -> int:
    return 404 if name == "not_found" else 200


def _open(page: Page, problems: PageProblems, demo: DemoSite, name: str, language: str) -> int:
    url = demo.url(name, language)
    expected = _expected_status(name)
    if expected != 200:
        problems.expect(url, expected)
    response = page.goto(url, wait_until="networkidle")
    assert response is not None, f"no response for {url}"
    return response.status


def _path_and_query(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _html_lang(page: Page) -> str | None:
    return page.locator("html").get_attribute("lang")


def _skip_link_text(page: Page) -> str:
    skip = page.locator('a[href="#main"]')
    return " ".join((skip.first.text_content() or "").split()) if skip.count() else ""


def _emergency_strip_comes_first(page: Page) -> bool:
    return bool(
        page.evaluate(
            """() => {
                const strip = document.querySelector('a[href="tel:999"]');
                const main = document.querySelector("main");
                return !!strip && !!main && !main.contains(strip)
                    && !!(strip.compareDocumentPosition(main) & Node.DOCUMENT_POSITION_FOLLOWING);
            }"""
        )
    )


def _check_site_icon(page: Page, findings: Findings) -> None:
    """Browsers ask every site for an icon; without one, first visits log a 404 console error."""
    declared = page.locator('link[rel~="icon"]')
    href = (declared.first.get_attribute("href") if declared.count() else None) or "/favicon.ico"
    if href.startswith("data:"):
        return
    response = page.request.get(urljoin(page.url, href))
    findings.check(
        response.ok,
        f"site icon: {href} answered {response.status}; the pages declare no "
        '<link rel="icon">, so browsers fetch /favicon.ico and log a 404 console error',
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
def test_public_page(
    page: Page, problems: PageProblems, demo: DemoSite, name: str, language: str
) -> None:
    """Status, lang, emergency strip, clean console and network, axe-core, language switch."""
    path = demo.paths[name][language]
    findings = Findings(f"{name} page {path}")
    expected = _expected_status(name)

    status = _open(page, problems, demo, name, language)
    findings.check(status == expected, f"status {status}, expected {expected}")
    findings.check(
        _html_lang(page) == language, f'<html lang="{_html_lang(page)}">, expected "{language}"'
    )
    for number in ("999", "15999"):
        link = page.locator(f'body > :not(main) a[href="tel:{number}"]').first
        findings.check(link.is_visible(), f"no visible emergency link to tel:{number}")
    findings.check(
        _emergency_strip_comes_first(page), "the emergency numbers do not come before <main>"
    )
    headings = page.locator("main h1").count()
    findings.check(headings == 1, f"{headings} <h1> in <main>, expected 1")

    blocking = axe_blocking(page)
    findings.check(
        not blocking, "axe-core: serious or critical violations:\n" + axe_report(blocking)
    )
    if name == "home":
        _check_site_icon(page, findings)
    findings.check(not problems.report(), problems.report())
    problems.clear()

    # The language switch leads to the same page in the other language.
    other = OTHER[language]
    switch = page.locator(f'a[hreflang="{other}"]')
    findings.check(
        switch.count() == 1, f'{switch.count()} links with hreflang="{other}", expected 1'
    )
    if switch.count():
        skip_text = _skip_link_text(page)
        href = switch.first.get_attribute("href")
        expected_path = demo.paths[name][other]
        if expected != 200:
            problems.expect(demo.url(name, other), expected)
        with page.expect_navigation() as navigation:
            switch.first.click()
        response = navigation.value
        findings.check(
            _path_and_query(page.url) == expected_path,
            f"the language switch (href {href}) led to "
            f"{_path_and_query(page.url)}, expected {expected_path}",
        )
        findings.check(
            response is not None and response.status == expected,
            f"after the language switch: status {response and response.status}, "
            f"expected {expected}",
        )
        findings.check(
            _html_lang(page) == other,
            f'after the language switch: <html lang="{_html_lang(page)}">, expected "{other}"',
        )
        findings.check(
            _skip_link_text(page) != skip_text,
            f"the {language} and {other} pages read the same (skip link “{skip_text}” in both): "
            "one of them is not translated",
        )
        findings.check(not problems.report(), "after the language switch: " + problems.report())

    findings.assert_none()


def _result_link(page: Page, demo: DemoSite, language: str) -> Locator:
    return page.locator(f'#results a[href="{demo.paths["service"][language]}"]').first


def _search_page(demo: DemoSite, language: str) -> str:
    return demo.base_url + demo.paths["search"][language].split("?")[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_search_works_without_javascript(
    page_without_js: Page, problems: PageProblems, demo: DemoSite, language: str
) -> None:
    page = page_without_js
    page.goto(_search_page(demo, language))
    page.fill(SEARCH_BOX, demo.search_word)
    with page.expect_navigation():
        page.press(SEARCH_BOX, "Enter")

    parts = urlsplit(page.url)
    assert parts.path == urlsplit(_search_page(demo, language)).path
    assert parse_qs(parts.query).get("q") == [demo.search_word]
    expect(_result_link(page, demo, language)).to_be_visible()
    problems.assert_none()


@pytest.mark.parametrize("language", LANGUAGES)
def test_search_with_javascript_swaps_results_in_place(
    page: Page, problems: PageProblems, demo: DemoSite, language: str
) -> None:
    page.goto(_search_page(demo, language), wait_until="networkidle")
    page.focus(SEARCH_BOX)  # htmx is fetched on first use, not with the page (ADR 0004)
    page.wait_for_function("() => !!window.htmx")
    # A full page load would drop this marker; an htmx swap keeps it.
    page.evaluate("() => { window.__stillTheSamePage = true; }")
    htmx_requests: list[str] = []
    page.on(
        "request",
        lambda request: (
            htmx_requests.append(request.url)
            if request.headers.get("hx-request") == "true"
            else None
        ),
    )

    page.fill(SEARCH_BOX, demo.search_word)
    with page.expect_response(lambda response: "q=" in response.url) as swap:
        page.press(SEARCH_BOX, "Enter")
    assert swap.value.ok
    expect(_result_link(page, demo, language)).to_be_visible()

    assert page.evaluate("() => window.__stillTheSamePage === true"), "the page was reloaded"
    assert htmx_requests, "the results did not come from an htmx request"
    page.wait_for_function("() => location.search.includes('q=')")
    assert parse_qs(urlsplit(page.url).query).get("q") == [demo.search_word]
    expect(page.locator("main h1")).to_have_count(1)
    expect(page.locator("#results #results")).to_have_count(0)
    problems.assert_none()


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(
    page: Page, problems: PageProblems, demo: DemoSite
) -> None:
    findings = Findings("skip link")
    for name, language in PAGES_FOR_LAYOUT:
        where = f"{name} ({language})"
        _open(page, problems, demo, name, language)
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const e = document.activeElement;"
            " return [e.tagName, e.getAttribute('href')]; }"
        )
        if focused != ["A", "#main"]:
            findings.check(False, f"{where}: the first Tab stop is {focused}, not the skip link")
            continue
        shown = page.evaluate(
            """() => {
                const r = document.activeElement.getBoundingClientRect();
                return r.width > 1 && r.height > 1 && r.top >= 0 && r.left >= 0
                    && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
            }"""
        )
        findings.check(shown, f"{where}: the focused skip link is not shown on screen")
        page.keyboard.press("Enter")
        page.wait_for_timeout(100)
        active = page.evaluate("() => document.activeElement && document.activeElement.tagName")
        findings.check(
            active == "MAIN", f"{where}: after Enter the focus is on {active}, not <main>"
        )
    findings.check(not problems.report(), problems.report())
    findings.assert_none()


def test_no_horizontal_scroll_on_a_small_phone(
    mobile_page: Page, problems: PageProblems, demo: DemoSite
) -> None:
    page = mobile_page
    findings = Findings("360 × 740 viewport")
    for name, language in PAGES_FOR_LAYOUT:
        _open(page, problems, demo, name, language)
        widths = page_widths(page, MOBILE_WIDTH)
        findings.check(
            fits(widths, MOBILE_WIDTH),
            f"{name} ({demo.paths[name][language]}) is wider than {MOBILE_WIDTH} px: {widths}",
        )
    findings.check(not problems.report(), problems.report())
    findings.assert_none()
