"""The pages of the CBO register, training, verification and outreach as a chair and a district
officer see them on a small phone, in Malay and English: each answers 200 in the right language
with one `h1`, fits a 360 px screen, has a clean console and network, and no serious or critical
axe-core violation. (Signing in itself is tested by keyboard in test_accounts.py; here the
session comes from the test client, with the second step passed.)"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, Page

from direktori.accounts.models import User
from direktori.accounts.testing import signed_in
from direktori.members.models import Membership
from direktori.training.models import TrainingSession

from .checks import Findings, axe_blocking, axe_report, fits, page_widths
from .conftest import LANGUAGES, MOBILE_VIEWPORT, DemoSite, PageProblems

pytestmark = pytest.mark.browser

WIDTH = MOBILE_VIEWPORT["width"]

#: username → the paths (Malay; English adds /en) that user's role works with. "{cbo}" is the
#: demo chair's CBO, "{session}" the first demo training session, "{membership}" an active
#: membership of that CBO.
PAGES: dict[str, tuple[str, ...]] = {
    "demo-pengerusi": (
        "/akaun/",
        "/akaun/ahli/saya/",
        "/akaun/cbo/{cbo}/ahli/",
        "/akaun/cadangan/",
        "/akaun/aktiviti/",
        "/akaun/aktiviti/baru/",
        "/akaun/latihan/",
        "/akaun/latihan/saya/",
        "/akaun/latihan/{session}/",
    ),
    "demo-pegawai-daerah": (
        "/akaun/",
        "/akaun/cbo/{cbo}/ahli/",
        "/akaun/cbo/{cbo}/ahli/lantik/",
        "/akaun/ahli/{membership}/lantik-semula/",
        "/akaun/ahli/{membership}/pindah/",
        "/akaun/ahli/{membership}/tamat/",
        "/akaun/ahli/perhatian/",
        "/akaun/ahli/import/",
        "/akaun/pengesahan-entri/",
        "/akaun/pengesahan-entri/cadangan/",
        "/akaun/kesegaran/",
        "/akaun/aktiviti/",
        "/akaun/aktiviti/ringkasan/",
        "/akaun/audit/",
        "/akaun/latihan/",
        "/akaun/latihan/baru/",
        "/akaun/latihan/{session}/",
        "/akaun/latihan/{session}/kehadiran/",
        "/akaun/latihan/keperluan/",
    ),
}


def _signed_in_page(browser: Browser, base_url: str, user: User, problems: PageProblems) -> Page:
    client = signed_in(Client(), user)
    context = browser.new_context(
        viewport=MOBILE_VIEWPORT, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems.watch(page)
    return page


@pytest.mark.parametrize("username", list(PAGES))
def test_signed_in_pages_on_a_phone_in_both_languages(
    browser: Browser, demo: DemoSite, problems: PageProblems, username: str
) -> None:
    user = User.objects.get(username=username)
    cbo = User.objects.get(username="demo-pengerusi").organisation_id
    session = TrainingSession.objects.order_by("starts_on", "title").values_list("pk", flat=True)[0]
    membership = Membership.objects.filter(cbo_id=cbo, status="active").order_by("pk")[0].pk
    page = _signed_in_page(browser, demo.base_url, user, problems)
    findings = Findings(f"{username}, {WIDTH} px")
    try:
        for language in LANGUAGES:
            for template in PAGES[username]:
                prefix = "" if language == "ms" else "/en"
                path = prefix + template.format(cbo=cbo, session=session, membership=membership)
                response: Any = page.goto(demo.base_url + path, wait_until="networkidle")
                findings.check(
                    response is not None and response.status == 200,
                    f"{path}: {response and response.status}",
                )
                findings.check(
                    page.url.endswith(path), f"{path}: ended at {page.url} (signed out?)"
                )
                lang = page.locator("html").get_attribute("lang")
                findings.check(lang == language, f"{path}: lang={lang}")
                findings.check(page.locator("main h1").count() == 1, f"{path}: not one h1")
                widths = page_widths(page, WIDTH)
                findings.check(fits(widths, WIDTH), f"{path}: wider than {WIDTH} px: {widths}")
                blocking = axe_blocking(page)
                findings.check(not blocking, f"{path}: axe-core:\n{axe_report(blocking)}")
                findings.check(not problems.report(), f"{path}: {problems.report()}")
                problems.clear()
    finally:
        page.context.close()
    findings.assert_none()
