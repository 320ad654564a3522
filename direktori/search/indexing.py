"""Keeping the index in step: `reindex(ids)` after a change, `reindex_all()` to rebuild.

Changes made through the ORM reach here through `signals` after their transaction commits; bulk
writers (the HSDS importer, generate_synthetic) call `reindex` themselves with the services they
touched. A service that is no longer active simply has no rows.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from itertools import batched

from django.db import connection, transaction

from direktori.directory.models import Service

from .documents import AreaNames, Rows, add_service, services_to_index
from .models import SearchDocument, SearchFacet, SearchHours, SearchPlace, SearchWord

BATCH = 1000
GUARDED = (SearchFacet, SearchPlace, SearchHours, SearchDocument)


def reindex(service_ids: Iterable[object]) -> int:
    """Rebuild the rows of these services; returns how many are indexed (active) now."""
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
    ids = list(Service.objects.active().order_by("pk").values_list("pk", flat=True))
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


def schedule(service_ids: Iterable[object]) -> None:
    ids = [pk for pk in service_ids if pk is not None]
    if not ids:
        return
    pending: set[object] | None = getattr(_pending, "ids", None)
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
