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

from . import canonical, disclosure, places
from .disclosure import WHOLE, Cell, is_unallocated, unallocated
from .models import PublicStatisticCell, StatisticRecord, StatisticRollup
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
    """Official figures, exact or as the public sees them: with `exact` False, every answer is
    built from the category's one protected table (`canonical`), whatever its range, area and
    grouping."""
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
type Published = tuple[dict[str, dict[str, canonical.Entry]], dict[str, set[str]]]
type Public = Callable[[StatisticsQuery, Tree, set[str]], Published]


@dataclass(frozen=True)
class Kind:
    sums: Sums  # exact sums, for officers
    public: Public  # the canonical public cells of some area nodes inside the range


def _answer(query: StatisticsQuery, exact: bool, kind: Kind) -> Statistics:
    tree = places.tree()
    if not exact:
        return _public_answer(query, tree, kind)
    values, _relations = disclosure.table(kind.sums(query, tree, _needed(query, tree)), tree)
    if query.group_by == "month":
        cells = sorted(cell for cell in values if cell[0] == query.area.code and cell[1] != WHOLE)
    else:
        cells = [(node, WHOLE) for node in _row_nodes(query, tree) if (node, WHOLE) in values]
    return Statistics(
        total=values.get((query.area.code, WHOLE), 0),
        suppressed=False,
        rows=[
            Row(
                key=cell[0] if cell[1] == WHOLE else cell[1],
                name=_name(cell, tree),
                count=values[cell],
                suppressed=False,
            )
            for cell in cells
        ],
        exact=True,
    )


def _public_answer(query: StatisticsQuery, tree: Tree, kind: Kind) -> Statistics:
    """Every number is a sum of shown cells of the canonical public table (`canonical`)."""
    code = query.area.code
    nodes = _row_nodes(query, tree)
    entries, cut = kind.public(query, tree, {code, *nodes})
    total, suppressed = canonical.combine(entries.get(code, {}), bool(cut.get(code)))
    rows = []
    if query.group_by == "month":
        mine, cut_keys = entries.get(code, {}), cut.get(code, set())
        for key in sorted({key for key in mine if canonical.is_finest(key)} | cut_keys):
            hidden = key in cut_keys or mine[key][1]
            rows.append(Row(key, key, None if hidden else mine[key][0], hidden))
    for node in nodes:
        if node in entries or node in cut:
            count, hidden = canonical.combine(entries.get(node, {}), bool(cut.get(node)))
            rows.append(Row(node, _name((node, WHOLE), tree), count, hidden))
    return Statistics(total=total, suppressed=suppressed, rows=rows, exact=False)


def official_public(query: StatisticsQuery, tree: Tree, nodes: set[str]) -> Published:
    """The stored canonical cells (`PublicStatisticCell`) of these nodes inside the range."""
    codes = {node.removesuffix(disclosure.UNALLOCATED) for node in nodes}
    rows = PublicStatisticCell.objects.filter(
        category=query.category, area_id__in=[tree.by_code[code].id for code in codes]
    )
    if query.start is not None:
        rows = rows.filter(period_start__gte=query.start)
    if query.end is not None:
        rows = rows.filter(period_end__lte=query.end)
    entries: dict[str, dict[str, canonical.Entry]] = defaultdict(dict)
    for area_id, rest, period, count, hidden in rows.values_list(
        "area_id", "unallocated", "period", "count", "suppressed"
    ):
        node = tree.by_id[area_id].code
        node = unallocated(node) if rest else node
        if node in nodes:
            entries[node][period] = (count, hidden)
    return dict(entries), _cut(query, tree, nodes)


def _cut(query: StatisticsQuery, tree: Tree, nodes: set[str]) -> dict[str, set[str]]:
    """For a range that begins or ends inside a month: the nodes' figures inside the range whose
    period key is not (a month cut by the range), by node. An unallocated part counts as cut when
    its area is (its own figures are not told apart here)."""
    start, end = query.start, query.end
    after_start = start is not None and start.day != 1
    before_end = end is not None and (end + datetime.timedelta(days=1)).day != 1
    if not (after_start or before_end):
        return {}
    codes = {node.removesuffix(disclosure.UNALLOCATED) for node in nodes}
    rows = StatisticRollup.objects.of_category(query.category).inside(start, end)
    rows = rows.filter(area_id__in=[tree.by_code[code].id for code in codes])
    cut: dict[str, set[str]] = defaultdict(set)
    for area_id, first, last in rows.values_list("area_id", "period_start", "period_end"):
        key = period_key(first, last)
        if not canonical.inside(key, start, end):
            code = tree.by_id[area_id].code
            for node in (code, unallocated(code)):
                if node in nodes:
                    cut[node].add(key)
    return dict(cut)


def referrals_public(query: StatisticsQuery, tree: Tree, nodes: set[str]) -> Published:
    """Referrals' canonical table is worked out on request (referrals change without an import)
    and kept in Django's cache for STATISTICS_CACHE_SECONDS, until any referral changes."""
    key = f"statistics-referrals-canonical:{query.category}:{threshold()}:{_referrals_version()}"
    seconds = int(getattr(settings, "STATISTICS_CACHE_SECONDS", 3600))
    found = cache.get(key) if seconds > 0 else None
    if found is None:
        whole = StatisticsQuery(query.category, None, None, tree.country)
        found = canonical.protect(referral_sums(whole, tree, None), tree, threshold())
        if seconds > 0:
            cache.set(key, found, seconds)
    values, hidden = found
    entries: dict[str, dict[str, canonical.Entry]] = defaultdict(dict)
    for (node, period), count in values.items():
        if node in nodes and canonical.inside(period, query.start, query.end):
            entries[node][period] = (count, (node, period) in hidden)
    return dict(entries), {}


def rollup_sums(category: str, tree: Tree) -> dict[tuple[str, str], int]:
    """(area code, period key) → every figure of the category, from the roll-ups."""
    return _sums_from_rollups(StatisticsQuery(category, None, None, tree.country), tree, None)


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


def _row_nodes(query: StatisticsQuery, tree: Tree) -> list[str]:
    """The area nodes of the rows by state or district (none by month or without grouping)."""
    code = query.area.code
    if query.group_by in ("", "month"):
        return []
    if query.area.kind == "district" or (query.group_by == "state" and query.area.kind == "state"):
        return [code]
    if query.group_by == "district" and query.area.kind == "country":
        nodes = [
            node
            for state in tree.children.get(code, [])
            for node in [*tree.children.get(state, []), unallocated(state)]
        ]
    else:
        nodes = list(tree.children.get(code, []))
    nodes.append(unallocated(code))
    return nodes


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


OFFICIAL = Kind(figure_sums, official_public)
REFERRALS = Kind(referral_sums, referrals_public)
