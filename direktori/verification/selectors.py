"""Reads that assemble organisations and services together (CONVENTIONS 4): the re-verification
queue and the freshness dashboard. "Fresh" is the rule of `Verified.needs_reverification`:
verified within REVERIFY_AFTER_DAYS (365) days of today."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, overload

from django.db.models import Case, CharField, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from direktori.accounts.permissions import scope_paths
from direktori.areas.models import Area
from direktori.directory.models import Organization, Service
from direktori.directory.models.organisations import REVERIFY_AFTER_DAYS

from .permissions import organisations_q, services_q


def fresh_since(today: datetime.date | None = None) -> datetime.date:
    """The oldest `verified_on` that is still fresh."""
    return (today or timezone.localdate()) - datetime.timedelta(days=REVERIFY_AFTER_DAYS)


def stale_q(today: datetime.date | None = None) -> Q:
    return Q(verified_on__isnull=True) | Q(verified_on__lt=fresh_since(today))


def overdue_organisations(user: Any) -> QuerySet[Organization]:
    return Organization.objects.active().filter(organisations_q(user)).filter(stale_q())


def overdue_services(user: Any) -> QuerySet[Service]:
    return Service.objects.active().filter(services_q(user)).filter(stale_q())


def overdue_count(user: Any) -> int:
    return overdue_organisations(user).count() + overdue_services(user).count()


@dataclass(frozen=True)
class QueueEntry:
    kind: str
    entry: Organization | Service

    @property
    def organisation(self) -> Organization:
        entry = self.entry
        return entry.organization if isinstance(entry, Service) else entry


class OverdueQueue:
    """The overdue entries in the officer's area as one list: never verified first, then the
    oldest, then by name. Countable and sliceable, so `Paginator` pages it; a slice reads only
    its own rows: the database orders the union of both kinds' keys and cuts the slice, and only
    those entries are then loaded."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = overdue_count(self.user)
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[QueueEntry]:
        return iter(self[0 : self.count()])

    @overload
    def __getitem__(self, index: int) -> QueueEntry: ...

    @overload
    def __getitem__(self, index: slice) -> list[QueueEntry]: ...

    def __getitem__(self, index: int | slice) -> QueueEntry | list[QueueEntry]:
        if isinstance(index, int):
            one = self[index : index + 1]
            if not one:
                raise IndexError(index)
            return one[0]
        if index.step not in (None, 1):
            raise TypeError("OverdueQueue takes no step")
        start, stop = index.start or 0, index.stop
        if start < 0 or (stop is not None and stop < 0):
            raise ValueError("OverdueQueue takes no negative indices")
        keys = _queue_keys(overdue_organisations(self.user), "organization").union(
            _queue_keys(overdue_services(self.user), "service"), all=True
        )
        ordered = keys.order_by("never_verified", "verified_on", "name", "entry_kind", "pk")
        rows = list(ordered[start:stop])
        ids: dict[str, list[Any]] = {"organization": [], "service": []}
        for kind, pk, *_order in rows:
            ids[kind].append(pk)
        found: dict[str, dict[Any, Any]] = {
            "organization": Organization.objects.select_related("area").in_bulk(
                ids["organization"]
            ),
            "service": Service.objects.select_related("organization", "organization__area").in_bulk(
                ids["service"]
            ),
        }
        return [  # an entry verified or removed since the slice was read is left out
            QueueEntry(kind, found[kind][pk]) for kind, pk, *_order in rows if pk in found[kind]
        ]


def _queue_keys(queryset: QuerySet[Any], kind: str) -> QuerySet[Any]:
    """(kind, pk) of each entry, with the columns the queue is ordered by."""
    return (
        queryset.order_by()
        .annotate(
            entry_kind=Value(kind, output_field=CharField()),
            never_verified=Case(
                When(verified_on__isnull=True, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
        .values_list("entry_kind", "pk", "never_verified", "verified_on", "name")
    )


def queue(user: Any, *, limit: int = 100, offset: int = 0) -> list[QueueEntry]:
    """Overdue entries `offset` to `offset + limit` of the officer's `OverdueQueue`."""
    return OverdueQueue(user)[offset : offset + limit]


@dataclass
class FreshnessRow:
    area: Area
    entries: int = 0
    fresh: int = 0

    @property
    def share(self) -> float | None:
        """Per cent of entries verified within 12 months; None when there are no entries."""
        return round(100 * self.fresh / self.entries, 1) if self.entries else None


def _district_of(path: str, districts: dict[str, Area]) -> Area | None:
    for district_path, district in districts.items():
        if path.startswith(district_path):
            return district
    return None


def freshness(
    user: Any, today: datetime.date | None = None
) -> tuple[list[FreshnessRow], FreshnessRow]:
    """Per district in the officer's area: active entries (organisations and their services,
    placed by the organisation's area) and how many were verified within 12 months. Entries of
    organisations above district level (a state or the country) are counted in the total only."""
    paths = scope_paths(user, with_grants=False)
    if not paths:
        return [], FreshnessRow(area=Area(name_ms="", name_en=""))
    scope = Q()
    for path in paths:
        scope |= Q(path__startswith=path)
    districts = {area.path: area for area in Area.objects.districts().filter(scope)}
    # Districts inside the officer's area, and the district around an officer below one.
    for area in Area.objects.districts():
        if any(path.startswith(area.path) for path in paths):
            districts.setdefault(area.path, area)
    since = fresh_since(today)
    fresh = Count("pk", filter=Q(verified_on__gte=since))
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for area_field, queryset in (
        ("area__path", Organization.objects.active().filter(organisations_q(user))),
        ("organization__area__path", Service.objects.active().filter(services_q(user))),
    ):
        for row in (
            queryset.values(area_field).annotate(entries=Count("pk"), fresh=fresh).order_by()
        ):
            counts[row[area_field]][0] += row["entries"]
            counts[row[area_field]][1] += row["fresh"]
    rows = {path: FreshnessRow(area=area) for path, area in districts.items()}
    total = FreshnessRow(area=Area(name_ms="", name_en=""))
    for path, (entries, fresh_count) in counts.items():
        total.entries += entries
        total.fresh += fresh_count
        district = _district_of(path, districts)
        if district is not None:
            rows[district.path].entries += entries
            rows[district.path].fresh += fresh_count
    return sorted(rows.values(), key=lambda row: row.area.name), total
