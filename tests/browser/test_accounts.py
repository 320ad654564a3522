"""Signing in as an officer in a real browser, by keyboard alone: password, setting up the
authenticator from the key on the page, the backup codes, the account page — each page clean
(console, network) and free of serious or critical axe-core violations, in Malay and English."""

from __future__ import annotations

import base64

import pytest
from django_otp.oath import totp
from playwright.sync_api import Page

from direktori.directory.demo import DEMO_ADMIN_DEFAULT_PASSWORD

from .checks import axe_blocking
from .conftest import DemoSite, PageProblems

pytestmark = pytest.mark.browser


def _axe_problems(page: Page, where: str) -> list[str]:
    return [f"{where}: {v['id']} ({v['impact']}): {v['help']}" for v in axe_blocking(page)]


def _type_into(page: Page, label: str, text: str) -> None:
    """Reach the field by its label, as a screen reader user would, and type."""
    page.get_by_label(label, exact=False).first.focus()
    page.keyboard.type(text)


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("ms", ("Nama pengguna atau nombor telefon bimbit", "Kata laluan", "Kod")),
        ("en", ("Username or mobile number", "Password", "Code")),
    ],
)
def test_an_officer_signs_in_and_sets_up_the_second_step_by_keyboard(
    page: Page, problems: PageProblems, demo: DemoSite, language: str, labels: tuple[str, ...]
) -> None:
    prefix = "" if language == "ms" else "/en"
    failures: list[str] = []
    page.goto(f"{demo.base_url}{prefix}/akaun/masuk/", wait_until="networkidle")
    failures += _axe_problems(page, "sign-in")
    _type_into(page, labels[0], "demo-pegawai-daerah")
    _type_into(page, labels[1], DEMO_ADMIN_DEFAULT_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/akaun/pengesah/**")
    failures += _axe_problems(page, "enrolment")
    key = page.locator("code.key").inner_text().replace(" ", "")
    secret = base64.b32decode(key + "=" * (-len(key) % 8))
    _type_into(page, labels[2], f"{totp(secret):06d}")
    page.keyboard.press("Enter")
    page.wait_for_selector("ul.codes")
    assert page.locator("ul.codes li").count() == 10
    failures += _axe_problems(page, "backup codes")
    page.locator("main a.button").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{prefix}/akaun/")
    assert "demo-pegawai-daerah" in page.locator("main").inner_text()
    failures += _axe_problems(page, "account")
    assert failures == []
    problems.assert_none()
