"""The officer's pages for one membership: appoint, change role or term, move, end (with a
confirmation). Officers of the CBO's own area only; everyone else 404, anonymous to sign in."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from direktori.accounts.models import User
from direktori.accounts.testing import signed_in
from direktori.areas.models import Area
from direktori.directory.tests.factories import OrganizationFactory
from direktori.members import services
from direktori.members.models import Membership, MembershipTerm, Person

from .conftest import MANAGERS, NOT_MANAGERS, Register

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def pages(register: Register) -> list[str]:
    member = register.member.pk
    return [
        reverse("members:appoint", args=[register.cbo.pk]),
        reverse("members:reappoint", args=[member]),
        reverse("members:move", args=[member]),
        reverse("members:end", args=[member]),
    ]


def appointment(**changes: Any) -> dict[str, Any]:
    return {
        "full_name": "  Nurul   Huda  ",
        "phone": "012-777 8899",
        "email": "nurul@example.my",
        "role": "ajk",
        "appointed_by": "MPKK",
        "appointed_on": "2026-01-05",
        "term_ends_on": "2028-01-04",
        "listed_publicly": "on",
        **changes,
    }


@pytest.mark.parametrize("role", MANAGERS)
def test_officers_of_the_area_get_every_page(
    register: Register, roles: dict[str, User], role: str
) -> None:
    client = signed_in(Client(), roles[role])
    for url in pages(register):
        assert client.get(url).status_code == 200, url
    members_page = client.get(reverse("members:cbo_members", args=[register.cbo.pk]))
    assert reverse("members:end", args=[register.member.pk]) in members_page.content.decode()


@pytest.mark.parametrize("role", NOT_MANAGERS)
def test_everyone_else_gets_404_and_changes_nothing(
    register: Register, roles: dict[str, User], role: str
) -> None:
    client = signed_in(Client(), roles[role])
    for url in pages(register):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {**appointment(), "ended_on": "2026-01-05"}).status_code == 404
    register.member.refresh_from_db()
    assert register.member.status == Membership.Status.ACTIVE
    assert not Person.objects.filter(full_name="Nurul Huda").exists()
    if role != "other_district_officer":  # CBO members see their committee, without the links
        page = client.get(reverse("members:cbo_members", args=[register.cbo.pk]))
        assert page.status_code == 200
        assert reverse("members:end", args=[register.member.pk]) not in page.content.decode()


def test_anonymous_is_sent_to_sign_in(register: Register) -> None:
    for url in pages(register):
        response = Client().get(url)
        assert response.status_code == 302 and "/akaun/masuk/" in response["Location"]


def test_appointing_one_person_and_again_updates_them(register: Register) -> None:
    client = signed_in(Client(), register.officer)
    url = reverse("members:appoint", args=[register.cbo.pk])
    response = client.post(url, appointment())
    assert response.status_code == 302
    assert response["Location"] == reverse("members:cbo_members", args=[register.cbo.pk])
    person = Person.objects.get(phone="+60127778899")
    assert (person.full_name, person.listed_publicly) == ("Nurul Huda", True)
    membership = Membership.objects.get(person=person)
    assert (membership.cbo, membership.role) == (register.cbo, "ajk")
    again = client.post(url, appointment(full_name="Nurul", role="bendahari"), follow=True)
    assert "Nurul Huda" in again.content.decode()
    assert Membership.objects.filter(person=person).count() == 1  # the number found her
    membership.refresh_from_db()
    assert membership.role == "bendahari"
    assert list(membership.terms.values_list("role", flat=True)) == ["ajk"]


def test_the_appointment_form_says_what_is_wrong(register: Register) -> None:
    client = signed_in(Client(), register.officer)
    url = "/en" + reverse("members:appoint", args=[register.cbo.pk])
    response = client.post(
        url, appointment(phone="12", term_ends_on="2025-01-01", role="raja", full_name="")
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"phone", "term_ends_on", "role", "full_name"}
    page = response.content.decode()
    assert "Please correct the following" in page and 'href="#id_term_ends_on"' in page
    assert 'aria-invalid="true"' in page
    assert not Person.objects.filter(email="nurul@example.my").exists()


def test_changing_the_role_keeps_the_old_term(register: Register) -> None:
    client = signed_in(Client(), register.officer)
    url = reverse("members:reappoint", args=[register.member.pk])
    assert 'value="setiausaha" selected' in client.get(url).content.decode()
    data = {"role": "pengerusi", "appointed_by": "KPWKM", "appointed_on": "2026-02-01"}
    assert client.post(url, data).status_code == 302
    register.member.refresh_from_db()
    assert (register.member.role, register.member.term_ends_on) == ("pengerusi", None)
    term = register.member.terms.get()
    assert (term.role, term.term_ends_on) == ("setiausaha", datetime.date(2027, 12, 31))


def test_ending_asks_to_confirm_first(register: Register) -> None:
    client = signed_in(Client(), register.officer)
    url = reverse("members:end", args=[register.member.pk])
    data = {"ended_on": TODAY().isoformat(), "reason": "Meletak jawatan."}
    confirm = client.post(url, data)
    assert confirm.status_code == 200 and 'name="confirm" value="yes"' in confirm.content.decode()
    register.member.refresh_from_db()
    assert register.member.status == Membership.Status.ACTIVE  # not yet
    done = client.post(url, {**data, "confirm": "yes"})
    assert done.status_code == 302
    register.member.refresh_from_db()
    assert (register.member.status, register.member.ended_on) == ("ended", TODAY())
    assert MembershipTerm.objects.filter(membership=register.member).count() == 1
    assert client.get(url).status_code == 404  # nothing left to end
    members_page = client.get(reverse("members:cbo_members", args=[register.cbo.pk]))
    text = members_page.content.decode()
    assert reverse("members:reappoint", args=[register.member.pk]) in text
    assert "Meletak jawatan." in text  # the officers' note
    assert "1 earlier term" in client.get("/en" + members_page.request["PATH_INFO"]).text
    chair_page = signed_in(Client(), register.chair_user).get(members_page.request["PATH_INFO"])
    assert "Meletak jawatan." not in chair_page.content.decode()


def test_an_end_before_the_appointment_is_refused_on_the_form(register: Register) -> None:
    client = signed_in(Client(), register.officer)
    url = reverse("members:end", args=[register.member.pk])
    response = client.post(url, {"ended_on": "2020-01-01", "confirm": "yes"})
    assert response.status_code == 400 and "ended_on" in response.context["form"].errors
    register.member.refresh_from_db()
    assert register.member.status == Membership.Status.ACTIVE


def test_moving_from_the_page(register: Register) -> None:
    target = OrganizationFactory.create(area=Area.objects.get(code="10_7"), name="Kelab Salak")
    client = signed_in(Client(), register.officer)
    url = reverse("members:move", args=[register.member.pk])
    form_page = client.get(url).content.decode()
    assert "Kelab Salak" in form_page
    assert register.other_cbo.name not in form_page  # another district
    data = {
        "cbo": str(target.pk),
        "appointed_on": TODAY().isoformat(),
        "role": "ahli",
        "appointed_by": "JKM",
        "term_ends_on": "",
        "reason": "",
    }
    refused = client.post(url, {**data, "cbo": str(register.other_cbo.pk)})
    assert refused.status_code == 400 and "cbo" in refused.context["form"].errors
    assert client.post(url, data).status_code == 302
    register.member.refresh_from_db()
    assert register.member.status == Membership.Status.ENDED
    moved = Membership.objects.get(cbo=target)
    assert moved.person_id == register.member.person_id and moved.role == "ahli"
    assert client.get(url).status_code == 404  # an ended membership does not move


def test_a_failed_move_on_the_page_leaves_the_member_where_they_were(
    register: Register, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuses(**kwargs: Any) -> None:
        raise ValidationError({"term_ends_on": ["Tidak boleh dilantik."]})

    monkeypatch.setattr(services, "membership_appoint", refuses)
    target = OrganizationFactory.create(area=Area.objects.get(code="10_7"))
    data = {"cbo": str(target.pk), "appointed_on": TODAY().isoformat()}
    data |= {"role": "ahli", "appointed_by": "JKM"}
    client = signed_in(Client(), register.officer)
    response = client.post(reverse("members:move", args=[register.member.pk]), data)
    assert response.status_code == 400
    assert response.context["form"].errors["term_ends_on"] == ["Tidak boleh dilantik."]
    register.member.refresh_from_db()
    assert (register.member.status, register.member.ended_on) == ("active", None)
    assert not MembershipTerm.objects.exists() and not target.memberships.exists()
