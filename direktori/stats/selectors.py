"""Reading statistics: one category over one range, as a total and rows by state, district or
month, exact or with disclosure control (docs/statistics.md). The API and the dashboard pages
call `statistics` for official figures and `referral_counts` for referrals made through the site.

Figures come from the roll-ups (`STATISTICS_ROLLUPS`, on by default) or, for checking them and
for the benchmark's comparison, straight from the records; both give the same sums.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Sum
from django.utils.translation import gettext as _

from . import disclosure, places
from .disclosure import WHOLE, Cell, is_unallocated, unallocated
from .models import StatisticImport, StatisticRecord, StatisticRollup
from .places import Place, Tree

type GroupBy = Literal["", "state", "district", "month"]
GROUPINGS = ("state", "district", "month")


@dataclass(frozen=True)
class StatisticsQuery:
    category: str
    start: datetime.date | None  # None: from the first figure
    end: datetime.date | None  # None: to the last figure
    area: Place  # the country, a state or a district
    group_by: GroupBy = ""


@dataclass(frozen=True)
class Row:
    key: str  # DOSM code, `<code>:unallocated`, `YYYY-MM` or `YYYY-MM..YYYY-MM`
    name: str
    count: int | None  # None when suppressed
    suppressed: bool


@dataclass(frozen=True)
class Statistics:
    total: int | None
    suppressed: bool
    rows: list[Row]
    exact: bool


def threshold() -> int:
    """Counts from 1 to threshold − 1 are hidden from the public."""
    return int(getattr(settings, "STATISTICS_SUPPRESSION_THRESHOLD", 5))


def period_key(start: datetime.date, end: datetime.date) -> str:
    """The month of a figure, or the months of a longer period ("2023-04..2023-06")."""
    first, last = f"{start:%Y-%m}", f"{end:%Y-%m}"
    return first if first == last else f"{first}..{last}"


def statistics(query: StatisticsQuery, *, exact: bool) -> Statistics:
    """Official figures, exact or as the public sees them: with `exact` False, every query of
    this category and range hides the same cells of one table, whatever its area and grouping."""
    return _answer(query, exact, OFFICIAL)


def referral_counts(query: StatisticsQuery, *, exact: bool) -> Statistics:
    """Referrals made through this site (issue 8, item 2), in the same shape and under the same
    disclosure control as `statistics`, and never added to official figures: counted in the
    district they are with now, in the month they were made, under the category their target
    group counts in (`referrals.models.STATISTICS_CATEGORY`; none for `destitute`). Referrals
    their reporter withdrew are not counted. Reads only `Referral.objects.counts()` (target
    group × district × month), the columns kept through anonymisation, never a referral."""
    return _answer(query, exact, REFERRALS)


def sources(query: StatisticsQuery) -> list[str]:
    """The sources of the official figures `statistics` sums for this query (the area and
    everything below it, whole periods inside the range), for naming them under what is shown.
    Reads no count."""
    tree = places.tree()
    rows = StatisticRecord.objects.of_category(query.category).inside(query.start, query.end)
    if query.area.kind != "country":
        below = [p.id for p in tree.by_code.values() if query.area.code in tree.lineage(p.code)]
        rows = rows.filter(area_id__in=below)
    return sorted(set(rows.values_list("source", flat=True)))


type Sums = Callable[[StatisticsQuery, Tree, set[str] | None], dict[tuple[str, str], int]]


@dataclass(frozen=True)
class Kind:
    name: str
    sums: Sums
    version: Callable[[], str]


def _answer(query: StatisticsQuery, exact: bool, kind: Kind) -> Statistics:
    tree = places.tree()
    if exact:
        values, _relations = disclosure.table(kind.sums(query, tree, _needed(query, tree)), tree)
        hidden: set[Cell] = set()
    else:
        values, hidden = protected_table(query, tree, kind)
    cells = _row_cells(query, tree, values)
    total = (query.area.code, WHOLE)
    return Statistics(
        total=None if total in hidden else values.get(total, 0),
        suppressed=total in hidden,
        rows=[
            Row(
                key=cell[0] if cell[1] == WHOLE else cell[1],
                name=_name(cell, tree),
                count=None if cell in hidden else values[cell],
                suppressed=cell in hidden,
            )
            for cell in cells
        ],
        exact=exact,
    )


def protected_table(
    query: StatisticsQuery, tree: Tree, kind: Kind
) -> tuple[dict[Cell, int], set[Cell]]:
    """Every cell of the category and range, and those hidden from the public; remembered in
    Django's cache for STATISTICS_CACHE_SECONDS (any change of the figures makes a new key)."""
    key = ":".join(
        [
            "statistics-protected",
            kind.name,
            query.category,
            str(query.start),
            str(query.end),
            str(threshold()),
            kind.version(),
        ]
    )
    seconds = int(getattr(settings, "STATISTICS_CACHE_SECONDS", 3600))
    found = cache.get(key) if seconds > 0 else None
    if found is None:
        whole = StatisticsQuery(query.category, query.start, query.end, tree.country)
        values, relations = disclosure.table(kind.sums(whole, tree, None), tree)
        found = (values, disclosure.suppress(values, relations, threshold()))
        if seconds > 0:
            cache.set(key, found, seconds)
    return found


def _imports_version() -> str:
    imports = StatisticImport.objects.aggregate(latest=Max("imported_at"), count=Count("pk"))
    return f"{imports['count']}-{imports['latest'] and imports['latest'].timestamp()}"


def _referrals_version() -> str:
    from direktori.referrals.models import Referral

    found = Referral.objects.aggregate(latest=Max("updated_at"), count=Count("pk"))
    return f"{found['count']}-{found['latest'] and found['latest'].timestamp()}"


def referral_sums(
    query: StatisticsQuery, tree: Tree, codes: set[str] | None
) -> dict[tuple[str, str], int]:
    """(area code, month) → referrals of the category in that area and below it."""
    from direktori.referrals.models import STATISTICS_CATEGORY, Referral, Status

    groups = [
        group for group, category in STATISTICS_CATEGORY.items() if category == query.category
    ]
    rows = Referral.objects.exclude(status=Status.WITHDRAWN).filter(target_group__in=groups)
    if query.start is not None:
        rows = rows.filter(created_month__gte=query.start)
    if query.end is not None:
        rows = rows.filter(created_month__lte=query.end)
    sums: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows.counts():
        month = row["created_month"]
        last_day = (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        if query.end is not None and last_day > query.end:
            continue  # the whole month must lie inside the range
        key = period_key(month, last_day)
        for code in tree.lineage(row["district__code"]):
            if codes is None or code in codes:
                sums[(code, key)] += row["count"]
    return dict(sums)


def figure_sums(
    query: StatisticsQuery, tree: Tree, codes: set[str] | None
) -> dict[tuple[str, str], int]:
    """(area code, period key) → the figures of that area and everything below it, for the areas
    in `codes` (all when None)."""
    if getattr(settings, "STATISTICS_ROLLUPS", True):
        return _sums_from_rollups(query, tree, codes)
    return _sums_from_records(query, tree, codes)


def _sums_from_rollups(
    query: StatisticsQuery, tree: Tree, codes: set[str] | None
) -> dict[tuple[str, str], int]:
    rows = StatisticRollup.objects.of_category(query.category).inside(query.start, query.end)
    if codes is not None:
        rows = rows.filter(area_id__in=[tree.by_code[code].id for code in codes])
    sums: dict[tuple[str, str], int] = defaultdict(int)
    keys: dict[tuple[datetime.date, datetime.date], str] = {}
    for area_id, start, end, count in rows.values_list(
        "area_id", "period_start", "period_end", "count"
    ):
        key = keys.get((start, end)) or keys.setdefault((start, end), period_key(start, end))
        sums[(tree.by_id[area_id].code, key)] += count
    return dict(sums)


def _sums_from_records(
    query: StatisticsQuery, tree: Tree, codes: set[str] | None
) -> dict[tuple[str, str], int]:
    """The same sums without the roll-ups: every record inside the range, summed up the tree."""
    rows = StatisticRecord.objects.of_category(query.category).inside(query.start, query.end)
    if codes is not None:
        below = [p.id for p in tree.by_code.values() if query.area.code in tree.lineage(p.code)]
        rows = rows.filter(area_id__in=below)
    grouped = rows.values("area_id", "period_start", "period_end").annotate(total=Sum("count"))
    sums: dict[tuple[str, str], int] = defaultdict(int)
    for area_id, start, end, total in grouped.order_by().values_list(
        "area_id", "period_start", "period_end", "total"
    ):
        key = period_key(start, end)
        for code in tree.lineage(tree.by_id[area_id].code):
            if codes is None or code in codes:
                sums[(code, key)] += total
    return dict(sums)


def _needed(query: StatisticsQuery, tree: Tree) -> set[str]:
    """The areas whose sums an exact answer needs: the area, and the areas of its rows."""
    code = query.area.code
    if query.group_by == "state" or (query.group_by == "district" and query.area.kind == "state"):
        return {code, *tree.children.get(code, [])}
    if query.group_by == "district" and query.area.kind == "country":
        return set(tree.by_code)
    return {code}


def _row_cells(query: StatisticsQuery, tree: Tree, values: dict[Cell, int]) -> list[Cell]:
    code = query.area.code
    if query.group_by == "month":
        return sorted(cell for cell in values if cell[0] == code and cell[1] != WHOLE)
    if query.group_by == "" or query.area.kind == "district":
        return [(code, WHOLE)] if query.group_by else []
    if query.group_by == "state" and query.area.kind == "state":
        return [(code, WHOLE)]
    if query.group_by == "district" and query.area.kind == "country":
        nodes = [
            node
            for state in tree.children.get(code, [])
            for node in [*tree.children.get(state, []), unallocated(state)]
        ]
    else:
        nodes = list(tree.children.get(code, []))
    nodes.append(unallocated(code))
    return [(node, WHOLE) for node in nodes if (node, WHOLE) in values]


def _name(cell: Cell, tree: Tree) -> str:
    node, key = cell
    if key != WHOLE:
        return key
    if not is_unallocated(node):
        return tree.by_code[node].label
    area = tree.by_code[node.removesuffix(disclosure.UNALLOCATED)]
    if area.kind == "country":
        return _("Not allocated to a state")
    return _("%(state)s, not allocated to a district") % {"state": area.label}


OFFICIAL = Kind("official", figure_sums, _imports_version)
REFERRALS = Kind("referrals", referral_sums, _referrals_version)
