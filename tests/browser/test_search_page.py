"""The search page in a real browser: without JavaScript, with htmx, near me, the map, axe-core and
a small phone, on the Sepang demo.

No test reaches the network: map tiles (another server) are answered by the test, with an error,
so the map is seen to fail gracefully while the list stays usable.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Browser, Geolocation, Page, expect

from .checks import axe_blocking
from .conftest import LANGUAGES, MOBILE_VIEWPORT, DemoSite, PageProblems

pytestmark = pytest.mark.browser

SALAK_TINGGI: Geolocation = {"latitude": 2.816, "longitude": 101.733}
NEAR = "lat=2.816&lon=101.733"
TILE_HOST = urlsplit(settings.MAP_TILE_URL).netloc
CARD = "#results li.card.result"
# The checkbox itself is small; its label is the target.
TOUCH_TARGETS = (
    "#search-form input:not([type=hidden]):not([type=checkbox]), #search-form select,"
    " #search-form button, #search-form label[for=id_buka], #map-toggle, #clear-location,"
    " .pagination a"
)


def _url(demo: DemoSite, language: str, query: str = "") -> str:
    with translation.override(language):
        path = reverse("directory:search")
    return demo.base_url + path + (f"?{query}" if query else "")


def _text(language: str, message: str) -> str:
    with translation.override(language):
        return gettext(message)


def _refuse_tiles(page: Page) -> None:
    """Map tiles come from another server: answer them here, as a failure."""
    page.route(re.compile(rf"^https?://{re.escape(TILE_HOST)}/"), lambda route: route.abort())


def _ignore_tile_failures(problems: PageProblems) -> None:
    for items in (problems.failed_requests, problems.console_errors):
        items[:] = [item for item in items if TILE_HOST not in item]


def _blocking_axe_violations(page: Page) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(", ".join(map(str, node["target"])) for node in v["nodes"][:3])
        for v in axe_blocking(page)
    ]


def _distances(page: Page) -> list[float]:
    texts = page.locator(f"{CARD} .distance").all_text_contents()
    return [float(re.search(r"[\d.]+", text).group()) for text in texts]  # type: ignore[union-attr]


def test_search_works_without_javascript(
    page_without_js: Page, problems: PageProblems, demo: DemoSite
) -> None:
    page = page_without_js
    page.goto(_url(demo, "ms"))
    for hidden in ("#near-me", "#locate", "#map-tools"):
        expect(page.locator(hidden)).to_be_hidden()
    page.fill("#id_q", "klinik")
    page.select_option("#id_kawasan", "10_7")
    with page.expect_navigation():
        page.click("#search-form button[type=submit]")
    query = parse_qs(urlsplit(page.url).query)
    assert query["q"] == ["klinik"] and query["kawasan"] == ["10_7"]
    expect(page.locator(CARD).first).to_be_visible()
    assert "lat" not in query and "jarak" not in query, "empty place fields were sent"

    # A place in the link (shared from a phone that found it) works without JavaScript too.
    page.goto(_url(demo, "ms", NEAR))
    distances = _distances(page)
    assert distances and distances == sorted(distances)
    expect(page.locator("#near-status")).to_be_visible()
    with page.expect_navigation():
        page.click("#clear-location")
    assert "lat" not in parse_qs(urlsplit(page.url).query)
    problems.assert_none()


def test_search_with_htmx_updates_in_place_and_leaves_focus_alone(
    page: Page, problems: PageProblems, demo: DemoSite
) -> None:
    page.goto(_url(demo, "en"), wait_until="networkidle")
    assert page.evaluate("() => !window.htmx"), "htmx was loaded before anyone used the form"
    page.focus("#id_q")
    page.wait_for_function("() => !!window.htmx")
    page.evaluate("() => { window.__samePage = true; }")

    page.fill("#id_q", "klinik")
    with page.expect_response(
        lambda r: "q=klinik" in r.url and r.request.headers.get("hx-request") == "true"
    ):
        page.press("#id_q", "Enter")
    expect(page.locator(CARD).first).to_be_visible()
    expect(page.locator("#search-status")).to_contain_text(re.compile(r"\d+ results?"))
    assert page.evaluate("() => document.activeElement.id") == "id_q"

    # A filter chosen with the keyboard searches once the choice settles; focus stays on it.
    page.focus("#id_kumpulan")
    with page.expect_response(lambda r: "kumpulan=elderly" in r.url):
        page.select_option("#id_kumpulan", "elderly")
    page.wait_for_function("() => location.search.includes('kumpulan=elderly')")
    assert page.evaluate("() => document.activeElement.id") == "id_kumpulan"

    # A page link is inside the list it replaces: focus goes to the new results' heading.
    next_link = page.locator("#results a[rel=next]")
    if next_link.count():
        with page.expect_response(lambda r: "page=2" in r.url):
            next_link.click()
        page.wait_for_function("() => document.activeElement.id === 'results-head'")
    assert page.evaluate("() => window.__samePage === true"), "the page was reloaded"
    expect(page.locator("main h1")).to_have_count(1)
    problems.assert_none()


@pytest.fixture
def located_page(browser: Browser, problems: PageProblems) -> Iterator[Page]:
    """A phone in Bandar Baru Salak Tinggi whose owner lets the site know where it is."""
    context = browser.new_context(geolocation=SALAK_TINGGI, permissions=["geolocation"])
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems.watch(page)
    yield page
    context.close()


def test_use_my_location_lists_nearest_first_and_can_be_cleared(
    located_page: Page, problems: PageProblems, demo: DemoSite
) -> None:
    page = located_page
    page.goto(_url(demo, "ms"), wait_until="networkidle")
    expect(page.locator("#locate")).to_be_visible()
    expect(page.locator("#field-jarak")).to_be_hidden()
    page.click("#locate")
    page.wait_for_function("() => location.search.includes('lat=2.816')")
    expect(page.locator(f"{CARD} .distance").first).to_be_visible()
    distances = _distances(page)
    assert distances == sorted(distances) and distances[-1] <= 25
    expect(page.locator("#near-status")).to_be_visible()
    expect(page.locator("#results-head")).to_contain_text(_text("ms", "Nearest first"))

    page.click("#clear-location")
    page.wait_for_function("() => !location.search.includes('lat=')")
    expect(page.locator("#near-status")).to_be_hidden()
    assert page.evaluate("() => document.activeElement.id") == "locate"
    problems.assert_none()


def test_a_refused_location_is_explained(
    page: Page, problems: PageProblems, demo: DemoSite
) -> None:
    page.context.clear_permissions()
    page.goto(_url(demo, "en"), wait_until="networkidle")
    page.click("#locate")
    message = _text(
        "en",
        "Your location was not shared, so the search cannot use it. You can still choose an area "
        "above.",
    )
    expect(page.locator("#locate-message")).to_have_text(message)
    assert "lat=" not in page.url
    problems.assert_none()


def test_the_map_loads_only_when_asked_and_the_list_survives_failed_tiles(
    page: Page, problems: PageProblems, demo: DemoSite
) -> None:
    _refuse_tiles(page)
    leaflet: list[str] = []
    page.on("request", lambda r: leaflet.append(r.url) if "leaflet" in r.url else None)
    page.goto(_url(demo, "ms", NEAR), wait_until="networkidle")
    assert leaflet == [], "Leaflet was fetched before anyone asked for the map"
    toggle = page.locator("#map-toggle")
    expect(toggle).to_be_visible()
    toggle.click()
    expect(page.locator("#map.leaflet-container")).to_be_visible()
    assert any(url.endswith(".js") for url in leaflet) and any(u.endswith(".css") for u in leaflet)
    expect(toggle).to_have_attribute("aria-expanded", "true")
    positions = page.locator(f"{CARD}[data-points]").evaluate_all(
        "cards => new Set(cards.flatMap(c => c.dataset.points.split(';'))).size"
    )
    expect(page.locator("#map .leaflet-marker-icon")).to_have_count(positions)
    expect(page.locator("#map-message")).to_have_text(
        _text("ms", "The map images could not be loaded. The list below has every result.")
    )
    # The markers lead to the services; the list is still there and works.
    marker = page.locator("#map .leaflet-marker-icon").first
    marker.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#map .leaflet-popup-content a").first).to_be_visible()
    first = page.locator(f"{CARD} h3 a").first
    expect(first).to_be_visible()
    toggle.click()
    expect(page.locator("#map")).to_be_hidden()
    with page.expect_navigation():
        first.click()
    assert "/perkhidmatan/" in page.url
    _ignore_tile_failures(problems)
    problems.assert_none()


@pytest.mark.parametrize("language", LANGUAGES)
def test_axe_and_a_small_phone(
    browser: Browser, problems: PageProblems, demo: DemoSite, language: str
) -> None:
    context = browser.new_context(
        viewport=MOBILE_VIEWPORT, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    problems.watch(page)
    _refuse_tiles(page)
    failures: list[str] = []
    for query in ("", f"q=klinik&{NEAR}", "q=zzqxvy&kawasan=10_7", "lat=95&lon=1"):
        page.goto(_url(demo, language, query), wait_until="networkidle")
        if query.startswith("q=klinik"):
            page.click("#map-toggle")
            expect(page.locator("#map.leaflet-container")).to_be_visible()
        failures += [f"{query or 'empty'}: {v}" for v in _blocking_axe_violations(page)]
        width = page.evaluate(
            "() => Math.max(window.innerWidth, document.documentElement.scrollWidth,"
            " document.body.scrollWidth)"
        )
        if width > MOBILE_VIEWPORT["width"]:
            failures.append(f"{query or 'empty'}: {width} px wide on a 360 px screen")
        small = page.evaluate(
            """(selector) => [...document.querySelectorAll(selector)]
                .filter(e => e.offsetParent !== null)
                .map(e => [e.id || e.tagName, e.getBoundingClientRect().height])
                .filter(([, h]) => h < 44)""",
            TOUCH_TARGETS,
        )
        failures += [f"{query or 'empty'}: {name} is {h:.0f} px tall" for name, h in small]
    _ignore_tile_failures(problems)
    context.close()
    assert not failures, "\n".join(failures)
    problems.assert_none()
