"""Sepang with two CBOs and their members, a CBO in another Selangor district (Gombak, 10_1),
accounts of every role (and an officer of the other district), the programme's topics and a
past Sepang session."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from direktori.accounts.models import Role, User
from direktori.accounts.testing import account
from direktori.areas.models import Area
from direktori.directory.tests.factories import OrganizationFactory
from direktori.members.models import MemberRole, Membership, Person
from direktori.members.tests.factories import MembershipFactory, PersonFactory
from direktori.training.models import Attendance, Topic, TrainingSession
from direktori.training.services import certificate_number_unused

from .factories import TrainingSessionFactory

#: A date in August: "Ogos" in Malay, "August" in English.
PAST = datetime.date(2026, 8, 15)


@dataclass
class Programme:
    sepang: Area
    cbo: Any
    other_cbo: Any
    gombak_cbo: Any
    users: dict[str, User]
    chair: Person
    member: Person
    colleague: Person  # a member of the same CBO with no account
    neighbour: Person  # a member of the other Sepang CBO
    outsider: Person  # a member of the Gombak CBO
    topics: dict[str, Topic]
    session: TrainingSession  # in Sepang, in the past, on two required topics

    def new_session(self, **fields: Any) -> TrainingSession:
        fields.setdefault("topics", [self.topics["child-protection"]])
        return TrainingSessionFactory.create(**fields)

    def attend(
        self, person: Person, session: TrainingSession | None = None, status: str = "attended"
    ) -> Attendance:
        session = session or self.session
        return Attendance.objects.create(
            session=session,
            person=person,
            status=status,
            certificate_number=certificate_number_unused(session)
            if status == Attendance.Status.ATTENDED
            else None,
        )


def _member(cbo: Any, role: str = MemberRole.AHLI, **person: Any) -> Person:
    return MembershipFactory.create(
        cbo=cbo, role=role, person=PersonFactory.create(phone="", **person)
    ).person


@pytest.fixture
def programme(reference_areas: None) -> Programme:
    from direktori.directory.reference import taxonomies_load_reference
    from direktori.training.reference import topics_load_reference

    taxonomies_load_reference()
    topics_load_reference()
    sepang = Area.objects.get(code="10_7")
    cbo = OrganizationFactory.create(area=sepang, name="Kelab Prihatin Dengkil")
    other_cbo = OrganizationFactory.create(area=sepang, name="CBO Salak Tinggi")
    gombak_cbo = OrganizationFactory.create(area=Area.objects.get(code="10_1"))
    users = {
        "cbo_member": account(Role.CBO_MEMBER, organisation=cbo),
        "cbo_chair": account(Role.CBO_CHAIR, organisation=cbo),
        "district_officer": account(Role.DISTRICT_OFFICER, "10_7"),
        "other_officer": account(Role.DISTRICT_OFFICER, "10_1"),
        "state_officer": account(Role.STATE_OFFICER, "10"),
        "hq_admin": account(Role.HQ_ADMIN, "MY"),
        "gombak_member": account(Role.CBO_MEMBER, "10_1", organisation=gombak_cbo),
    }
    topics = {topic.code: topic for topic in Topic.objects.all()}
    session = TrainingSessionFactory.create(
        title="Asas perlindungan kanak-kanak",
        starts_on=PAST,
        topics=[topics["child-protection"], topics["referral-system"]],
    )
    return Programme(
        sepang=sepang,
        cbo=cbo,
        other_cbo=other_cbo,
        gombak_cbo=gombak_cbo,
        users=users,
        chair=_member(
            cbo, MemberRole.PENGERUSI, full_name="Siti Aminah binti Hassan", user=users["cbo_chair"]
        ),
        member=_member(cbo, full_name="Rosnah binti Yusof", user=users["cbo_member"]),
        colleague=_member(cbo, full_name="Lim Mei Ling"),
        neighbour=_member(other_cbo, full_name="Kamala a/p Raju"),
        outsider=_member(gombak_cbo, full_name="Ahmad Fauzi bin Osman"),
        topics=topics,
        session=session,
    )


def membership_end(person: Person) -> None:
    Membership.objects.filter(person=person).update(
        status=Membership.Status.ENDED, ended_on=datetime.date(2026, 6, 1)
    )
