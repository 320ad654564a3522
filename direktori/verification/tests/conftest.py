from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from direktori.accounts.models import Role, User
from direktori.accounts.testing import account
from direktori.areas.models import Area
from direktori.directory.models import Organization, Service
from direktori.directory.tests.factories import OrganizationFactory, ServiceFactory


@dataclass
class World:
    sepang: Area
    cbo: Organization
    service: Service
    other_cbo: Organization
    johor_cbo: Organization
    johor_service: Service
    chair: User
    member: User
    officer: User
    johor_officer: User
    state_officer: User
    hq: User


@pytest.fixture
def world(reference_areas: None) -> World:
    sepang = Area.objects.get(code="10_7")
    batu_pahat = Area.objects.get(code="1_1")
    cbo = OrganizationFactory.create(area=sepang, name="Kelab Warga Emas Dengkil")
    other_cbo = OrganizationFactory.create(area=sepang)
    johor_cbo = OrganizationFactory.create(area=batu_pahat)
    return World(
        sepang=sepang,
        cbo=cbo,
        service=ServiceFactory.create(organization=cbo, name="Lawatan Rumah Warga Emas"),
        other_cbo=other_cbo,
        johor_cbo=johor_cbo,
        johor_service=ServiceFactory.create(organization=johor_cbo),
        chair=account(Role.CBO_CHAIR, organisation=cbo),
        member=account(Role.CBO_MEMBER, organisation=cbo),
        officer=account(Role.DISTRICT_OFFICER, "10_7", email="pegawai@example.my"),
        johor_officer=account(Role.DISTRICT_OFFICER, "1_1", email="johor@example.my"),
        state_officer=account(Role.STATE_OFFICER, "10"),
        hq=account(Role.HQ_ADMIN, "MY"),
    )


def proposal_for(world: World, **changes: Any) -> Any:
    from direktori.verification import services

    return services.change_proposal_create(
        user=world.chair, entry=world.service, changes=changes or {"name": "Lawatan Zamrud"}
    )
