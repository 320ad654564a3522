"""Keeping the index in step: `reindex(ids)` after a change, `reindex_all()` to rebuild.

Changes made through the ORM reach here through `signals` after their transaction commits; bulk
writers (the HSDS importer, generate_synthetic) call `reindex` themselves with the services they
touched. Every service has rows; `SearchDocument.active` says whether search may show it.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import batched
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    CharField,
    FloatField,
    IntegerField,
    Model,
    Q,
    QuerySet,
    TextField,
)

from direktori.directory.models import Service

from . import fulltext
from .documents import (
    DOCUMENT_COLUMNS,
    FACET_COLUMNS,
    HOURS_COLUMNS,
    PLACE_COLUMNS,
    Rows,
    add_service,
)
from .models import (
    SearchDocument,
    SearchFacet,
    SearchGeneration,
    SearchHours,
    SearchPlace,
    SearchWord,
)
from .sources import AreaNames, ServiceFacts, services_to_index

BATCH = 1000
GUARDED = (SearchFacet, SearchPlace, SearchHours, SearchDocument)
# Fields whose values `documents` gives in the form the database takes (not so dates and UUIDs).
READY = (BooleanField, CharField, FloatField, IntegerField, TextField)


def reindex(service_ids: Iterable[Any]) -> int:
    """Rebuild the rows of these services; returns how many are indexed now."""
    ids = list(dict.fromkeys(service_ids))
    indexed = 0
    areas = AreaNames() if ids else None
    for batch in batched(ids, BATCH):
        assert areas is not None  # noqa: S101 (narrows the type: set when there are ids)
        with transaction.atomic():
            for model in GUARDED:
                model.objects.filter(service_id__in=batch).delete()
            rows = _write(services_to_index(batch), areas)
            _add_words(rows.words, rows.stems)
            SearchGeneration.bump()  # processes forget what they remember (cache.py)
        indexed += len(rows.documents)
    return indexed


def reindex_all(progress: Callable[[int, int], None] | None = None) -> int:
    """Drop and rebuild the whole index, in batches; `progress(done, total)` after each.

    On PostgreSQL each batch commits on its own. On SQLite the rebuild is one transaction
    (`_full_text_deferred`): searches see the old index until it commits, and other writes wait
    for it (up to SQLite's busy timeout)."""
    ids = list(Service.objects.order_by("pk").values_list("pk", flat=True))
    areas = AreaNames()
    indexed = 0
    surface: set[str] = set()
    stems: set[str] = set()
    # PostgreSQL refuses to TRUNCATE tables with checks still pending in the transaction.
    truncate = connection.vendor == "postgresql" and not connection.in_atomic_block
    with _full_text_deferred():
        with transaction.atomic():
            _delete_all(truncate=truncate)
        for batch in batched(ids, BATCH):
            with transaction.atomic():
                rows = _write(services_to_index(batch), areas)
            indexed += len(rows.documents)
            surface |= rows.words
            stems |= rows.stems
            if progress:
                progress(indexed, len(ids))
        # Once at the end, into an empty table: a lookup per batch costs more than it saves.
        with transaction.atomic():
            _add_words(surface, stems)
            SearchGeneration.bump()
    if connection.vendor == "postgresql" and indexed >= 10_000:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchdocument, search_searchfacet, search_searchplace")
    return indexed


@contextmanager
def _full_text_deferred() -> Iterator[None]:
    """On SQLite: no full-text triggers while the rows go in, one FTS rebuild at the end (a
    trigger per row costs more). All in one transaction, and SQLite's DDL is transactional: if
    anything fails, the rollback puts the triggers back; nobody else ever sees them missing."""
    if connection.vendor != "sqlite":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        for name in fulltext.TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        try:
            yield
        finally:
            for statement in fulltext.SQLITE_TRIGGERS:
                cursor.execute(statement)
        for statement in fulltext.SQLITE_REBUILD:
            cursor.execute(statement)


def _delete_all(*, truncate: bool) -> None:
    # Plain SQL: nothing refers to these rows, and Django's delete() would load every one of
    # them first (the search signals keep it from deleting in one statement). TRUNCATE also
    # leaves no dead rows behind for the inserts and lookups to wade through.
    tables = [connection.ops.quote_name(model._meta.db_table) for model in (*GUARDED, SearchWord)]
    with connection.cursor() as cursor:
        if truncate:
            cursor.execute(f"TRUNCATE {', '.join(tables)}")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (our own table names)


def _write(services: Iterable[ServiceFacts], areas: AreaNames) -> Rows:
    """Insert the rows of these services; their words are left to the caller."""
    rows = Rows()
    for service in services:
        add_service(rows, service, areas)
    _insert(SearchDocument, DOCUMENT_COLUMNS, rows.documents)
    _insert(SearchFacet, FACET_COLUMNS, rows.facets)
    _insert(SearchPlace, PLACE_COLUMNS, rows.places)
    _insert(SearchHours, HOURS_COLUMNS, rows.hours)
    return rows


def _insert(model: type[Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """What bulk_create does, without building a model instance per row first."""
    if not rows:
        return
    fields: list[Any] = [model._meta.get_field(column) for column in columns]
    values = [list(column) for column in zip(*rows, strict=True)]
    for index, field in enumerate(fields):
        if not isinstance(field, READY):  # each distinct value once: a service has many rows
            ready = {
                value: field.get_db_prep_save(value, connection) for value in set(values[index])
            }
            values[index] = [ready[value] for value in values[index]]
    quote = connection.ops.quote_name
    # Only the model's own table and column names go into the statements, quoted.
    table = quote(model._meta.db_table)
    names = ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # a statement per row: mostly round trips
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in zip(*values, strict=True):
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608
        cursor.executemany(sql, list(zip(*values, strict=True)))


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
