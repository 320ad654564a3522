"""Keeping the index in step: `reindex(ids)` after a change, `reindex_all()` to rebuild.

Changes made through the ORM reach here through `signals` after their transaction commits; bulk
writers (the HSDS importer, generate_synthetic) call `reindex` themselves with the services they
touched. Every service has rows; `SearchDocument.active` says whether search may show it.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable, Iterable
from itertools import batched
from typing import Any

from django.db import connection, transaction
from django.db.models import Q, QuerySet

from direktori.directory.models import Service

from .documents import AreaNames, Rows, add_service, services_to_index
from .models import SearchDocument, SearchFacet, SearchHours, SearchPlace, SearchWord

BATCH = 1000
GUARDED = (SearchFacet, SearchPlace, SearchHours, SearchDocument)


def reindex(service_ids: Iterable[Any]) -> int:
    """Rebuild the rows of these services; returns how many are indexed now."""
    ids = list(dict.fromkeys(service_ids))
    indexed = 0
    areas = AreaNames() if ids else None
    for batch in batched(ids, BATCH):
        assert areas is not None
        with transaction.atomic():
            for model in GUARDED:
                model.objects.filter(service_id__in=batch).delete()
            indexed += _write(services_to_index(batch), areas)
    return indexed


def reindex_all(progress: Callable[[int, int], None] | None = None) -> int:
    """Drop and rebuild the whole index, in batches; `progress(done, total)` after each."""
    with transaction.atomic():
        for model in GUARDED:
            model.objects.all().delete()
        SearchWord.objects.all().delete()
    ids = list(Service.objects.order_by("pk").values_list("pk", flat=True))
    areas = AreaNames()
    indexed = 0
    for batch in batched(ids, BATCH):
        with transaction.atomic():
            indexed += _write(services_to_index(batch), areas)
        if progress:
            progress(indexed, len(ids))
    if connection.vendor == "postgresql" and indexed >= 10_000:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchdocument, search_searchfacet, search_searchplace")
    return indexed


def _write(services: Iterable[Service], areas: AreaNames) -> int:
    rows = Rows()
    count = 0
    for service in services:
        add_service(rows, service, areas)
        count += 1
    SearchDocument.objects.bulk_create(rows.documents)
    SearchFacet.objects.bulk_create(rows.facets, batch_size=2000)
    SearchPlace.objects.bulk_create(rows.places, batch_size=2000)
    SearchHours.objects.bulk_create(rows.hours, batch_size=2000)
    _add_words(rows.words, rows.stems)
    return count


def _add_words(surface: set[str], stems: set[str]) -> None:
    candidates = {word for word in surface | stems if 2 <= len(word) <= 64}
    if not candidates:
        return
    known: set[str] = set()
    for batch in batched(sorted(candidates), 900):
        known.update(SearchWord.objects.filter(word__in=batch).values_list("word", flat=True))
    new = [SearchWord(word=word, surface=word in surface) for word in sorted(candidates - known)]
    SearchWord.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
    # A stem first seen as a stem may later turn up as a word someone writes.
    promote = sorted(known & surface)
    for batch in batched(promote, 900):
        SearchWord.objects.filter(word__in=batch, surface=False).update(surface=True)


# Changes seen in this thread's open transaction, indexed once it commits.
_pending = threading.local()


def schedule(service_ids: Iterable[Any]) -> None:
    ids = [pk for pk in service_ids if pk is not None]
    if not ids:
        return
    pending: set[Any] | None = getattr(_pending, "ids", None)
    if pending is None:
        pending = _pending.ids = set()
    pending.update(ids)
    # Registered every time: after a rollback the set may hold ids whose callback was dropped;
    # the first callback to run indexes them all, the others find nothing left to do.
    transaction.on_commit(_flush)


def _flush() -> None:
    ids = getattr(_pending, "ids", None) or set()
    _pending.ids = None
    reindex(ids)


def _ids(queryset: QuerySet, field: str = "pk") -> set[Any]:
    return set(queryset.values_list(field, flat=True))


def changed_since(moment: datetime.datetime) -> set[Any]:
    """Services whose own record, organisation, places, phones, hours or areas changed since
    `moment`: what a bulk writer (the HSDS importer) must re-index."""
    from direktori.directory.models import (
        Address,
        Location,
        Phone,
        Schedule,
        ServiceArea,
        ServiceAtLocation,
    )

    since = Q(updated_at__gte=moment)
    ids = _ids(Service.objects.filter(since | Q(organization__updated_at__gte=moment)))
    locations = _ids(Location.objects.filter(since))
    locations |= _ids(Address.objects.filter(since), "location_id")
    for model in (Phone, Schedule):
        rows = model.objects.filter(since)
        ids |= _ids(rows.exclude(service=None), "service_id")
        locations |= _ids(rows.exclude(location=None), "location_id")
    phoned = Phone.objects.filter(since).exclude(organization=None).values("organization_id")
    ids |= _ids(Service.objects.filter(organization_id__in=phoned))
    for linked in (ServiceArea, ServiceAtLocation):
        ids |= _ids(linked.objects.filter(since), "service_id")
    if locations:
        ids |= _ids(ServiceAtLocation.objects.filter(location_id__in=locations), "service_id")
        owners = Location.objects.filter(pk__in=locations).values("organization_id")
        ids |= _ids(Service.objects.filter(organization_id__in=owners))
    return ids


def refresh_since(moment: datetime.datetime) -> int:
    """After a bulk write: re-index what changed since `moment`; build the whole index when it
    is empty but services exist (a database that had data before search was installed)."""
    if not SearchDocument.objects.exists() and Service.objects.exists():
        return reindex_all()
    return reindex(changed_since(moment))
