"""Ending, moving and re-appointing memberships (services): the history is kept, the officer's
own area is required, and a move is all or nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from direktori.accounts.models import AccessGrant, Role
from direktori.accounts.testing import account
from direktori.areas.models import Area
from direktori.audit.models import Action, AuditEvent
from direktori.directory.models import Organization
from direktori.directory.tests.factories import OrganizationFactory
from direktori.members import services
from direktori.members.models import MemberRole, Membership, MembershipTerm, Person

from .conftest import Register
from .factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def sepang_cbo(name: str = "Kelab Belia Salak Tinggi") -> Organization:
    return OrganizationFactory.create(area=Area.objects.get(code="10_7"), name=name)


def move(register: Register, to_cbo: Organization, **changes: Any) -> Membership:
    values: dict[str, Any] = {
        "membership": register.member,
        "to_cbo": to_cbo,
        "moved_on": TODAY(),
        "role": MemberRole.AJK,
        "appointed_by": "JKM",
        "term_ends_on": datetime.date(2028, 6, 30),
        "actor": register.officer,
        **changes,
    }
    return services.membership_move(**values)


def test_ending_keeps_the_term_and_records_it(register: Register) -> None:
    ended = services.membership_end(
        membership=register.member,
        ended_on=TODAY(),
        reason="Berpindah ke Johor.",
        actor=register.officer,
    )
    assert (ended.status, ended.ended_on) == (Membership.Status.ENDED, TODAY())
    assert "Berpindah ke Johor." in ended.notes
    term = MembershipTerm.objects.get(membership=ended)
    assert (term.role, term.appointed_on, term.status, term.ended_on) == (
        MemberRole.SETIAUSAHA,
        register.member.appointed_on,
        Membership.Status.ENDED,
        TODAY(),
    )
    event = AuditEvent.objects.get(object_id=str(ended.pk), action=Action.RECORD_CHANGED)
    assert event.actor == register.officer and event.area == register.cbo.area
    assert event.detail["fields"] == ["status", "ended_on", "notes"]
    assert "Johor" not in str(event.detail)  # field names only, never the notes


@pytest.mark.parametrize(
    ("ended_on", "field"),
    [
        (datetime.date(2024, 12, 31), "ended_on"),  # the day before the appointment
        (datetime.date.max, "ended_on"),  # a day to come
    ],
)
def test_ending_refuses_impossible_dates(
    register: Register, ended_on: datetime.date, field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.membership_end(
            membership=register.member, ended_on=ended_on, actor=register.officer
        )
    assert field in refused.value.message_dict
    register.member.refresh_from_db()
    assert register.member.status == Membership.Status.ACTIVE
    assert not MembershipTerm.objects.exists()


def test_ending_on_the_appointment_day_is_allowed_and_only_once(register: Register) -> None:
    appointed = register.member.appointed_on
    member, officer = register.member, register.officer
    services.membership_end(membership=member, ended_on=appointed, actor=officer)
    with pytest.raises(ValidationError):
        services.membership_end(membership=member, ended_on=TODAY(), actor=officer)
    assert MembershipTerm.objects.count() == 1


def test_only_officers_of_the_cbos_own_area_end(register: Register) -> None:
    johor_officer = account(Role.DISTRICT_OFFICER, "1_1")
    AccessGrant.objects.create(  # break the glass opens reading the register, not changing it
        user=johor_officer,
        area=Area.objects.get(code="10"),
        reason="Kes rujukan dari daerah jiran, disahkan oleh penyelia.",
        ends_at=timezone.now() + datetime.timedelta(hours=1),
    )
    assert Membership.objects.visible_to(johor_officer).filter(pk=register.member.pk).exists()
    for user in (register.other_officer, register.chair_user, johor_officer):
        with pytest.raises(PermissionDenied):
            services.membership_end(membership=register.member, ended_on=TODAY(), actor=user)
    assert not AuditEvent.objects.filter(action=Action.RECORD_CHANGED).exists()


def test_re_appointing_after_an_end_keeps_each_term_once(register: Register) -> None:
    services.membership_end(membership=register.member, ended_on=TODAY(), actor=register.officer)
    person = register.member.person
    again = services.known_person_appointment(
        person=person,
        cbo=register.cbo,
        role=MemberRole.BENDAHARI,
        appointed_by="KPWKM",
        appointed_on=TODAY(),
        term_ends_on=None,
    )
    membership, outcome = services.membership_appoint(appointment=again, actor=register.officer)
    assert outcome == "updated" and membership.pk == register.member.pk
    assert membership.status == "active" and membership.ended_on is None
    assert membership.role == "bendahari"
    assert list(membership.terms.values_list("role", "status")) == [("setiausaha", "ended")]
    assert Membership.objects.filter(person=person).count() == 1


def test_moving_ends_here_and_appoints_the_same_person_there(register: Register) -> None:
    target = sepang_cbo()
    moved = move(register, target, reason="Tinggal di Salak Tinggi sekarang.")
    register.member.refresh_from_db()
    assert register.member.status == Membership.Status.ENDED
    assert register.member.ended_on == TODAY()
    assert register.member.terms.get().status == Membership.Status.ENDED
    assert moved.cbo == target and moved.person_id == register.member.person_id
    assert (moved.role, moved.appointed_by, moved.appointed_on) == ("ajk", "JKM", TODAY())
    assert moved.status == Membership.Status.ACTIVE
    assert Person.objects.count() == 2  # nobody new
    ended_event = AuditEvent.objects.get(object_id=str(register.member.pk))
    assert ended_event.detail["moved_to"] == str(target.pk)
    created = AuditEvent.objects.get(object_id=str(moved.pk))
    assert created.action == Action.RECORD_CREATED and created.actor == register.officer


def test_a_move_finds_the_person_by_who_they_are_not_by_name(register: Register) -> None:
    target = sepang_cbo()
    no_phone = MembershipFactory.create(
        cbo=register.cbo, person=PersonFactory.create(full_name="Ali bin Abu", phone="")
    )
    namesake = MembershipFactory.create(
        cbo=target, person=PersonFactory.create(full_name="Ali bin Abu", phone="")
    )
    moved = move(register, target, membership=no_phone)
    assert moved.person_id == no_phone.person_id != namesake.person_id
    assert Membership.objects.filter(cbo=target).count() == 2


@pytest.mark.parametrize("where", ["same", "other_district", "not_a_cbo"])
def test_a_move_refuses_targets_it_may_not_use(register: Register, where: str) -> None:
    target = {
        "same": register.cbo,
        "other_district": register.other_cbo,
        "not_a_cbo": OrganizationFactory.create(
            area=register.cbo.area, kind=Organization.Kind.GOVERNMENT
        ),
    }[where]
    with pytest.raises(ValidationError if where == "same" else PermissionDenied):
        move(register, target)
    register.member.refresh_from_db()
    assert register.member.status == Membership.Status.ACTIVE


def test_a_move_is_all_or_nothing(register: Register, monkeypatch: pytest.MonkeyPatch) -> None:
    def fails(**kwargs: Any) -> None:
        raise RuntimeError("the appointment could not be saved")

    monkeypatch.setattr(services, "membership_appoint", fails)
    with pytest.raises(RuntimeError):
        move(register, sepang_cbo())
    register.member.refresh_from_db()
    assert (register.member.status, register.member.ended_on) == ("active", None)
    assert not MembershipTerm.objects.exists()
    assert not AuditEvent.objects.filter(object_type="members.membership").exists()


def test_a_move_refused_by_the_new_terms_leaves_the_old_membership(register: Register) -> None:
    with pytest.raises(ValidationError):  # the term there would end before it starts
        move(register, sepang_cbo(), term_ends_on=TODAY() - datetime.timedelta(days=1))
    register.member.refresh_from_db()
    assert register.member.status == Membership.Status.ACTIVE
    assert not MembershipTerm.objects.exists()
    assert Membership.objects.count() == 2
