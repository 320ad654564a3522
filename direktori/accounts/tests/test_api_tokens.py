"""`/api/v1/auth/…`: bearer tokens, the second factor, lockout, revocation (docs/security.md)."""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from direktori.accounts import services
from direktori.accounts.models import ApiToken, Role, User
from direktori.areas.models import Area
from direktori.directory.models import Organization
from direktori.directory.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token"
ME = "/api/v1/auth/me"
PASSWORD = "Kata-laluan-API-ujian-2026!"
# The API answers in the default language, Malay (`Accept-Language: en` for English).
NOT_AN_ACCOUNT = (
    "Nama pengguna atau nombor telefon bimbit dan kata laluan tidak sepadan dengan akaun yang "
    "boleh log masuk."
)


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    """The per-address throttle counts in the cache, which outlives a test."""
    cache.clear()


def make_user(role: Role, username: str, **fields: Any) -> User:
    area = Area.objects.get(code="10_7")
    organisation = None
    if role.is_cbo:
        organisation = OrganizationFactory.create(area=area, kind=Organization.Kind.CBO)
    return services.user_create(
        username=username,
        role=role,
        area=area,
        organisation=organisation,
        password=PASSWORD,
        **fields,
    )


@pytest.fixture
def member(reference_areas: None) -> User:
    return make_user(Role.CBO_MEMBER, "ahli-api", phone="012-345 6789")


@pytest.fixture
def officer(reference_areas: None) -> User:
    return make_user(Role.DISTRICT_OFFICER, "pegawai-api")


def ask_token(username: str, password: str = PASSWORD, otp: str | None = None, **extra: Any):
    body: dict[str, Any] = {"username": username, "password": password}
    if otp is not None:
        body["otp"] = otp
    return Client().post(TOKEN, body, content_type="application/json", **extra)


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def me(key: str):
    return Client().get(ME, headers=bearer(key))


def token_for(user: User) -> str:
    return services.api_token_issue(user=user, verified_second_factor=True)[1]


def confirmed_totp(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


# Getting a token ---------------------------------------------------------------------------------


def test_member_gets_a_token_without_a_code(member: User) -> None:
    before = timezone.now()
    response = ask_token(member.username)
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"token", "expires_at"}
    assert response["Cache-Control"] == "no-store"
    assert "sessionid" not in response.cookies
    token = ApiToken.objects.get(user=member)
    assert not token.verified_second_factor
    assert (
        before + timedelta(seconds=3599)
        < token.expires_at
        <= timezone.now() + timedelta(seconds=3600)
    )
    who = me(body["token"])
    assert who.status_code == 200
    assert who.json() == {
        "username": "ahli-api",
        "role": "cbo_member",
        "area": {"code": "10_7", "name": "Sepang"},
        "organisation": {"id": str(member.organisation_id), "name": member.organisation.name},  # type: ignore[union-attr]
        "expires_at": body["expires_at"],
    }


def test_member_may_give_a_mobile_number_instead_of_the_username(member: User) -> None:
    assert ask_token("0123456789").status_code == 200
    assert ask_token("+60 12-345 6789").status_code == 200


def test_officer_needs_the_code_from_the_authenticator(officer: User) -> None:
    device = confirmed_totp(officer)
    without = ask_token(officer.username)
    assert without.status_code == 401 and "otp" in without.json()["detail"]
    assert ask_token(officer.username, otp="").status_code == 401
    right = ask_token(officer.username, otp=f"{totp(device.bin_key):06d}")
    assert right.status_code == 200, right.content
    assert ApiToken.objects.get(user=officer).verified_second_factor
    assert me(right.json()["token"]).json()["role"] == "district_officer"


def test_a_wrong_code_is_refused(officer: User) -> None:
    confirmed_totp(officer)
    wrong = ask_token(officer.username, otp="000000")
    assert wrong.status_code == 401 and set(wrong.json()) == {"detail"}
    assert not ApiToken.objects.exists()


def test_officer_may_give_a_backup_code_once(officer: User) -> None:
    confirmed_totp(officer)
    device = StaticDevice.objects.create(user=officer, name="backup", confirmed=True)
    StaticToken.objects.create(device=device, token="abcd2345")
    assert ask_token(officer.username, otp="abcd 2345").status_code == 200
    assert ask_token(officer.username, otp="abcd2345").status_code == 401


def test_officer_without_an_authenticator_is_sent_to_the_website(officer: User) -> None:
    response = ask_token(officer.username, otp="123456")
    assert response.status_code == 401
    # In the default language, Malay, unless the client asks for English.
    assert "aplikasi pengesah" in response.json()["detail"]
    assert not ApiToken.objects.exists()


def test_staff_without_a_role_need_the_second_factor_too(reference_areas: None) -> None:
    admin = User.objects.create_user("pentadbir-api", password=PASSWORD, is_staff=True)
    assert ask_token(admin.username).status_code == 401


def test_unknown_account_wrong_password_and_disabled_account_answer_alike(member: User) -> None:
    wrong = ask_token(member.username, "not-the-password")
    unknown = ask_token("nobody-here", "not-the-password")
    services.user_set_active(user=member, active=False)
    disabled = ask_token(member.username)
    assert wrong.status_code == unknown.status_code == disabled.status_code == 401
    assert wrong.content == unknown.content == disabled.content
    assert wrong.json() == {"detail": NOT_AN_ACCOUNT}
    assert wrong["Content-Type"] == "application/json; charset=utf-8"


def test_a_malformed_request_is_400_not_a_crash(member: User) -> None:
    response = Client().post(TOKEN, {"username": "x"}, content_type="application/json")
    assert response.status_code == 400 and "password" in response.json()["detail"]


# Lockout and throttling --------------------------------------------------------------------------


def test_ten_failures_lock_the_username_even_for_the_right_password(member: User) -> None:
    for _attempt in range(10):
        assert ask_token(member.username, "wrong").status_code == 401
    locked = ask_token(member.username)
    assert locked.status_code == 401
    assert locked["Content-Type"] == "application/json; charset=utf-8"
    assert "disekat" in locked.json()["detail"]
    assert not ApiToken.objects.exists()
    # The same account written as a mobile number is just as locked.
    assert ask_token("012-345 6789").content == locked.content
    # A username without an account locks the same way, so a lockout reveals nothing.
    for _attempt in range(10):
        ask_token("nobody-here", "wrong")
    assert ask_token("nobody-here", "wrong").content == locked.content
    axes_reset(username=member.username)
    assert ask_token(member.username).status_code == 200


def test_a_token_resets_the_failure_count(member: User) -> None:
    for _attempt in range(9):
        ask_token(member.username, "wrong")
    assert ask_token(member.username).status_code == 200
    assert not AccessAttempt.objects.filter(username=member.username).exists()
    assert ask_token(member.username, "wrong").status_code == 401
    assert ask_token(member.username).status_code == 200


def test_one_address_may_ask_thirty_times_a_minute(member: User) -> None:
    for _attempt in range(30):
        assert ask_token("nobody-here", "wrong").status_code == 401
    throttled = ask_token(member.username)
    assert throttled.status_code == 429 and "detail" in throttled.json()
    assert ask_token(member.username, REMOTE_ADDR="192.0.2.7").status_code == 200


# Using and losing a token ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "",
        "Bearer",
        "Bearer ",
        "Bearer not-a-token",
        "Token abc",
        "Basic YTpi",
        "Bearer " + "x" * 500,
    ],
)
def test_no_or_a_bad_token_is_401(member: User, header: str) -> None:
    response = Client().get(ME, headers={"Authorization": header} if header else {})
    assert response.status_code == 401 and response.json() == {"detail": "Unauthorized"}


def test_a_session_is_not_a_token(member: User) -> None:
    client = Client()
    client.force_login(member)
    assert client.get(ME).status_code == 401


def test_an_expired_token_is_refused(member: User) -> None:
    key = token_for(member)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert me(key).status_code == 401


def test_delete_revokes_the_token_in_use_only(member: User) -> None:
    key, other = token_for(member), token_for(member)
    response = Client().delete(TOKEN, headers=bearer(key))
    assert response.status_code == 204 and response.content == b""
    assert me(key).status_code == 401
    assert Client().delete(TOKEN, headers=bearer(key)).status_code == 401
    assert me(other).status_code == 200


def test_a_disabled_users_tokens_stop_at_once(member: User) -> None:
    key = token_for(member)
    assert me(key).status_code == 200
    services.user_set_active(user=member, active=False)
    assert me(key).status_code == 401
    services.user_set_active(user=member, active=True)
    assert me(key).status_code == 401  # revoked, not merely suspended


def test_a_disabled_user_is_refused_even_before_revocation(member: User) -> None:
    key = token_for(member)
    User.objects.filter(pk=member.pk).update(is_active=False)
    assert me(key).status_code == 401


def test_sign_out_everywhere_ends_tokens(member: User) -> None:
    key = token_for(member)
    services.user_sign_out_everywhere(user=member)
    assert me(key).status_code == 401
    # A moved epoch alone is enough, even for a token not marked revoked.
    key = token_for(member)
    User.objects.filter(pk=member.pk).update(session_epoch=member.session_epoch + 1)
    assert me(key).status_code == 401


def test_changing_the_password_ends_tokens(member: User) -> None:
    key = token_for(member)
    client = Client()
    client.force_login(member)
    new = "Kata-laluan-baharu-2026!"
    response = client.post(
        "/akaun/kata-laluan/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert me(key).status_code == 401
    assert ask_token(member.username, new).status_code == 200


def test_setting_the_password_from_the_link_ends_tokens(member: User) -> None:
    key = token_for(member)
    link = services.set_password_link(member).split("://", 1)[1]
    path = link[link.index("/") :]
    client = Client()
    form = client.get(path, follow=True)
    assert form.status_code == 200
    new = "Kata-laluan-baharu-2026!"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert me(key).status_code == 401


def test_user_tokens_revoke_counts_what_it_ended(member: User) -> None:
    token_for(member), token_for(member)
    assert services.user_tokens_revoke(user=member) == 2
    assert services.user_tokens_revoke(user=member) == 0


def test_an_unverified_token_is_refused_to_someone_who_needs_the_second_factor(
    member: User,
) -> None:
    key = services.api_token_issue(user=member, verified_second_factor=False)[1]
    assert me(key).status_code == 200
    # Promoted to officer, the member's token from before no longer does.
    User.objects.filter(pk=member.pk).update(role=Role.DISTRICT_OFFICER, organisation=None)
    assert me(key).status_code == 401


def test_last_used_is_written_at_most_once_a_minute(member: User) -> None:
    key = token_for(member)
    assert me(key).status_code == 200
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    assert me(key).status_code == 200
    assert ApiToken.objects.get().last_used_at == first
    ApiToken.objects.update(last_used_at=first - timedelta(minutes=2))
    assert me(key).status_code == 200
    assert ApiToken.objects.get().last_used_at > first - timedelta(seconds=1)  # type: ignore[operator]


# What is kept ------------------------------------------------------------------------------------


def test_only_the_digest_is_stored(member: User) -> None:
    key = ask_token(member.username).json()["token"]
    token = ApiToken.objects.get()
    assert token.digest == hashlib.sha256(key.encode()).hexdigest()
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert all(key not in str(value) for value in row.values())


def test_the_password_is_never_logged_or_kept(
    member: User, officer: User, caplog: pytest.LogCaptureFixture
) -> None:
    confirmed_totp(officer)
    caplog.set_level(logging.DEBUG)
    secret = "Rahsia-yang-salah-9876!"
    ask_token(member.username, secret)
    ask_token("nobody-here", secret)
    ask_token(member.username)
    ask_token(officer.username, otp="000000")
    for _attempt in range(11):
        ask_token(member.username, secret)
    Client().post(TOKEN, {"username": 1, "password": secret}, content_type="application/json")
    assert caplog.records  # axes logs the failures: the check below has something to look at
    for record in caplog.records:
        assert secret not in record.getMessage() and PASSWORD not in record.getMessage()
    for attempt in AccessAttempt.objects.all():
        assert secret not in attempt.post_data and secret not in attempt.get_data


def test_the_openapi_documents_the_errors(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    post = paths["/api/v1/auth/token"]["post"]
    assert {"200", "401", "429"} <= set(post["responses"])
    assert "security" not in post
    assert paths["/api/v1/auth/me"]["get"]["security"] == [{"BearerToken": []}]
    assert "401" in paths["/api/v1/auth/token"]["delete"]["responses"]
