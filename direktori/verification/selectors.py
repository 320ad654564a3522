"""Reads that assemble organisations and services together (CONVENTIONS 4): the re-verification
queue and the freshness dashboard. "Fresh" is the rule of `Verified.needs_reverification`:
verified within REVERIFY_AFTER_DAYS (365) days of today."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
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


def _oldest_first(entry: Organization | Service) -> tuple[int, datetime.date, str]:
    return (entry.verified_on is not None, entry.verified_on or datetime.date.min, entry.name)


def queue(user: Any, *, limit: int = 100) -> list[QueueEntry]:
    """The overdue entries in the officer's area: never verified first, then oldest first."""
    order = (F("verified_on").asc(nulls_first=True), "name", "pk")
    organisations = overdue_organisations(user).select_related("area").order_by(*order)[:limit]
    services = (
        overdue_services(user)
        .select_related("organization", "organization__area")
        .order_by(*order)[:limit]
    )
    entries = [QueueEntry("organization", o) for o in organisations] + [
        QueueEntry("service", s) for s in services
    ]
    entries.sort(key=lambda item: _oldest_first(item.entry))
    return entries[:limit]


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
