from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from direktori.accounts.testing import signed_in
from direktori.directory.models import Organization, Service
from direktori.directory.tests.factories import OrganizationFactory, ServiceFactory
from direktori.verification import selectors

from .conftest import World

pytestmark = pytest.mark.django_db


def _set_verified(entry: Any, days_ago: int | None) -> None:
    on = None if days_ago is None else timezone.localdate() - datetime.timedelta(days=days_ago)
    type(entry).objects.filter(pk=entry.pk).update(verified_on=on)


def _direct_count(path: str, since: datetime.date) -> tuple[int, int]:
    """Active organisations and services under `path`, and the fresh ones, counted in SQL."""
    org = Organization._meta.db_table
    svc = Service._meta.db_table
    area = "areas_area"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), SUM(CASE WHEN o.verified_on >= %s THEN 1 ELSE 0 END) "  # noqa: S608
            f"FROM {org} o JOIN {area} a ON a.id = o.area_id "
            f"WHERE o.status = 'active' AND a.path LIKE %s",
            [since, path + "%"],
        )
        orgs, orgs_fresh = cursor.fetchone()
        cursor.execute(
            f"SELECT COUNT(*), SUM(CASE WHEN s.verified_on >= %s THEN 1 ELSE 0 END) "  # noqa: S608
            f"FROM {svc} s JOIN {org} o ON o.id = s.organization_id "
            f"JOIN {area} a ON a.id = o.area_id "
            f"WHERE s.status = 'active' AND o.status = 'active' AND a.path LIKE %s",
            [since, path + "%"],
        )
        services, services_fresh = cursor.fetchone()
    return orgs + services, (orgs_fresh or 0) + (services_fresh or 0)


def test_the_dashboard_figure_equals_a_direct_count(world: World) -> None:
    _set_verified(world.cbo, 10)
    _set_verified(world.service, 365)  # the last fresh day
    _set_verified(world.other_cbo, 366)  # one day too old
    inactive = ServiceFactory.create(organization=world.cbo, status="inactive")
    _set_verified(inactive, 1)
    for days in (None, 3, 400, 20):
        ServiceFactory.create(organization=OrganizationFactory.create(area=world.sepang))
        _set_verified(Service.objects.order_by("-created_at").first(), days)
    _set_verified(world.johor_service, 5)
    since = selectors.fresh_since()
    rows, total = selectors.freshness(world.state_officer)
    sepang = next(row for row in rows if row.area == world.sepang)
    entries, fresh = _direct_count(world.sepang.path, since)
    assert (sepang.entries, sepang.fresh) == (entries, fresh) == (11, 4)
    assert sepang.share == round(100 * fresh / entries, 1)
    assert (total.entries, total.fresh) == _direct_count("/MY/10/", since)
    assert all(row.area.path.startswith("/MY/10/") for row in rows)
    hq_rows, hq_total = selectors.freshness(world.hq)
    assert (hq_total.entries, hq_total.fresh) == _direct_count("/", since)
    assert len(hq_rows) == 160
    page = signed_in(Client(), world.officer).get(reverse("verification:freshness"))
    assert page.status_code == 200
    text = page.content.decode()
    assert f"<td>{entries}</td>" in text and f"<td>{fresh}</td>" in text


def test_the_dashboard_sorts_by_share(world: World) -> None:
    client = signed_in(Client(), world.hq)
    page = client.get(reverse("verification:freshness"), {"sort": "-share"})
    assert page.status_code == 200
    assert 'aria-sort="descending"' in page.content.decode()
    assert '<th scope="row">' in page.content.decode()


def test_the_queue_holds_overdue_entries_in_scope_oldest_first(world: World) -> None:
    _set_verified(world.cbo, 10)  # fresh: not in the queue
    _set_verified(world.service, 500)
    _set_verified(world.other_cbo, 400)
    never = ServiceFactory.create(organization=world.other_cbo, name="Tanpa Pengesahan")
    found = [(item.kind, item.entry.pk) for item in selectors.queue(world.officer)]
    assert found == [
        ("service", never.pk),
        ("service", world.service.pk),
        ("organization", world.other_cbo.pk),
    ]
    assert selectors.overdue_count(world.officer) == 3
    assert selectors.queue(world.chair) == []
    assert world.johor_cbo.pk in [item.entry.pk for item in selectors.queue(world.hq)]
