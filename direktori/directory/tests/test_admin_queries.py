"""The admin's lists cost the same number of queries for 5 rows as for 30 (split from
test_admin.py, whose `world` fixture and helpers they use)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from direktori.directory.models import Contact, Location, Organization, Phone

from . import test_admin
from .test_admin import REGISTERED, World, url

pytestmark = pytest.mark.django_db

world = test_admin.world  # the fixture, under its own name


def populate(world: World, count: int) -> None:
    areas = list(world.areas)
    for n in range(Organization.objects.count(), count):
        organization = world.organization(
            f"CBO {n:02}", areas[n % len(areas)], verified_on=timezone.localdate()
        )
        world.service(organization, f"Service {n:02}", "children", "elderly", "health")
        location = Location.objects.create(
            organization=organization, name=f"Place {n:02}", area=world.areas["10_7"]
        )
        contact = Contact.objects.create(organization=organization, name=f"Person {n:02}")
        Phone.objects.create(location=location, contact=contact, number="+60389475555")


def test_organisation_changelist_queries_do_not_grow_with_rows(
    admin_client: Client, world: World, django_assert_max_num_queries: Any
) -> None:
    changelist = url("organization", "changelist")
    for rows in (5, 30):
        populate(world, rows)
        with django_assert_max_num_queries(12):
            response = admin_client.get(changelist)
        assert len(response.context["cl"].result_list) == rows
        with django_assert_max_num_queries(12):
            admin_client.get(changelist, {"state": "10", "target_group": "children"})


@pytest.mark.parametrize("model", REGISTERED)
def test_changelist_queries_are_the_same_for_5_and_30_rows(
    admin_client: Client, world: World, model: str
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(url(model, "changelist")).status_code == 200
        # District boundaries are large GeoJSON documents that no list shows.
        assert not any("boundary" in query["sql"] for query in captured)
        return len(captured)

    populate(world, 5)
    queries()  # warm process-wide caches (content types, permissions) before counting
    few = queries()
    populate(world, 30)
    assert queries() == few
