"""Writing statistics: saving imported figures (replacing those with the same key) and keeping the
roll-ups that the API reads in step with the records (models' docstring)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from direktori.audit.models import Action
from direktori.audit.services import audit_record

from . import canonical, places, selectors
from .disclosure import UNALLOCATED, is_unallocated
from .models import (
    Category,
    PublicStatisticCell,
    StatisticImport,
    StatisticRecord,
    StatisticRollup,
)

BATCH_SIZE = 2000

type Key = tuple[
    datetime.date, datetime.date, int, str, str
]  # start, end, area id, category, source


@dataclass(frozen=True)
class Figure:
    period_start: datetime.date
    period_end: datetime.date
    area_id: int
    category: str
    count: int
    source: str

    @property
    def key(self) -> Key:
        return (self.period_start, self.period_end, self.area_id, self.category, self.source)


@dataclass(frozen=True)
class Outcome:
    created: int
    replaced: int
    unchanged: int


def figures_outcome(figures: Sequence[Figure]) -> tuple[Outcome, dict[Key, tuple[int, int]]]:
    """What saving `figures` would do, and the existing records by key (id, count)."""
    existing = _existing(figures)
    created = replaced = unchanged = 0
    for figure in figures:
        found = existing.get(figure.key)
        if found is None:
            created += 1
        elif found[1] != figure.count:
            replaced += 1
        else:
            unchanged += 1
    return Outcome(created, replaced, unchanged), existing


@transaction.atomic
def statistics_import(
    *, figures: Sequence[Figure], file_name: str = "", actor: Any = None
) -> StatisticImport:
    """Saves checked figures: a new key is added, an existing key gets the new count (re-importing
    never adds a figure twice). Then the roll-ups of the periods and categories touched."""
    outcome, existing = figures_outcome(figures)
    account = actor if getattr(actor, "is_authenticated", False) else None
    batch = StatisticImport.objects.create(
        imported_by=account,
        file_name=file_name[:255],
        created=outcome.created,
        replaced=outcome.replaced,
        unchanged=outcome.unchanged,
    )
    now = timezone.now()
    new, changed = [], []
    for figure in figures:
        found = existing.get(figure.key)
        if found is None:
            new.append(
                StatisticRecord(
                    period_start=figure.period_start,
                    period_end=figure.period_end,
                    area_id=figure.area_id,
                    category=figure.category,
                    count=figure.count,
                    source=figure.source,
                    imported_at=now,
                    batch=batch,
                )
            )
        elif found[1] != figure.count:
            changed.append(
                StatisticRecord(pk=found[0], count=figure.count, imported_at=now, batch=batch)
            )
    StatisticRecord.objects.bulk_create(new, batch_size=BATCH_SIZE)
    StatisticRecord.objects.bulk_update(
        changed, ["count", "imported_at", "batch"], batch_size=BATCH_SIZE
    )
    rollups_refresh(periods={(f.period_start, f.period_end) for f in figures})
    audit_record(
        action=Action.RECORD_CREATED,
        actor=account,
        target=batch,
        detail={
            "created": outcome.created,
            "replaced": outcome.replaced,
            "unchanged": outcome.unchanged,
        },
    )
    return batch


def _existing(figures: Sequence[Figure]) -> dict[Key, tuple[int, int]]:
    wanted = {figure.key for figure in figures}
    found: dict[Key, tuple[int, int]] = {}
    for start, ends in _by_start({(f.period_start, f.period_end) for f in figures}).items():
        rows = StatisticRecord.objects.filter(period_start=start, period_end__in=ends)
        for pk, *key, count in rows.values_list(
            "pk", "period_start", "period_end", "area_id", "category", "source", "count"
        ):
            if tuple(key) in wanted:
                found[tuple(key)] = (pk, count)  # type: ignore[index]
    return found


def _by_start(
    periods: Iterable[tuple[datetime.date, datetime.date]],
) -> dict[datetime.date, list[datetime.date]]:
    grouped: dict[datetime.date, list[datetime.date]] = defaultdict(list)
    for start, end in sorted(periods):
        grouped[start].append(end)
    return grouped


@transaction.atomic
def rollups_refresh(*, periods: Iterable[tuple[datetime.date, datetime.date]] | None = None) -> int:
    """Rewrites the roll-ups of these periods (all of them when None) from the records: for each
    period, category and area, the figures of the area and everything below it, all sources
    together; then the canonical public table of every category touched. Returns the number of
    roll-up rows written."""
    tree = places.tree()
    touched: set[str] = set()
    if periods is None:
        StatisticRollup.objects.all().delete()
        selections = [StatisticRecord.objects.all()]
        touched.update(Category.values)
    else:
        selections = []
        for start, ends in _by_start(periods).items():
            old = StatisticRollup.objects.filter(period_start=start, period_end__in=ends)
            touched.update(old.values_list("category", flat=True).distinct())
            old.delete()
            selections.append(
                StatisticRecord.objects.filter(period_start=start, period_end__in=ends)
            )
    written = 0
    for records in selections:
        sums: dict[tuple[datetime.date, datetime.date, str, str], int] = defaultdict(int)
        grouped = records.values("period_start", "period_end", "category", "area_id").annotate(
            total=Sum("count")
        )
        for row in grouped.order_by().values_list(
            "period_start", "period_end", "category", "area_id", "total"
        ):
            start, end, category, area_id, total = row
            for code in tree.lineage(tree.by_id[area_id].code):
                sums[(start, end, category, code)] += total
        rollups = [
            StatisticRollup(
                period_start=start,
                period_end=end,
                category=category,
                area_id=tree.by_code[code].id,
                count=total,
            )
            for (start, end, category, code), total in sums.items()
        ]
        StatisticRollup.objects.bulk_create(rollups, batch_size=BATCH_SIZE)
        touched.update(category for _start, _end, category, _code in sums)
        written += len(rollups)
    for category in sorted(touched):
        public_cells_refresh(category)
    return written


def public_cells_refresh(category: str) -> int:
    """Protects the category's canonical public table from its roll-ups and stores it
    (`PublicStatisticCell`), replacing the previous one. Returns the number of cells."""
    tree = places.tree()
    values, hidden = canonical.protect(
        selectors.rollup_sums(category, tree), tree, selectors.threshold()
    )
    PublicStatisticCell.objects.filter(category=category).delete()
    cells = []
    for (node, period), count in values.items():
        code, unallocated = node.removesuffix(UNALLOCATED), is_unallocated(node)
        start, end = canonical.span(period)
        cells.append(
            PublicStatisticCell(
                category=category,
                area_id=tree.by_code[code].id,
                unallocated=unallocated,
                period=period,
                period_start=start,
                period_end=end,
                count=count,
                suppressed=(node, period) in hidden,
            )
        )
    PublicStatisticCell.objects.bulk_create(cells, batch_size=BATCH_SIZE)
    return len(cells)
