"""The re-verification queue in pages (page and API): every overdue entry once, in order, the
figures equal to a direct count, and a page reads only its own entries."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from direktori.accounts.testing import signed_in
from direktori.directory.models import Organization, Service
from direktori.directory.tests.factories import OrganizationFactory, ServiceFactory
from direktori.verification import selectors, views

from .conftest import World
from .test_api import call

pytestmark = pytest.mark.django_db

VERIFY_LINK = re.compile(r"/pengesahan-entri/(organization|service)/([0-9a-f-]{36})/sah/")


def _verified(entry: Any, days_ago: int | None) -> None:
    on = None if days_ago is None else timezone.localdate() - datetime.timedelta(days=days_ago)
    type(entry).objects.filter(pk=entry.pk).update(verified_on=on)


@pytest.fixture
def overdue(world: World) -> int:
    """25 overdue entries in Sepang: never verified, and old ones sharing days and names across
    organisations and services (the order must still be total); two fresh and one inactive that
    the queue leaves out. Returns the direct count of overdue Sepang entries."""
    for n in range(8):
        organisation = OrganizationFactory.create(area=world.sepang, name=f"Pusat {n % 3}")
        _verified(organisation, [None, 400, 400, 800][n % 4])
        for m in range(2):
            service = ServiceFactory.create(organization=organisation, name=f"Pusat {m}")
            _verified(service, [None, 400, 500][(n + m) % 3])
    _verified(world.cbo, 10)
    _verified(world.service, 364)
    ServiceFactory.create(organization=world.other_cbo, status="inactive")
    return _direct_count(world.sepang.path, selectors.fresh_since())


def _direct_count(path: str, since: datetime.date) -> int:
    org, svc = Organization._meta.db_table, Service._meta.db_table
    stale = "(e.verified_on IS NULL OR e.verified_on < %s)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {org} e JOIN areas_area a ON a.id = e.area_id "  # noqa: S608
            f"WHERE e.status = 'active' AND a.path LIKE %s AND {stale}",
            [path + "%", since],
        )
        (organisations,) = cursor.fetchone()
        cursor.execute(
            f"SELECT COUNT(*) FROM {svc} e JOIN {org} o ON o.id = e.organization_id "  # noqa: S608
            f"JOIN areas_area a ON a.id = o.area_id WHERE e.status = 'active' "
            f"AND o.status = 'active' AND a.path LIKE %s AND {stale}",
            [path + "%", since],
        )
        (services,) = cursor.fetchone()
    return int(organisations + services)


def _key(item: selectors.QueueEntry) -> tuple[int, datetime.date]:
    verified_on = item.entry.verified_on
    return (verified_on is not None, verified_on or datetime.date.min)


def test_pages_hold_every_overdue_entry_once_in_order(world: World, overdue: int) -> None:
    assert overdue == 25 == selectors.overdue_count(world.officer)
    paginator = Paginator(selectors.OverdueQueue(world.officer), 10)
    assert (paginator.count, paginator.num_pages) == (25, 3)
    items = [item for number in paginator.page_range for item in paginator.page(number)]
    keys = [(item.kind, item.entry.pk) for item in items]
    assert len(keys) == len(set(keys)) == 25
    organisations = selectors.overdue_organisations(world.officer).values_list("pk", flat=True)
    services = selectors.overdue_services(world.officer).values_list("pk", flat=True)
    expected = {("organization", pk) for pk in organisations} | {("service", pk) for pk in services}
    assert set(keys) == expected
    assert [_key(item) for item in items] == sorted(_key(item) for item in items)
    assert [(i.kind, i.entry.pk) for i in selectors.queue(world.officer, limit=5, offset=10)] == (
        keys[10:15]
    )
    whole = selectors.OverdueQueue(world.officer)
    assert list(whole) == items and whole[3] == items[3] and len(whole) == 25
    with pytest.raises(IndexError):
        whole[25]


def test_the_queue_page_links_its_pages(
    world: World, overdue: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "QUEUE_PAGE_SIZE", 10)
    client = signed_in(Client(), world.officer)
    url = reverse("verification:queue")
    pages = [client.get(url, {"page": number}) for number in (1, 2, 3)]
    found = [VERIFY_LINK.findall(page.content.decode()) for page in pages]
    assert [len(entries) for entries in found] == [10, 10, 5]
    every = [entry for entries in found for entry in entries]
    assert len(set(every)) == 25 == overdue
    queue = selectors.queue(world.officer, limit=25)
    assert every == [(item.kind, str(item.entry.pk)) for item in queue]
    first = pages[0].content.decode()
    assert '<nav class="pagination"' in first and 'href="?page=2"' in first
    assert 'href="?page=3"' in first and 'aria-current="page"' in first
    english = client.get("/en" + url).content.decode()
    assert "(1–10 of 25)" in english and "25 active entries in your area" in english
    assert client.get(url, {"page": 99}).content.decode().count("/sah/") == 5  # the last page


def test_still_true_returns_to_the_same_page(
    world: World, overdue: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "QUEUE_PAGE_SIZE", 10)
    client = signed_in(Client(), world.officer)
    item = selectors.queue(world.officer, limit=1, offset=12)[0]
    response = client.post(
        reverse("verification:verify", args=[item.kind, item.entry.pk]), {"page": "2"}
    )
    assert response["Location"] == reverse("verification:queue") + "?page=2"
    assert selectors.overdue_count(world.officer) == overdue - 1


def test_a_page_reads_the_same_few_queries_however_long_the_queue(
    world: World, overdue: int
) -> None:
    client = signed_in(Client(), world.officer)
    url = reverse("verification:queue")
    client.get(url)
    with CaptureQueriesContext(connection) as short:
        client.get(url)
    for n in range(30):
        ServiceFactory.create(organization=world.other_cbo, name=f"Tambahan {n}")
    with CaptureQueriesContext(connection) as long:
        page = client.get(url)
    assert len(VERIFY_LINK.findall(page.content.decode())) == views.QUEUE_PAGE_SIZE
    assert len(long.captured_queries) == len(short.captured_queries)


def test_the_api_pages_with_limit_and_offset(world: World, overdue: int) -> None:
    seen: list[str] = []
    for offset in (0, 10, 20, 30):
        answer = call(world.officer, "get", f"/verification/queue?limit=10&offset={offset}")
        assert answer.status_code == 200
        assert answer.json()["count"] == overdue
        seen += [entry["id"] for entry in answer.json()["results"]]
    assert len(seen) == len(set(seen)) == overdue
    assert seen == [str(item.entry.pk) for item in selectors.queue(world.officer, limit=100)]
    assert len(call(world.officer, "get", "/verification/queue").json()["results"]) == 25
    assert call(world.officer, "get", "/verification/queue?limit=501").status_code == 400
    assert call(world.officer, "get", "/verification/queue?offset=-1").status_code == 400
    assert call(world.chair, "get", "/verification/queue?limit=10").status_code == 404
