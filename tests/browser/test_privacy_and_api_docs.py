"""The privacy notice and the API documentation in a real browser: axe-core, a clean console
(a script or style the CSP blocks is a console error), as tests/browser/test_smoke.py checks the
directory's pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from .checks import axe_blocking, axe_report
from .conftest import PageProblems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("path", "language"), [("/privasi/", "ms"), ("/en/privasi/", "en")])
def test_privacy_notice(
    page: Page, problems: PageProblems, live_server: object, path: str, language: str
) -> None:
    home = "/" if language == "ms" else f"/{language}/"
    response = page.goto(f"{live_server}{home}", wait_until="networkidle")
    assert response is not None and response.status == 200
    with page.expect_navigation():
        page.locator(f'footer a[href="{path}"]').click()
    assert page.url == f"{live_server}{path}"
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("main h1").count() == 1
    assert page.locator("main h2").count() >= 7  # the seven principles, and more
    blocking = axe_blocking(page)
    assert not blocking, axe_report(blocking)
    problems.assert_none()


def test_api_documentation_runs_under_the_csp(
    page: Page, problems: PageProblems, live_server: object
) -> None:
    response = page.goto(f"{live_server}/api/v1/docs", wait_until="networkidle")
    assert response is not None and response.status == 200
    page.get_by_text("/api/v1/search").first.wait_for()
    problems.assert_none()
