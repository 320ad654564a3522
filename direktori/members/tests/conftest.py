"""A Sepang CBO with a chair (contact not public) and a member (contact public), accounts of
each kind, and a CBO in another district."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from direktori.accounts.models import Role, User
from direktori.accounts.testing import account
from direktori.areas.models import Area
from direktori.directory.tests.factories import OrganizationFactory
from direktori.members.models import MemberRole, Membership

from .factories import MembershipFactory, PersonFactory

#: Contacts that must never appear where the public or strangers can see them.
SECRET_PHONE = "+60129990001"
SECRET_EMAIL = "rahsia@example.my"
PUBLIC_PHONE = "+60129990002"


@dataclass
class Register:
    cbo: Any
    other_cbo: Any
    chair: Membership
    member: Membership
    chair_user: User
    member_user: User
    officer: User
    other_officer: User
    other_cbo_member: User


@pytest.fixture
def register(reference_areas: None) -> Register:
    sepang = Area.objects.get(code="10_7")
    cbo = OrganizationFactory.create(area=sepang, name="Kelab Warga Emas Dengkil")
    other_cbo = OrganizationFactory.create(area=Area.objects.get(code="10_1"))
    chair_user = account(Role.CBO_CHAIR, organisation=cbo)
    member_user = account(Role.CBO_MEMBER, organisation=cbo)
    chair = MembershipFactory.create(
        cbo=cbo,
        role=MemberRole.PENGERUSI,
        person=PersonFactory.create(
            full_name="Siti Pengerusi", phone=SECRET_PHONE, email=SECRET_EMAIL, user=chair_user
        ),
    )
    member = MembershipFactory.create(
        cbo=cbo,
        role=MemberRole.SETIAUSAHA,
        person=PersonFactory.create(
            full_name="Ahmad Setiausaha", phone=PUBLIC_PHONE, listed_publicly=True, user=member_user
        ),
    )
    return Register(
        cbo=cbo,
        other_cbo=other_cbo,
        chair=chair,
        member=member,
        chair_user=chair_user,
        member_user=member_user,
        officer=account(Role.DISTRICT_OFFICER, "10_7", email="pegawai@example.my"),
        other_officer=account(Role.DISTRICT_OFFICER, "10_1"),
        other_cbo_member=account(Role.CBO_MEMBER, "10_1", organisation=other_cbo),
    )


#: Who may change the Sepang CBO's memberships, by the names `roles` gives them.
MANAGERS = ("district_officer", "state_officer", "hq_admin")
NOT_MANAGERS = ("cbo_member", "cbo_chair", "other_district_officer")


@pytest.fixture
def roles(register: Register) -> dict[str, User]:
    """A user of each role, for the Sepang CBO (anonymous is a client without one)."""
    return {
        "cbo_member": register.member_user,
        "cbo_chair": register.chair_user,
        "district_officer": register.officer,
        "other_district_officer": register.other_officer,
        "state_officer": account(Role.STATE_OFFICER, "10"),
        "hq_admin": account(Role.HQ_ADMIN, "MY"),
    }
