"""What a process's memories of search are valid for, read in one statement (cache.py).

The index's `SearchGeneration` token (every change to the index replaces it), and for the
administrator's synonyms, the taxonomy terms and the areas their number and latest change: a
search remembers its reading of the words, its matches and its lookups of areas and target groups
while these stay the same. Inside `snapshot()` (one search, one API request) they are read once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

from direktori.areas.models import Area
from direktori.directory.models import TaxonomyTerm

from .models import SearchGeneration, Synonym

type Versions = tuple[Any, ...]

_local = threading.local()


def _statement() -> str:
    generation = SearchGeneration._meta.db_table
    synonyms = Synonym._meta.db_table
    changes = [
        f"(SELECT count(*) FROM {table}{where}), (SELECT max(updated_at) FROM {table}{where})"  # noqa: S608
        for table, where in (
            (synonyms, " WHERE is_active"),
            (TaxonomyTerm._meta.db_table, ""),
            (Area._meta.db_table, ""),
        )
    ]
    return f"SELECT (SELECT token FROM {generation} WHERE id = 1), {', '.join(changes)}"  # noqa: S608


def _read() -> Versions:
    with connection.cursor() as cursor:
        cursor.execute(_statement())
        row = cursor.fetchone()
    return (connection.settings_dict["NAME"], *row)


def current() -> Versions:
    """(database, index token, synonyms, terms, areas as counts and latest changes)."""
    held: Versions | None = getattr(_local, "versions", None)
    return held if held is not None else _read()


def synonyms(versions: Versions) -> Versions:
    return versions[2:4]


@contextmanager
def snapshot() -> Iterator[Versions]:
    """The versions read once for everything inside (nested snapshots share the outer one)."""
    held: Versions | None = getattr(_local, "versions", None)
    if held is not None:
        yield held
        return
    _local.versions = _read()
    try:
        yield _local.versions
    finally:
        _local.versions = None
