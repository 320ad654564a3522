"""Each process remembers the database's answers to its recent searches while the index stays
the same.

Counting every match of a broad search ("warga emas": 58,000 of 100,000 services) is most of its
cost, and the same searches come again and again. An entry holds the database's answer — the
candidates and the count, or a page of a list without words — for one search and its filters at
one `SearchGeneration`; any change to the index gives a new generation, so an entry is never read
after its data changed. Ranking runs each time (it depends on the day and the distance). Not for
"open now", which changes with the clock. The reading of the words (engine's plan) and the lookups
of areas and target groups (reference.py) are remembered the same way; an entry's key holds all
that it depends on (versions.py). `SEARCH_MATCH_CACHE` (settings) is the number of entries; 0
turns it off.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from django.conf import settings

from . import versions
from .backends.base import Backend, Filters
from .plan import Group

_entries: OrderedDict[Hashable, Any] = OrderedDict()
_lock = threading.Lock()


def _size() -> int:
    return getattr(settings, "SEARCH_MATCH_CACHE", 512)


def clear() -> None:
    with _lock:
        _entries.clear()


def remembered[T](key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, or what it gave for the same key at this generation of the index. Callers
    must not change what they get (it is shared)."""
    if _size() <= 0:
        return compute()
    key = (versions.current(), key)
    with _lock:
        if key in _entries:
            _entries.move_to_end(key)
            return _entries[key]
    value = compute()
    with _lock:
        _entries[key] = value
        while len(_entries) > _size():
            _entries.popitem(last=False)
    return value


def match(
    backend: Backend, groups: list[Group], *, every: bool, filters: Filters, limit: int
) -> tuple[list[uuid.UUID], int]:
    """`backend.match`, from memory when this search was answered at this generation."""

    def compute() -> tuple[list[uuid.UUID], int]:
        return backend.match(groups, every=every, filters=filters, limit=limit)

    if not filters.cacheable:
        return compute()
    key = (
        "match",
        tuple((group.typed, tuple(group.alternatives)) for group in groups),
        every,
        filters.facets,
        filters.near,
        limit,
    )
    ids, count = remembered(key, compute)
    return list(ids), count
