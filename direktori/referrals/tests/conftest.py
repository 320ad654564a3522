"""The people of the referral tests: a reporter in a Sepang CBO and others of each role, inside
and outside Sepang, Selangor and the country."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.utils import timezone

from direktori.accounts.models import AccessGrant, Role, User
from direktori.accounts.testing import account
from direktori.areas.models import Area
from direktori.directory.tests.factories import OrganizationFactory
from direktori.referrals import notifications


@dataclass
class People:
    sepang: Area
    dengkil: Area  # a mukim of Sepang
    pekan_dengkil: Area  # a locality in it
    petaling: Area  # another district of Selangor
    reporter: User  # CBO member in Sepang
    other_member: User  # CBO member of the same CBO
    chair: User  # the same CBO's chair
    sepang_officer: User
    petaling_officer: User
    selangor_officer: User
    johor_officer: User
    hq_admin: User
    no_role: User

    def petaling_breaks_the_glass(self) -> AccessGrant:
        """Petaling's officer opens Sepang for an hour."""
        return AccessGrant.objects.create(
            user=self.petaling_officer,
            area=self.sepang,
            reason="Kes jiran, disahkan penyelia.",
            ends_at=timezone.now() + datetime.timedelta(hours=1),
        )


@pytest.fixture
def people(reference_areas: None) -> People:
    sepang = Area.objects.get(code="10_7")
    cbo = OrganizationFactory.create(area=sepang)
    no_role = User.objects.create_user(username="tiada-peranan", password="x")
    return People(
        sepang=sepang,
        dengkil=Area.objects.get(kind=Area.Kind.MUKIM, name_ms="Dengkil"),
        pekan_dengkil=Area.objects.get(kind=Area.Kind.LOCALITY, name_ms="Pekan Dengkil"),
        petaling=Area.objects.get(code="10_5"),
        reporter=account(Role.CBO_MEMBER, organisation=cbo, email="pelapor@example.my"),
        other_member=account(Role.CBO_MEMBER, organisation=cbo),
        chair=account(Role.CBO_CHAIR, organisation=cbo),
        sepang_officer=account(
            Role.DISTRICT_OFFICER, "10_7", email="pegawai.sepang@example.my", phone="0123000001"
        ),
        petaling_officer=account(
            Role.DISTRICT_OFFICER, "10_5", email="pegawai.petaling@example.my", phone="0123000002"
        ),
        selangor_officer=account(
            Role.STATE_OFFICER, "10", email="pegawai.selangor@example.my", phone="0123000003"
        ),
        johor_officer=account(Role.STATE_OFFICER, "1", email="pegawai.johor@example.my"),
        hq_admin=account(Role.HQ_ADMIN, "MY", email="ibu.pejabat@example.my"),
        no_role=no_role,
    )


@pytest.fixture(autouse=True)
def _empty_sms_outbox() -> Iterator[None]:
    notifications.outbox.clear()
    yield
    notifications.outbox.clear()
