"""Officers managing the accounts in their scope (issue 5 item 4; docs/security.md "Managing
accounts"): who sees which accounts, who may give which role where, and the actions."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from direktori.accounts.models import ApiToken, Role, User
from direktori.areas.models import Area
from direktori.directory.tests.factories import OrganizationFactory

from .conftest import TEST_PASSWORD

pytestmark = pytest.mark.django_db

SEPANG, KLANG, SELANGOR = "10_7", "10_2", "10"
JOHOR, JOHOR_BAHRU = "1", "1_2"
Make = Callable[..., User]
SignIn = Callable[..., Client]


@pytest.fixture
def people(make_account: Make) -> dict[str, User]:
    return {
        "sepang_officer": make_account(Role.DISTRICT_OFFICER, SEPANG, username="pegawai-sepang"),
        "fellow_officer": make_account(Role.DISTRICT_OFFICER, SEPANG, username="pegawai-sepang-2"),
        "state_officer": make_account(Role.STATE_OFFICER, SELANGOR, username="pegawai-selangor"),
        "member": make_account(Role.CBO_MEMBER, SEPANG, username="ahli-sepang", email="a@x.my"),
        "chair": make_account(Role.CBO_CHAIR, SEPANG, username="pengerusi-sepang"),
        "klang_member": make_account(Role.CBO_MEMBER, KLANG, username="ahli-klang"),
        "klang_officer": make_account(Role.DISTRICT_OFFICER, KLANG, username="pegawai-klang"),
        "johor_member": make_account(Role.CBO_MEMBER, JOHOR_BAHRU, username="ahli-jb"),
        "johor_officer": make_account(Role.DISTRICT_OFFICER, JOHOR_BAHRU, username="pegawai-jb"),
    }


def listed(client: Client, query: str = "") -> set[str]:
    response = client.get(reverse("accounts:manage_list") + query)
    assert response.status_code == 200
    return {user.username for user in response.context["page"].object_list}


def detail_url(user: User) -> str:
    return reverse("accounts:manage_detail", kwargs={"pk": user.pk})


def action_urls(user: User) -> list[str]:
    names = ["manage_set_active", "manage_unlock", "manage_reset_second_factor"]
    names.append("manage_password_link")
    return [reverse(f"accounts:{name}", kwargs={"pk": user.pk}) for name in names]


def invite(client: Client, **fields: object) -> Any:
    data = {"username": "baru", "first_name": "Siti binti Ali", "email": "", "phone": ""}
    data.update({key: str(value) for key, value in fields.items()})
    return client.post(reverse("accounts:manage_invite"), data)


# Who reaches the pages --------------------------------------------------------------------------


def test_the_johor_areas_are_where_the_tests_expect(reference_areas: None) -> None:
    assert Area.objects.get(code=JOHOR_BAHRU).parent == Area.objects.get(code=JOHOR, kind="state")


def test_anonymous_is_sent_to_sign_in(people: dict[str, User]) -> None:
    client = Client()
    pages = [reverse("accounts:manage_list"), reverse("accounts:manage_invite")]
    pages += [reverse("accounts:manage_bulk_invite"), detail_url(people["member"])]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign_in"))
    for url in action_urls(people["member"]):
        assert client.post(url).status_code == 302
    assert User.objects.get(pk=people["member"].pk).is_active


@pytest.mark.parametrize("who", ["member", "chair"])
def test_cbo_roles_get_404_on_every_page(
    people: dict[str, User], sign_in: SignIn, who: str
) -> None:
    client = sign_in(people[who])
    other = people["member" if who == "chair" else "chair"]
    pages = [reverse("accounts:manage_list"), reverse("accounts:manage_invite")]
    pages += [reverse("accounts:manage_bulk_invite"), detail_url(other)]
    for url in pages:
        assert client.get(url).status_code == 404, url
    for url, data in zip(action_urls(other), [{"active": "0"}, {}, {}, {}], strict=True):
        assert client.post(url, data).status_code == 404, url
    assert User.objects.get(pk=other.pk).is_active


def test_an_officer_must_pass_the_second_factor_first(
    people: dict[str, User], sign_in: SignIn
) -> None:
    client = sign_in(people["sepang_officer"], second_factor=False)
    response = client.get(reverse("accounts:manage_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:verify"))


# Seeing ----------------------------------------------------------------------------------


def test_a_district_officer_lists_only_cbo_roles_of_the_district(
    people: dict[str, User], sign_in: SignIn
) -> None:
    client = sign_in(people["sepang_officer"])
    assert listed(client) == {"ahli-sepang", "pengerusi-sepang"}
    assert listed(client, "?role=cbo_chair") == {"pengerusi-sepang"}
    assert listed(client, "?q=ahli") == {"ahli-sepang"}
    people["member"].is_active = False
    people["member"].save()
    assert listed(client, "?active=no") == {"ahli-sepang"}
    assert listed(client, "?active=yes") == {"pengerusi-sepang"}


def test_the_list_shows_role_area_cbo_status_and_lock_in_both_languages(
    people: dict[str, User], sign_in: SignIn
) -> None:
    client = sign_in(people["sepang_officer"])
    malay = client.get(reverse("accounts:manage_list")).content.decode()
    member = people["member"]
    assert member.organisation is not None
    with translation.override("ms"):
        role = str(Role.CBO_MEMBER.label)
    for text in (role, "Sepang", member.organisation.name, '<th scope="col">'):
        assert text in malay
    english = client.get("/en/akaun/pengguna/").content.decode()
    assert "CBO member" in english and "Accounts you manage" in english


def test_a_state_officer_sees_the_states_officers_and_members_only(
    people: dict[str, User], sign_in: SignIn
) -> None:
    client = sign_in(people["state_officer"])
    expected = {"pegawai-sepang", "pegawai-sepang-2", "pegawai-klang", "ahli-sepang"}
    assert listed(client) == expected | {"pengerusi-sepang", "ahli-klang"}
    assert listed(client, "?role=district_officer") == expected - {"ahli-sepang"}
    area = Area.objects.get(code=KLANG)
    assert listed(client, f"?area={area.pk}") == {"pegawai-klang", "ahli-klang"}
    assert client.get(detail_url(people["johor_officer"])).status_code == 404
    assert client.get(detail_url(people["sepang_officer"])).status_code == 200


def test_out_of_scope_or_equal_rank_or_oneself_is_404_and_untouched(
    people: dict[str, User], sign_in: SignIn
) -> None:
    officer = people["sepang_officer"]
    client = sign_in(officer)
    for target in ("johor_member", "klang_member", "fellow_officer", "state_officer"):
        user = people[target]
        assert client.get(detail_url(user)).status_code == 404, target
        for url in action_urls(user):
            assert client.post(url, {"active": "0"}).status_code == 404, url
        data = {"role": "cbo_chair", "organisation": str(people["chair"].organisation_id)}
        assert client.post(detail_url(user), data).status_code == 404
        assert User.objects.get(pk=user.pk).is_active
    assert client.get(detail_url(officer)).status_code == 404
    assert client.post(action_urls(officer)[0], {"active": "0"}).status_code == 404


# Inviting ----------------------------------------------------------------------------------


def test_a_district_officer_invites_a_cbo_member_and_gets_the_link_once(
    people: dict[str, User],
    sign_in: SignIn,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    client = sign_in(people["sepang_officer"])
    cbo = OrganizationFactory.create(area=Area.objects.get(code="10_7"))
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        response = invite(
            client,
            role="cbo_member",
            organisation=cbo.pk,
            email="siti@contoh.my",
            phone="012-345 6789",
        )
    assert response.status_code == 200  # the link is on this answer, never in a redirect
    user = User.objects.get(username="baru")
    assert (user.role, user.area, user.organisation) == ("cbo_member", cbo.area, cbo)
    assert user.phone == "+60123456789"
    assert not user.has_usable_password()
    link = response.context["link"]
    assert "/akaun/tetapkan/" in link and link in response.content.decode()
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert len(mail.outbox) == 1 and link in mail.outbox[0].body
    assert mail.outbox[0].to == ["siti@contoh.my"]
    path = urlsplit(link).path
    assert Client().get(path, follow=True).context["validlink"]


@pytest.mark.parametrize(
    ("role", "area"),
    [
        ("district_officer", SEPANG),
        ("state_officer", SELANGOR),
        ("district_officer", JOHOR_BAHRU),
        ("hq_admin", SEPANG),
    ],
)
def test_a_district_officer_cannot_invite_above_or_outside(
    people: dict[str, User], sign_in: SignIn, role: str, area: str
) -> None:
    client = sign_in(people["sepang_officer"])
    before = User.objects.count()
    response = invite(client, role=role, area=Area.objects.get(code=area).pk)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert User.objects.count() == before


def test_a_district_officer_cannot_invite_into_a_cbo_in_johor(
    people: dict[str, User], sign_in: SignIn
) -> None:
    client = sign_in(people["sepang_officer"])
    johor_cbo = OrganizationFactory.create(area=Area.objects.get(code=JOHOR_BAHRU))
    response = invite(client, role="cbo_member", organisation=johor_cbo.pk)
    assert "organisation" in response.context["form"].errors
    assert not User.objects.filter(username="baru").exists()


def test_a_state_officer_invites_a_district_officer_of_the_state_only(
    people: dict[str, User], sign_in: SignIn
) -> None:
    client = sign_in(people["state_officer"])
    johor_bahru = Area.objects.get(code=JOHOR_BAHRU).pk
    assert invite(client, role="district_officer", area=johor_bahru).context["form"].errors
    refused = invite(client, role="state_officer", area=Area.objects.get(code=SELANGOR).pk)
    assert refused.context["form"].errors
    wrong_kind = invite(client, role="district_officer", area=Area.objects.get(code=SELANGOR).pk)
    assert "area" in wrong_kind.context["form"].errors
    assert not User.objects.filter(username="baru").exists()
    made = invite(client, role="district_officer", area=Area.objects.get(code=KLANG).pk)
    assert made.status_code == 200 and "link" in made.context
    assert User.objects.get(username="baru").role == "district_officer"


def test_a_taken_username_is_a_form_error(people: dict[str, User], sign_in: SignIn) -> None:
    client = sign_in(people["sepang_officer"])
    cbo = people["member"].organisation
    assert cbo is not None
    response = invite(client, username="ahli-sepang", role="cbo_member", organisation=cbo.pk)
    assert response.context["form"].errors
    assert User.objects.filter(username="ahli-sepang").count() == 1


# Changing ----------------------------------------------------------------------------------


def test_changing_a_role_within_scope_ends_their_sessions(
    people: dict[str, User], sign_in: SignIn
) -> None:
    member = people["member"]
    member_client = sign_in(member)
    client = sign_in(people["sepang_officer"])
    other_cbo = OrganizationFactory.create(area=Area.objects.get(code=SEPANG))
    data = {"role": "cbo_chair", "organisation": str(other_cbo.pk)}
    response = client.post(detail_url(member), data, follow=True)
    assert response.redirect_chain[-1][0] == detail_url(member)
    assert [str(m) for m in response.context["messages"]]  # the action is confirmed
    member.refresh_from_db()
    assert (member.role, member.organisation) == ("cbo_chair", other_cbo)
    assert member_client.get(reverse("accounts:home")).status_code == 302


def test_nobody_gives_more_than_they_have_by_changing_a_role(
    people: dict[str, User], sign_in: SignIn
) -> None:
    member = people["member"]
    client = sign_in(people["sepang_officer"])
    for data in (
        {"role": "district_officer", "area": Area.objects.get(code=SEPANG).pk},
        {
            "role": "cbo_member",
            "organisation": OrganizationFactory.create(area=Area.objects.get(code=JOHOR_BAHRU)).pk,
        },
    ):
        response = client.post(detail_url(member), data)
        assert response.status_code == 200 and response.context["form"].errors
    member.refresh_from_db()
    assert member.role == "cbo_member" and member.area == Area.objects.get(code=SEPANG)


def test_disabling_ends_the_users_session_and_tokens_at_once(
    people: dict[str, User], sign_in: SignIn
) -> None:
    member = people["member"]
    member_client = sign_in(member)
    assert member_client.get(reverse("accounts:home")).status_code == 200
    _token, key = ApiToken.issue(
        user=member, lifetime=datetime.timedelta(hours=1), verified_second_factor=False
    )
    client = sign_in(people["sepang_officer"])
    url = reverse("accounts:manage_set_active", kwargs={"pk": member.pk})
    assert client.post(url).status_code == 400  # says neither enable nor disable
    assert member_client.get(reverse("accounts:home")).status_code == 200
    response = client.post(url, {"active": "0"}, follow=True)
    assert [str(m) for m in response.context["messages"]]
    response = member_client.get(reverse("accounts:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))
    assert ApiToken.find(key) is None
    client.post(url, {"active": "1"})
    assert User.objects.get(pk=member.pk).is_active


def test_unlock_after_ten_wrong_passwords(people: dict[str, User], sign_in: SignIn) -> None:
    member = people["member"]
    sign_in_url = reverse("accounts:sign_in")
    for _ in range(10):
        Client().post(sign_in_url, {"username": member.username, "password": "salah-salah-salah"})
    locked = Client().post(sign_in_url, {"username": member.username, "password": TEST_PASSWORD})
    assert locked.status_code == 403
    client = sign_in(people["sepang_officer"])
    page = client.get(detail_url(member))
    assert page.context["locked"]
    assert dict(client.get(reverse("accounts:manage_list")).context["rows"])[member]
    client.post(reverse("accounts:manage_unlock", kwargs={"pk": member.pk}))
    assert not client.get(detail_url(member)).context["locked"]
    again = Client().post(sign_in_url, {"username": member.username, "password": TEST_PASSWORD})
    assert again.status_code == 302


def test_a_state_officer_resets_a_district_officers_second_factor(
    people: dict[str, User], sign_in: SignIn
) -> None:
    officer = people["sepang_officer"]
    TOTPDevice.objects.create(user=officer, name="authenticator", confirmed=True)
    officer_client = sign_in(officer)
    client = sign_in(people["state_officer"])
    url = reverse("accounts:manage_reset_second_factor", kwargs={"pk": officer.pk})
    assert client.post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert officer_client.get(reverse("accounts:home")).status_code == 302
    # A fellow district officer could not have done it.
    TOTPDevice.objects.create(user=officer, name="authenticator", confirmed=True)
    fellow = sign_in(people["fellow_officer"])
    assert fellow.post(url).status_code == 404
    assert TOTPDevice.objects.filter(user=officer).exists()


def test_a_new_password_link_is_shown_once_and_works(
    people: dict[str, User], sign_in: SignIn
) -> None:
    chair = people["chair"]
    client = sign_in(people["sepang_officer"])
    response = client.post(reverse("accounts:manage_password_link", kwargs={"pk": chair.pk}))
    assert response.status_code == 200
    link = response.context["link"]
    assert link in response.content.decode()
    path = urlsplit(link).path
    assert Client().get(path, follow=True).context["validlink"]


def test_actions_refuse_get(people: dict[str, User], sign_in: SignIn) -> None:
    client = sign_in(people["sepang_officer"])
    for url in action_urls(people["member"]):
        assert client.get(url).status_code == 405


def test_no_account_page_asks_for_no_referrer() -> None:
    """With `no-referrer` a browser sends `Origin: null` on the page's POSTs, and Django's CSRF
    check refuses them (found in Chromium on the set-password page)."""
    from pathlib import Path

    templates = Path(__file__).resolve().parent.parent / "templates"
    for template in templates.rglob("*.html"):
        assert 'content="no-referrer"' not in template.read_text(), template
