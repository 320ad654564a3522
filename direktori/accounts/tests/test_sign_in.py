"""Signing in: username or mobile number, lockout, the second factor, session limits."""

from __future__ import annotations

import time
from typing import Any

import pytest
from axes.utils import reset as axes_reset
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from direktori.accounts import services
from direktori.accounts.middleware import SEEN_AT, SIGNED_IN_AT
from direktori.accounts.models import Role, User
from direktori.accounts.testing import PASSWORD, account, signed_in

pytestmark = pytest.mark.django_db

SIGN_IN = "/akaun/masuk/"


def post_sign_in(client: Client, username: str, password: str, **extra: str) -> Any:
    return client.post(SIGN_IN, {"username": username, "password": password, **extra})


def body_without_csrf(response: Any) -> str:
    import re

    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


@pytest.fixture
def member(reference_areas: None) -> User:
    return account(Role.CBO_MEMBER, phone="012-345 6789")


@pytest.fixture
def officer(reference_areas: None) -> User:
    return account(Role.DISTRICT_OFFICER)


def test_sign_in_page_in_both_languages(client: Client) -> None:
    assert client.get(SIGN_IN).status_code == 200
    english = client.get("/en/akaun/masuk/")
    assert english.status_code == 200
    assert b"Username or mobile number" in english.content


def test_member_signs_in_with_username_or_mobile_number(member: User) -> None:
    by_name = post_sign_in(Client(), member.username, PASSWORD)
    assert by_name.status_code == 302 and by_name["Location"] == reverse("accounts:home")
    by_phone = post_sign_in(Client(), "0123456789", PASSWORD)
    assert by_phone.status_code == 302 and by_phone["Location"] == reverse("accounts:home")


def test_wrong_password_and_unknown_account_answer_alike(member: User) -> None:
    wrong = post_sign_in(Client(), member.username, "not-the-password")
    unknown = post_sign_in(Client(), "nobody-here", "not-the-password")
    assert wrong.status_code == unknown.status_code == 200
    assert body_without_csrf(wrong).replace(member.username, "X") == body_without_csrf(
        unknown
    ).replace("nobody-here", "X")
    assert "_auth_user_id" not in Client().session


def test_ten_failures_lock_the_username_even_for_the_right_password(member: User) -> None:
    client = Client()
    for _attempt in range(10):
        post_sign_in(client, member.username, "wrong")
    locked = post_sign_in(Client(), member.username, PASSWORD)
    assert locked.status_code == 403
    assert "_auth_user_id" not in locked.client.session
    # Written as a mobile number it is the same account, and just as locked.
    assert post_sign_in(Client(), "012-345 6789", PASSWORD).status_code == 403
    # An account that does not exist locks the same way, so a lockout reveals nothing.
    for _attempt in range(10):
        post_sign_in(client, "nobody-here", "wrong")
    ghost = post_sign_in(Client(), "nobody-here", "wrong")
    assert ghost.status_code == 403
    mine = post_sign_in(Client(), member.username, "wrong")
    assert body_without_csrf(ghost) == body_without_csrf(mine)
    axes_reset(username=member.username)
    assert post_sign_in(Client(), member.username, PASSWORD).status_code == 302


def test_officer_without_authenticator_must_enrol_before_anything_else(officer: User) -> None:
    client = Client()
    response = post_sign_in(client, officer.username, PASSWORD)
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:enrol")
    )
    # Every other page sends them back to the second step.
    for path in ("/akaun/", "/admin/"):
        gated = client.get(path)
        assert gated.status_code == 302 and gated["Location"].startswith(reverse("accounts:verify"))
    page = client.get(reverse("accounts:enrol"))
    assert page.status_code == 200 and b"data:image/svg+xml" in page.content
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    wrong = client.post(reverse("accounts:enrol"), {"otp_token": "000000"})
    assert wrong.status_code == 200 and not TOTPDevice.objects.filter(confirmed=True).exists()
    device.refresh_from_db()
    device.throttle_reset()  # django-otp makes each failure wait longer before the next try
    done = client.post(reverse("accounts:enrol"), {"otp_token": f"{totp(device.bin_key):06d}"})
    assert done.status_code == 200 and done.content.count(b"<li><code>") == 10
    assert StaticToken.objects.filter(device__user=officer).count() == 10
    assert client.get("/akaun/").status_code == 200


def test_officer_with_authenticator_gives_a_code_after_the_password(officer: User) -> None:
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    client = Client()
    response = post_sign_in(client, officer.username, PASSWORD, next="/akaun/kata-laluan/")
    assert response["Location"].startswith(reverse("accounts:verify"))
    assert client.get("/akaun/")["Location"].startswith(reverse("accounts:verify"))
    wrong = client.post(response["Location"], {"otp_token": "123456"})
    assert wrong.status_code == 200 and client.get("/akaun/").status_code == 302
    device.refresh_from_db()
    device.throttle_reset()
    right = client.post(response["Location"], {"otp_token": f"{totp(device.bin_key):06d}"})
    assert right.status_code == 302 and right["Location"] == "/akaun/kata-laluan/"
    assert client.get("/akaun/").status_code == 200


def test_a_backup_code_works_once(officer: User) -> None:
    TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    backup = StaticDevice.objects.create(user=officer, name="backup", confirmed=True)
    backup.token_set.create(token="abcd1234")
    first = Client()
    post_sign_in(first, officer.username, PASSWORD)
    assert first.post(reverse("accounts:verify"), {"otp_token": "abcd 1234"}).status_code == 302
    assert first.get("/akaun/").status_code == 200
    second = Client()
    post_sign_in(second, officer.username, PASSWORD)
    again = second.post(reverse("accounts:verify"), {"otp_token": "abcd1234"})
    assert again.status_code == 200 and second.get("/akaun/").status_code == 302


def test_officer_cannot_open_next_link_to_another_site(officer: User) -> None:
    client = signed_in(Client(), officer)
    response = client.get(reverse("accounts:verify"), {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:home")


def test_session_ends_after_idleness_and_after_the_absolute_limit(
    member: User, settings: object
) -> None:
    for key in (SEEN_AT, SIGNED_IN_AT):
        client = signed_in(Client(), member, second_factor=False)
        assert client.get("/akaun/").status_code == 200
        session = client.session
        session[key] = time.time() - 13 * 3600
        if key == SIGNED_IN_AT:
            session[SEEN_AT] = time.time()
        session.save()
        expired = client.get("/akaun/")
        assert expired.status_code == 302 and expired["Location"].startswith(
            reverse("accounts:sign_in")
        )


def test_disabling_a_user_or_changing_the_password_ends_their_sessions(member: User) -> None:
    client = signed_in(Client(), member, second_factor=False)
    other = signed_in(Client(), member, second_factor=False)
    services.user_set_active(user=member, active=False)
    assert client.get("/akaun/").status_code == 302
    services.user_set_active(user=member, active=True)
    client = signed_in(Client(), member, second_factor=False)
    changed = client.post(
        reverse("accounts:change_password"),
        {
            "old_password": PASSWORD,
            "new_password1": "Another-pass-2026!",
            "new_password2": "Another-pass-2026!",
        },
    )
    assert changed.status_code == 302
    assert client.get("/akaun/").status_code == 200  # the device that changed it stays in
    assert other.get("/akaun/").status_code == 302


def test_sign_out_everywhere(member: User) -> None:
    phone, laptop = (signed_in(Client(), member, second_factor=False) for _ in range(2))
    assert phone.post(reverse("accounts:sign_out_everywhere")).status_code == 302
    assert phone.get("/akaun/").status_code == 302
    assert laptop.get("/akaun/").status_code == 302


def test_sign_out_needs_post(member: User) -> None:
    client = signed_in(Client(), member, second_factor=False)
    assert client.get(reverse("accounts:sign_out")).status_code == 405
    assert client.post(reverse("accounts:sign_out")).status_code == 302
    assert client.get("/akaun/").status_code == 302


def test_users_see_and_correct_their_own_details(member: User) -> None:
    client = signed_in(Client(), member, second_factor=False)
    page = client.get("/en/akaun/")
    assert member.username.encode() in page.content and b"Sepang" in page.content
    saved = client.post(
        "/akaun/",
        {"first_name": "Siti", "last_name": "Aminah", "email": "siti@example.com", "phone": ""},
    )
    assert saved.status_code == 302
    member.refresh_from_db()
    assert (member.first_name, member.phone) == ("Siti", "")
    bad = client.post("/akaun/", {"first_name": "S", "last_name": "", "email": "", "phone": "123"})
    assert bad.status_code == 200 and b'aria-invalid="true"' in bad.content


def test_officer_passwords_need_twelve_characters(reference_areas: None) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.user_create(
            username="pendek",
            role=Role.DISTRICT_OFFICER,
            area=account(Role.DISTRICT_OFFICER).area,
            password="Short-pw-9!",
        )
    # Ten characters are enough for a volunteer.
    assert account(Role.CBO_MEMBER, username="ahli", password_override="Short-pw-9!")


def test_anonymous_users_are_sent_to_sign_in(client: Client) -> None:
    response = client.get("/akaun/")
    assert response.status_code == 302 and response["Location"].startswith(SIGN_IN)


def test_a_password_set_anywhere_ends_api_tokens(member: User) -> None:
    """Also in the admin or with `changepassword`, which never call the pages' services."""
    from datetime import timedelta

    from direktori.accounts.models import ApiToken

    _token, key = ApiToken.issue(
        user=member, lifetime=timedelta(hours=1), verified_second_factor=False
    )
    assert ApiToken.find(key) is not None
    member.set_password("Changed-in-the-admin-2026")
    member.save()
    assert ApiToken.find(key) is None


def test_the_session_id_changes_when_the_second_factor_is_given(officer: User) -> None:
    StaticDevice.objects.create(user=officer, name="backup", confirmed=True).token_set.create(
        token="wxyz6789"
    )
    client = Client()
    post_sign_in(client, officer.username, PASSWORD)
    before = client.cookies["sessionid"].value
    assert client.post(reverse("accounts:verify"), {"otp_token": "wxyz6789"}).status_code == 302
    assert client.cookies["sessionid"].value != before
    assert client.get("/akaun/").status_code == 200
