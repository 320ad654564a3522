"""Fixtures of the end-to-end tests: Debian's chromium driven by Playwright against `live_server`.

Every test gets a fresh database (`transactional_db`, which `live_server` implies) loaded with the
Sepang demo (`manage.py seed_demo` once, then a copy of what it wrote: snapshot.py), a new browser
page with an empty cache, and a record of every console error, uncaught exception, failed request
and unexpected HTTP error on that page.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

import pytest

# Playwright's sync API runs an asyncio event loop in the test thread, so Django believes that the
# ORM calls the tests make while a page is open come from async code, and raises
# SynchronousOnlyOperation. Nothing here is async: the test thread and the live server's threads
# each use their own connection. Test-only: never set this in the application.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    Response,
    ViewportSize,
    sync_playwright,
)

from .chromium import CHROMIUM, CHROMIUM_ARGS
from .snapshot import Snapshot

LANGUAGES = ("ms", "en")
MOBILE_VIEWPORT: ViewportSize = {"width": 360, "height": 740}
NOT_FOUND_PATH = "halaman-yang-tiada-langsung/"


@pytest.fixture(scope="session")
def live_server(request: pytest.FixtureRequest) -> Iterator[Any]:
    """pytest-django's live server, with the static files served as in production.

    pytest-django serves /static/ through staticfiles' finders, which know nothing of the hashed
    names the production storage puts in the pages (site.<hash>.css): every stylesheet would be a
    404. Here the server passes /static/ on to the application, where WhiteNoise serves the files
    the session's `collectstatic` wrote (root conftest.py), compressed, as `make serve` does.
    """
    from pytest_django.live_server_helper import LiveServer

    address = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(address, start=False)
    server.thread.static_handler = _PassStaticToTheApplication
    server.start()
    yield server
    server.stop()


class _PassStaticToTheApplication(WSGIHandler):
    """Stands where LiveServerThread puts its static files handler, and serves nothing itself."""

    def __init__(self, application: WSGIHandler) -> None:
        self.application = application

    def __call__(self, environ: Any, start_response: Any) -> Any:
        return self.application(environ, start_response)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"The browser tests need Chromium at {CHROMIUM}: run scripts/ensure-test-tools "
            "(Debian: apt-get install chromium) or set CHROMIUM=/path/to/chromium."
        )
    instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield instance
    instance.close()


@dataclass
class PageProblems:
    """What went wrong while a page was open. Every list must stay empty."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    error_responses: list[str] = field(default_factory=list)
    # The one error response a test expects (the 404 page's own document), and the console line
    # Chromium writes about it.
    expected_status: dict[str, int] = field(default_factory=dict)

    def watch(self, page: Page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("requestfailed", self._on_request_failed)
        page.on("response", self._on_response)

    def expect(self, url: str, status: int) -> None:
        self.expected_status[url] = status

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        location = message.location or {}
        url = location.get("url", "")
        if urlsplit(url).path == "/favicon.ico":
            # Chromium asks for it once per browser, so only whichever test came first would see
            # it; the home page tests check the site icon on every run instead.
            return
        expected = self.expected_status.get(url)
        if expected is not None and message.text.startswith(
            f"Failed to load resource: the server responded with a status of {expected}"
        ):
            return
        self.console_errors.append(f"{message.text} (at {url}:{location.get('lineNumber', '?')})")

    def _on_request_failed(self, request: Request) -> None:
        self.failed_requests.append(f"{request.method} {request.url}: {request.failure}")

    def _on_response(self, response: Response) -> None:
        if response.status < 400:
            return
        if self.expected_status.get(response.url) == response.status:
            return
        self.error_responses.append(f"{response.request.method} {response.url} → {response.status}")

    def report(self) -> str:
        parts = []
        for title, items in (
            ("console errors", self.console_errors),
            ("uncaught exceptions", self.page_errors),
            ("failed requests", self.failed_requests),
            ("unexpected error responses", self.error_responses),
        ):
            if items:
                parts.append(f"{title}:\n  " + "\n  ".join(items))
        return "\n".join(parts)

    def clear(self) -> None:
        for items in (
            self.console_errors,
            self.page_errors,
            self.failed_requests,
            self.error_responses,
        ):
            items.clear()

    def assert_none(self) -> None:
        report = self.report()
        assert not report, "The page had problems:\n" + report


def _new_page(context: BrowserContext, problems: PageProblems) -> Page:
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems.watch(page)
    return page


@pytest.fixture
def problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh context (empty cache, no cookies) with JavaScript on."""
    ctx = browser.new_context()
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext, problems: PageProblems) -> Page:
    return _new_page(context, problems)


@pytest.fixture
def page_without_js(browser: Browser, problems: PageProblems) -> Iterator[Page]:
    ctx = browser.new_context(java_script_enabled=False)
    yield _new_page(ctx, problems)
    ctx.close()


@pytest.fixture
def mobile_page(browser: Browser, problems: PageProblems) -> Iterator[Page]:
    ctx = browser.new_context(
        viewport=MOBILE_VIEWPORT, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    yield _new_page(ctx, problems)
    ctx.close()


@dataclass(frozen=True)
class DemoSite:
    """The live server and the paths of the pages the tests visit, in both languages."""

    base_url: str
    paths: dict[str, dict[str, str]]
    search_word: str

    def url(self, page: str, language: str) -> str:
        return self.base_url + self.paths[page][language]


@pytest.fixture(scope="session")
def _seeded() -> dict[str, Snapshot]:
    """The seeded database of the session's first browser test, kept for the others."""
    return {}


@pytest.fixture
def demo(live_server: Any, settings: Any, _seeded: dict[str, Snapshot]) -> DemoSite:
    """The Sepang demo in a fresh database, served by the live server: seeded by the first test
    (`manage.py seed_demo`), put back from a snapshot for every later one (snapshot.py)."""
    # seed_demo hashes the demo administrator's password: a fast hasher (tests only) saves about a
    # second on every test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if "demo" in _seeded:
        _seeded["demo"].restore()
    else:
        call_command("seed_demo", verbosity=0)
        _seeded["demo"] = Snapshot.take()
    return _demo_site(live_server.url)


def _demo_site(base_url: str) -> DemoSite:
    from direktori.areas.models import Area
    from direktori.directory.models import Organization, Service, TaxonomyTerm

    sepang = Area.objects.get(code="10_7")
    services = Service.objects.active().filter(organization__area__path__startswith=sepang.path)
    service = services.filter(organization__kind=Organization.Kind.CBO).order_by("name").first()
    service = service or services.order_by("name").first()
    assert service is not None, "seed_demo created no active service in Sepang"
    organization = service.organization
    group = (
        TaxonomyTerm.objects.target_groups()
        .filter(services__in=Service.objects.active())
        .order_by("position")
        .first()
    )
    assert group is not None, "seed_demo put no active service in any target group"
    word = max(service.name.split(), key=len)

    paths: dict[str, dict[str, str]] = {}
    for language in LANGUAGES:
        with translation.override(language):
            pages = {
                "home": reverse("directory:home"),
                "area_index": reverse("directory:area_index"),
                "district": sepang.get_absolute_url(),
                "target_group": reverse("directory:target_group_detail", args=[group.code]),
                "organisation": organization.get_absolute_url(),
                "service": service.get_absolute_url(),
                "search": reverse("directory:search") + f"?q={quote(word)}",
            }
            prefix = reverse("directory:home")
            pages["not_found"] = prefix + NOT_FOUND_PATH
        for name, path in pages.items():
            paths.setdefault(name, {})[language] = path
    return DemoSite(base_url=base_url, paths=paths, search_word=word)
