"""The referral form in a real browser on a 360 px phone, in Malay and English, as a CBO member of
the Sepang demo: filled and sent by keyboard alone (the error summary takes focus first), the
"call 999 / Talian Kasih 15999 now" notice when "immediate danger" is chosen, no sideways scroll,
no serious or critical axe-core violation; a submit while offline keeps the form filled, keeps
nothing identifying in browser storage, and is sent once when the connection returns; without
JavaScript the notice stands beside the choice and the form still works. Then the pages the
district officer works from (queue, referral, overdue) and the member's own, on the same phone."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Browser, Page

from direktori.accounts.models import User
from direktori.accounts.testing import signed_in
from direktori.referrals.models import Referral
from direktori.referrals.services import referral_submit
from direktori.referrals.submission import Submission

from .checks import Findings, axe_blocking, axe_report, fits, page_widths
from .conftest import LANGUAGES, MOBILE_VIEWPORT, DemoSite, PageProblems
from .test_signed_in_pages import _signed_in_page

pytestmark = pytest.mark.browser

WIDTH = MOBILE_VIEWPORT["width"]
FORM = "/akaun/rujukan/baru/"
CONCERN = "Warga emas tinggal seorang di rumah papan, tidak makan sejak semalam."
NAME = "Pak Cik Demo Rujukan"
PHONE = "012-345 6789"
STORAGE_KEY = "direktori.referral.choices"


def _prefix(language: str) -> str:
    return "" if language == "ms" else "/en"


def _check_page(page: Page, findings: Findings, where: str) -> None:
    findings.check(page.locator("main h1").count() == 1, f"{where}: not one h1")
    widths = page_widths(page, WIDTH)
    findings.check(fits(widths, WIDTH), f"{where}: wider than {WIDTH} px: {widths}")
    blocking = axe_blocking(page)
    findings.check(not blocking, f"{where}: axe-core:\n{axe_report(blocking)}")


def _focused(page: Page) -> dict[str, str]:
    result: dict[str, str] = page.evaluate(
        "() => ({id: document.activeElement.id || '', href: document.activeElement.href || ''})"
    )
    return result


def _press(page: Page, selector: str, *keys: str) -> None:
    """Focus a field (as a screen reader user reaches it by its label) and press keys."""
    page.locator(selector).focus()
    for key in keys:
        page.keyboard.press(key)


def _type(page: Page, selector: str, text: str) -> None:
    page.locator(selector).focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_member_refers_a_person_by_keyboard_on_a_phone(
    browser: Browser, demo: DemoSite, problems: PageProblems, language: str
) -> None:
    member = User.objects.get(username="demo-ahli")
    page = _signed_in_page(browser, demo.base_url, member, problems)
    findings = Findings(f"{language}, {WIDTH} px")
    try:
        page.goto(demo.base_url + _prefix(language) + FORM, wait_until="networkidle")
        findings.check(page.locator("html").get_attribute("lang") == language, "lang")
        findings.check(page.locator("#danger-now").is_hidden(), "notice shown before the choice")
        _check_page(page, findings, "the empty form")
        # Sent empty: the problems come back in place, and their summary takes the focus.
        _press(page, "#send", "Enter")
        page.wait_for_selector("#form-errors")
        findings.check(_focused(page)["id"] == "form-errors", f"focus: {_focused(page)}")
        _check_page(page, findings, "the form with its problems")
        # Immediate danger: the numbers to call appear at once, next in the tab order.
        _press(page, "#id_urgency_0", "Space")
        findings.check(page.locator("#danger-now").is_visible(), "no notice for immediate")
        for number in ("999", "15999"):
            link = page.locator(f'#danger-now a[href="tel:{number}"]')
            findings.check(link.is_visible(), f"no tel:{number} in the notice")
        page.keyboard.press("Tab")
        findings.check(_focused(page)["href"] == "tel:999", f"after Tab: {_focused(page)}")
        _check_page(page, findings, "the form with the call-now notice")
        _press(page, "#id_urgency_0", "ArrowDown")  # urgent
        findings.check(page.locator("#danger-now").is_hidden(), "notice kept for urgent")
        _press(page, "#id_target_group_2", "Space")  # older people
        _type(page, "#id_concern", CONCERN)
        _press(page, "#id_mukim", "ArrowDown")  # Dengkil, the first mukim of Sepang
        _type(page, "#id_subject_description", NAME)
        _type(page, "#id_subject_age", "78")
        _press(page, "#id_subject_sex_1", "Space")  # male
        _press(page, "#id_consent_0", "Space")  # the person agrees
        _type(page, "#id_reporter_phone", PHONE)
        _press(page, "#send", "Enter")
        page.wait_for_url("**/dihantar/")
        referral = Referral.objects.get(reporter=member)
        findings.check(referral.reference in page.locator("main").inner_text(), "reference")
        findings.check(
            (referral.urgency, referral.target_group, referral.area.name_ms)
            == ("urgent", "elderly", "Dengkil"),
            f"saved as {referral.urgency}, {referral.target_group}, {referral.area}",
        )
        findings.check(referral.concern == CONCERN and referral.subject_age == 78, "saved text")
        stored = page.evaluate(f"() => window.sessionStorage.getItem('{STORAGE_KEY}')")
        findings.check(stored is None, f"choices still stored after sending: {stored}")
        _check_page(page, findings, "the confirmation")
        findings.check(not problems.report(), problems.report())
    finally:
        page.context.close()
    findings.assert_none()


@pytest.mark.parametrize("language", LANGUAGES)
def test_offline_the_form_stays_filled_and_is_sent_once_when_back_online(
    browser: Browser, demo: DemoSite, problems: PageProblems, language: str
) -> None:
    member = User.objects.get(username="demo-ahli")
    page = _signed_in_page(browser, demo.base_url, member, problems)
    findings = Findings(f"offline, {language}")
    try:
        page.goto(demo.base_url + _prefix(language) + FORM, wait_until="networkidle")
        _press(page, "#id_urgency_1", "Space")
        _press(page, "#id_target_group_0", "Space")
        _type(page, "#id_concern", CONCERN)
        _type(page, "#id_subject_description", NAME)
        _press(page, "#id_consent_1", "Space")
        _type(page, "#id_reporter_phone", PHONE)
        page.context.set_offline(True)
        _press(page, "#send", "Enter")
        page.wait_for_selector("#try-again:visible")
        status = page.locator("#send-status")
        findings.check(status.get_attribute("role") == "status", "the status is not polite")
        findings.check(bool(status.inner_text().strip()), "nothing said about the connection")
        findings.check(page.locator("#id_concern").input_value() == CONCERN, "concern lost")
        findings.check(page.locator("#id_subject_description").input_value() == NAME, "name lost")
        findings.check(not Referral.objects.exists(), "a referral while offline")
        storage: dict[str, Any] = json.loads(
            page.evaluate("() => JSON.stringify(Object.assign({}, window.sessionStorage))")
        )
        local = page.evaluate("() => window.localStorage.length")
        findings.check(local == 0, f"{local} items in localStorage")
        kept = json.loads(storage.get(STORAGE_KEY, "{}"))
        findings.check(
            set(kept) <= {"urgency", "target_group", "district", "mukim", "locality"},
            f"kept: {sorted(kept)}",
        )
        everything = json.dumps(storage)
        for secret in (CONCERN[:20], NAME, PHONE, "0123456789"):
            findings.check(secret not in everything, f"{secret!r} in sessionStorage")
        _check_page(page, findings, "the form while offline")
        problems.clear()  # the failed request is the point of this test
        page.context.set_offline(False)
        page.wait_for_url("**/dihantar/", timeout=45_000)
        findings.check(Referral.objects.filter(reporter=member).count() == 1, "not one referral")
        findings.check(Referral.objects.get().concern == CONCERN, "the text sent")
        findings.check(not problems.report(), problems.report())
    finally:
        page.context.close()
    findings.assert_none()


def test_without_javascript_the_notice_stands_beside_the_choice(
    browser: Browser, demo: DemoSite, problems: PageProblems
) -> None:
    member = User.objects.get(username="demo-ahli")
    context = browser.new_context(viewport=MOBILE_VIEWPORT, java_script_enabled=False)
    cookie = signed_in(Client(), member).cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": demo.base_url}]
    )
    page = context.new_page()
    problems.watch(page)
    findings = Findings("without JavaScript")
    try:
        page.goto(demo.base_url + FORM)
        findings.check(page.locator("#danger-now").is_visible(), "notice hidden")
        findings.check(page.locator("button[name=show_places]").is_visible(), "no places button")
        _press(page, "#id_urgency_0", "Space")
        _press(page, "#id_target_group_0", "Space")
        _type(page, "#id_concern", CONCERN)
        _press(page, "#id_consent_2", "Space")  # not given: a child in danger
        _type(page, "#id_consent_reason", "Kanak-kanak bersendirian, ibu bapa tiada.")
        _press(page, "#send", "Enter")
        page.wait_for_url("**/dihantar/")
        findings.check(Referral.objects.filter(reporter=member).count() == 1, "not one referral")
        findings.check(not problems.report(), problems.report())
    finally:
        context.close()
    findings.assert_none()


def _demo_referral(member: User, **fields: Any) -> Referral:
    from direktori.areas.models import Area

    referral, _created = referral_submit(
        reporter=member,
        submission=Submission(
            target_group=fields.get("target_group", "children"),
            concern=CONCERN,
            urgency=fields.get("urgency", "urgent"),
            area=Area.objects.get(code="10_7"),
            consent_given=True,
            consent_by="guardian",
            subject_description=NAME,
        ),
        now=fields.get("now"),
    )
    return referral


def test_the_officers_and_members_referral_pages_on_a_phone(
    browser: Browser, demo: DemoSite, problems: PageProblems
) -> None:
    member = User.objects.get(username="demo-ahli")
    late = _demo_referral(
        member, urgency="immediate", now=timezone.now() - datetime.timedelta(hours=3)
    )
    _demo_referral(member, target_group="elderly", urgency="routine")
    pages = {
        "demo-pegawai-daerah": (
            "/akaun/rujukan/",
            f"/akaun/rujukan/{late.pk}/",
            "/akaun/rujukan/lewat/",
        ),
        "demo-ahli": ("/akaun/rujukan/", f"/akaun/rujukan/{late.pk}/"),
    }
    findings = Findings(f"referral pages, {WIDTH} px")
    for username, paths in pages.items():
        page = _signed_in_page(
            browser, demo.base_url, User.objects.get(username=username), problems
        )
        try:
            for language in LANGUAGES:
                for path in paths:
                    url = demo.base_url + _prefix(language) + path
                    response: Any = page.goto(url, wait_until="networkidle")
                    where = f"{username} {_prefix(language)}{path}"
                    findings.check(response and response.status == 200, f"{where}: status")
                    _check_page(page, findings, where)
                    findings.check(not problems.report(), f"{where}: {problems.report()}")
                    problems.clear()
        finally:
            page.context.close()
    findings.assert_none()
