"""Building the index: a full rebuild leaves it working, and nothing confidential gets in."""

import datetime
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection

from direktori.directory.models import Service, ServiceAtLocation
from direktori.directory.tests.factories import (
    AddressFactory,
    LocationFactory,
    PhoneFactory,
    ScheduleFactory,
    ServiceFactory,
)
from direktori.search import fulltext, indexing
from direktori.search.engine import search
from direktori.search.models import SearchDocument, SearchHours, SearchPlace, SearchWord
from direktori.search.query import SearchQuery

pytestmark = pytest.mark.django_db


def _found(words: str) -> set[Any]:
    return {hit.service_id for hit in search(SearchQuery(text=words)).hits}


def _sqlite_triggers() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {row[0] for row in cursor.fetchall()}


def test_after_a_full_rebuild_search_finds_the_services_and_follows_later_changes() -> None:
    service = ServiceFactory.create(name="Klinik Desa Zamrud")
    assert indexing.reindex_all() == Service.objects.count()

    assert _found("klinik zamrud") == {service.pk}
    assert SearchWord.objects.filter(word="zamrud", surface=True).exists()  # typos correct to it
    if connection.vendor == "sqlite":  # dropped for the bulk insert, back for every later change
        assert set(fulltext.TRIGGERS) <= _sqlite_triggers()
    service.alternate_name = "Nilamhijau"
    service.save()
    indexing.reindex([service.pk])
    assert _found("nilamhijau") == {service.pk}


@pytest.mark.django_db(transaction=True)
def test_the_rebuild_command_runs_in_transactions_of_its_own() -> None:
    """Outside any transaction, as the command runs it (PostgreSQL then truncates the tables)."""
    service = ServiceFactory.create(name="Klinik Desa Zamrud")
    SearchWord.objects.create(word="lapuk")
    call_command("rebuild_search_index", stdout=io.StringIO())

    assert _found("klinik zamrud") == {service.pk}
    assert not SearchWord.objects.filter(word="lapuk").exists()
    if connection.vendor == "sqlite":
        assert set(fulltext.TRIGGERS) <= _sqlite_triggers()


def test_a_full_rebuild_that_fails_leaves_the_old_index_and_its_triggers() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("only SQLite rebuilds in one transaction, without its triggers")
    service = ServiceFactory.create(name="Klinik Desa Zamrud")
    indexing.reindex([service.pk])

    with (
        mock.patch.object(indexing, "_write", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        indexing.reindex_all()

    assert set(fulltext.TRIGGERS) <= _sqlite_triggers()
    assert _found("klinik zamrud") == {service.pk}


def _refuge() -> Service:
    """A service given only at a confidential place; its organisation also has a public office."""
    service = ServiceFactory.create(name="Bantuan Mangsa")
    LocationFactory.create(
        organization=service.organization,
        name="Pejabat Terbuka",
        latitude=Decimal("2.900000"),
        longitude=Decimal("101.700000"),
    )
    hidden = LocationFactory.create(
        organization=service.organization,
        name="Rumah Zamrud",
        latitude=Decimal("2.777777"),
        longitude=Decimal("101.666666"),
        is_confidential=True,
    )
    AddressFactory.create(location=hidden, address_1="Jalan Tersembunyi", postal_code="43950")
    PhoneFactory.create(service=None, location=hidden, number="010-299 1234")
    ScheduleFactory.create(service=None, location=hidden, weekday=7, all_day=True)
    ServiceAtLocation.objects.create(service=service, location=hidden)
    return service


REBUILDS: list[Callable[[Service], object]] = [
    lambda service: indexing.reindex([service.pk]),
    lambda service: indexing.reindex_all(),
]


@pytest.mark.parametrize("rebuild", REBUILDS, ids=["reindex", "reindex_all"])
def test_a_confidential_place_never_reaches_the_index(rebuild: Callable[[Service], object]) -> None:
    service = _refuge()
    rebuild(service)

    document = SearchDocument.objects.get(service=service)
    assert "terbuka" in document.places  # the organisation's public office stands in
    for secret in ("zamrud", "tersembunyi", "43950"):
        assert secret not in document.places
        assert not SearchWord.objects.filter(word=secret).exists()
    assert "0102991234" not in document.phones
    assert list(
        SearchPlace.objects.filter(service=service).values_list("latitude", "longitude")
    ) == [(2.9, 101.7)]
    assert not SearchHours.objects.filter(service=service).exists()
    assert _found("zamrud") == set()


def test_hours_past_midnight_are_split_at_midnight() -> None:
    service = ServiceFactory.create()
    ScheduleFactory.create(
        service=service, weekday=7, opens_at=datetime.time(22), closes_at=datetime.time(6)
    )
    indexing.reindex_all()
    hours = SearchHours.objects.filter(service=service)
    assert sorted(hours.values_list("weekday", "opens", "closes")) == [(1, 0, 360), (7, 1320, 1440)]
