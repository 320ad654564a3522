"""A CBO account follows its holder's membership: ended → disabled, role changed → chair or
member, moved → the new CBO. Officers' accounts and other CBOs' accounts are left alone."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from direktori.accounts.models import Role
from direktori.accounts.testing import account
from direktori.areas.models import Area
from direktori.directory.tests.factories import OrganizationFactory
from direktori.members import services
from direktori.members.models import MemberRole

from .conftest import Register
from .factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


def reappoint(register: Register, role: str) -> None:
    services.membership_appoint(
        appointment=services.known_person_appointment(
            person=register.chair.person,
            cbo=register.cbo,
            role=role,
            appointed_by="KPWKM",
            appointed_on=timezone.localdate(),
            term_ends_on=datetime.date(2028, 12, 31),
        ),
        actor=register.officer,
    )


def test_ending_the_chairs_membership_disables_their_account(register: Register) -> None:
    epoch = register.chair_user.session_epoch
    services.membership_end(
        membership=register.chair, ended_on=timezone.localdate(), actor=register.officer
    )
    register.chair_user.refresh_from_db()
    assert not register.chair_user.is_active
    assert register.chair_user.session_epoch == epoch + 1  # signed out everywhere
    register.member_user.refresh_from_db()
    assert register.member_user.is_active  # the other member keeps theirs


def test_a_chair_who_becomes_a_committee_member_gets_a_member_account(
    register: Register,
) -> None:
    reappoint(register, MemberRole.AJK)
    register.chair_user.refresh_from_db()
    assert (register.chair_user.role, register.chair_user.organisation) == (
        Role.CBO_MEMBER,
        register.cbo,
    )
    reappoint(register, MemberRole.PENGERUSI)
    register.chair_user.refresh_from_db()
    assert register.chair_user.role == Role.CBO_CHAIR


def test_a_moved_member_takes_their_account_to_the_new_cbo(register: Register) -> None:
    target = OrganizationFactory.create(area=Area.objects.get(code="10_7"))
    services.membership_move(
        membership=register.member,
        to_cbo=target,
        moved_on=timezone.localdate(),
        role=MemberRole.PENGERUSI,
        appointed_by="JKM",
        term_ends_on=None,
        actor=register.officer,
    )
    register.member_user.refresh_from_db()
    assert register.member_user.is_active
    assert (register.member_user.role, register.member_user.organisation) == (
        Role.CBO_CHAIR,
        target,
    )


def test_officers_and_accounts_of_other_cbos_are_left_alone(register: Register) -> None:
    officer = account(Role.DISTRICT_OFFICER, "10_7")
    other = account(Role.CBO_MEMBER, organisation=register.other_cbo)
    memberships = [
        MembershipFactory.create(cbo=register.cbo, role=MemberRole.AJK, person=person)
        for person in (PersonFactory.create(user=officer), PersonFactory.create(user=other))
    ]
    for membership in memberships:
        services.membership_end(
            membership=membership, ended_on=timezone.localdate(), actor=register.officer
        )
    for user, role in ((officer, Role.DISTRICT_OFFICER), (other, Role.CBO_MEMBER)):
        user.refresh_from_db()
        assert user.is_active and user.role == role
    assert other.organisation == register.other_cbo
