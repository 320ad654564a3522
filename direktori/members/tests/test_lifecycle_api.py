"""POST /api/v1/cbos/{id}/members, /api/v1/memberships/{id}/end and …/move: the pages' rules,
forms and services; 404 for whoever may not change the CBO, 400 with errors by field."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from direktori.accounts.models import User
from direktori.areas.models import Area
from direktori.audit.models import Action, AuditEvent
from direktori.directory.tests.factories import OrganizationFactory
from direktori.members import services
from direktori.members.models import Membership, MembershipTerm, Person

from .conftest import MANAGERS, NOT_MANAGERS, Register
from .test_api import bearer

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
APPOINTMENT = {
    "full_name": "Nurul Huda",
    "phone": "012-777 8899",
    "role": "ajk",
    "appointed_by": "MPKK",
    "appointed_on": "2026-01-05",
    "term_ends_on": "2028-01-04",
}


def post(user: User | None, path: str, body: dict[str, Any]) -> Any:
    return Client().post(
        "/api/v1" + path,
        data=json.dumps(body),
        content_type="application/json",
        headers=bearer(user) if user else {},
    )


def calls(register: Register, target: Any) -> list[tuple[str, dict[str, Any]]]:
    member = register.member.pk
    return [
        (f"/cbos/{register.cbo.pk}/members", APPOINTMENT),
        (f"/memberships/{member}/end", {"ended_on": TODAY().isoformat()}),
        (f"/memberships/{member}/move", {"cbo": str(target.pk)}),
    ]


@pytest.fixture
def target(register: Register) -> Any:
    return OrganizationFactory.create(area=Area.objects.get(code="10_7"), name="Kelab Salak")


@pytest.mark.parametrize("role", NOT_MANAGERS)
def test_those_who_may_not_change_the_cbo_get_404(
    register: Register, roles: dict[str, User], target: Any, role: str
) -> None:
    for path, body in calls(register, target):
        assert post(roles[role], path, body).status_code == 404, path
    assert not Person.objects.filter(full_name="Nurul Huda").exists()
    assert not Membership.objects.filter(status=Membership.Status.ENDED).exists()


def test_anonymous_gets_401(register: Register, target: Any) -> None:
    for path, body in calls(register, target):
        assert post(None, path, body).status_code == 401


@pytest.mark.parametrize("role", MANAGERS)
def test_officers_of_the_area_appoint_move_and_end(
    register: Register, roles: dict[str, User], target: Any, role: str
) -> None:
    officer = roles[role]
    created = post(officer, f"/cbos/{register.cbo.pk}/members", APPOINTMENT)
    assert created.status_code == 201, created.content
    assert created.json()["phone"] == "+60127778899" and created.json()["status"] == "active"
    moved = post(officer, f"/memberships/{register.member.pk}/move", {"cbo": str(target.pk)})
    assert moved.status_code == 200, moved.content
    new = Membership.objects.get(pk=moved.json()["id"])
    assert (new.cbo, new.person_id, new.role) == (target, register.member.person_id, "setiausaha")
    ended = post(officer, f"/memberships/{new.pk}/end", {"ended_on": TODAY().isoformat()})
    assert ended.status_code == 200 and ended.json()["status"] == "ended"
    assert MembershipTerm.objects.filter(status="ended").count() == 2  # here and there
    actions = AuditEvent.objects.filter(actor=officer, object_type="members.membership")
    done = Counter(actions.values_list("action", flat=True))
    assert done == {Action.RECORD_CREATED: 2, Action.RECORD_CHANGED: 2}  # two ends, two starts


def test_appointing_again_updates_and_keeps_the_term(register: Register) -> None:
    path = f"/cbos/{register.cbo.pk}/members"
    assert post(register.officer, path, APPOINTMENT).status_code == 201
    again = post(register.officer, path, {**APPOINTMENT, "role": "pengerusi"})
    assert again.status_code == 200 and again.json()["role"] == "pengerusi"
    membership = Membership.objects.get(pk=again.json()["id"])
    assert list(membership.terms.values_list("role", flat=True)) == ["ajk"]
    assert Person.objects.filter(phone="+60127778899").count() == 1


def test_bad_values_are_400_with_errors_by_field(register: Register, target: Any) -> None:
    path = f"/cbos/{register.cbo.pk}/members"
    wrong = {"phone": "12", "role": "raja", "term_ends_on": "2025-01-01"}
    bad = post(register.officer, path, {**APPOINTMENT, **wrong})
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"phone", "role", "term_ends_on"}
    assert post(register.officer, path, {"full_name": "x"}).status_code == 400  # schema
    end = f"/memberships/{register.member.pk}/end"
    early = post(register.officer, end, {"ended_on": "2020-01-01"})
    assert early.status_code == 400 and "ended_on" in early.json()["errors"]
    move = f"/memberships/{register.member.pk}/move"
    same = post(register.officer, move, {"cbo": str(register.cbo.pk)})
    assert same.status_code == 400 and "cbo" in same.json()["errors"]
    elsewhere = post(register.officer, move, {"cbo": str(register.other_cbo.pk)})
    assert elsewhere.status_code == 404  # a CBO outside the officer's area
    unknown = post(register.officer, move, {"cbo": "00000000-0000-4000-8000-000000000000"})
    assert unknown.status_code == 404
    ends_today = {"cbo": str(target.pk), "term_ends_on": TODAY().isoformat()}
    ends_first = post(register.officer, move, ends_today)
    assert ends_first.status_code == 400 and "term_ends_on" in ends_first.json()["errors"]
    register.member.refresh_from_db()
    assert register.member.status == Membership.Status.ACTIVE
    assert post(register.officer, end, {"ended_on": TODAY().isoformat()}).status_code == 200
    twice = post(register.officer, end, {"ended_on": TODAY().isoformat()})
    assert twice.status_code == 400 and "request" in twice.json()["errors"]


def test_a_move_whose_appointment_fails_leaves_the_member_where_they_were(
    register: Register, target: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuses(**kwargs: Any) -> None:
        raise ValidationError({"role": ["Tidak boleh dilantik."]})

    monkeypatch.setattr(services, "membership_appoint", refuses)
    move = f"/memberships/{register.member.pk}/move"
    refused = post(register.officer, move, {"cbo": str(target.pk)})
    assert refused.status_code == 400 and refused.json()["errors"] == {
        "role": ["Tidak boleh dilantik."]
    }
    register.member.refresh_from_db()
    assert (register.member.status, register.member.ended_on) == ("active", None)
    assert not MembershipTerm.objects.exists() and not target.memberships.exists()
    assert not AuditEvent.objects.filter(object_type="members.membership").exists()
