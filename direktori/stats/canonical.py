"""The canonical public table of a category (docs/statistics.md, "Disclosure control"): decided
once, when figures change, and read by every public answer, whatever its range.

Its periods are calendar months, quarters, half-years and years, and the period of any figure a
source published over several months (a *figure period*, keyed like "2023-04..2023-06"). They nest:
a month lies in a quarter, a quarter in a half-year, a half-year in a year, and a figure period in
the smallest of them that holds all its months (none when it straddles two years). A cell is an
area node (an area with everything below it, or an area's unallocated part) and a period: the
figures of that node whose whole period lies inside it. Its sums are the area hierarchy's
(`disclosure.split_areas`) and the time hierarchy's: a quarter is its months and the figure
periods that belong to it, a half-year its quarters and figure periods, a year its half-years and
figure periods. `disclosure.suppress` protects the whole table at once, hiding finer cells
(months, districts) before coarser ones.

A public answer for a range is built only from these cells (`combine`): an area's figures inside
the range are the largest cells inside the range, added up, and the answer is hidden when one of
them is hidden, or when a figure inside the range lies in no cell inside it (a range that cuts a
month in which figures lie). Every number shown is a sum of shown cells of one protected table,
so no two answers, of whatever ranges, tell more than the table does.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Mapping

from .disclosure import (
    UNALLOCATED,
    Cell,
    Rank,
    Relation,
    is_unallocated,
    split_areas,
    suppress,
)
from .places import Tree

MONTH, QUARTER, HALF, YEAR = 0, 1, 2, 3
AREA_LEVEL = {"district": 0, "state": 1, "country": 2}

type Entry = tuple[int, bool]  # count, hidden


def _month(text: str) -> tuple[int, int]:
    return int(text[:4]), int(text[5:7])


def _span_of_months(first: str, last: str) -> tuple[datetime.date, datetime.date]:
    (y1, m1), (y2, m2) = _month(first), _month(last)
    return datetime.date(y1, m1, 1), datetime.date(y2, m2, calendar.monthrange(y2, m2)[1])


def span(key: str) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a period key."""
    if ".." in key:
        first, last = key.split("..")
        return _span_of_months(first, last)
    year = key[:4]
    if len(key) == 4:
        return _span_of_months(f"{year}-01", f"{year}-12")
    tag = key[5:]
    if tag[0] in "HQ":
        months = 6 if tag[0] == "H" else 3
        n = int(tag[1])
        return _span_of_months(f"{year}-{months * n - months + 1:02}", f"{year}-{months * n:02}")
    return _span_of_months(key, key)


def parent(key: str) -> str | None:
    """The smallest calendar period holding this one (None for a year, or a figure period that
    straddles two years)."""
    if ".." in key:
        first, last = key.split("..")
        (y1, m1), (y2, m2) = _month(first), _month(last)
        if y1 != y2:
            return None
        if (m1 + 2) // 3 == (m2 + 2) // 3:
            return f"{y1}-Q{(m1 + 2) // 3}"
        if (m1 + 5) // 6 == (m2 + 5) // 6:
            return f"{y1}-H{(m1 + 5) // 6}"
        return str(y1)
    year, tag = key[:4], key[5:]
    if not tag:
        return None
    if tag[0] == "H":
        return year
    if tag[0] == "Q":
        return f"{year}-H{(int(tag[1]) + 1) // 2}"
    return f"{year}-Q{(int(tag) + 2) // 3}"


def level(key: str) -> int:
    """A month's or a figure period's is 0 (the finest), a quarter's 1, a half-year's 2 and a
    year's 3."""
    if ".." in key:
        return MONTH
    if len(key) == 4:
        return YEAR
    return {"H": HALF, "Q": QUARTER}.get(key[5], MONTH)


def is_finest(key: str) -> bool:
    """A month or a figure period: what rows by month show."""
    return level(key) == MONTH


def chain(key: str) -> list[str]:
    """The key and the calendar periods holding it."""
    keys = []
    current: str | None = key
    while current is not None:
        keys.append(current)
        current = parent(current)
    return keys


def table(sums: Mapping[Cell, int], tree: Tree) -> tuple[dict[Cell, int], list[Relation]]:
    """The cells and their sums, from `sums`: (area code, month or figure period key) → the
    figures of that area and everything below it (as the roll-ups hold them)."""
    values: dict[Cell, int] = defaultdict(int)
    for (code, key), count in sums.items():
        for period in chain(key):
            values[(code, period)] += count
    values = dict(values)
    keys = sorted({key for _code, key in values})
    nodes, relations = split_areas(values, keys, tree)
    below: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        above = parent(key)
        if above is not None:
            below[above].append(key)
    for node in nodes:
        for above, parts in sorted(below.items()):
            if (node, above) in values:
                cells = tuple((node, key) for key in parts if (node, key) in values)
                relations.append(Relation((node, above), cells))
    return values, relations


def rank(tree: Tree) -> Rank:
    """Finer first: a month before a quarter, a district before its state."""

    def of(cell: Cell) -> int:
        node, key = cell
        if is_unallocated(node):
            area = AREA_LEVEL[tree.by_code[node.removesuffix(UNALLOCATED)].kind] - 1
        else:
            area = AREA_LEVEL[tree.by_code[node].kind]
        return level(key) + area

    return of


def protect(
    sums: Mapping[Cell, int], tree: Tree, threshold: int
) -> tuple[dict[Cell, int], set[Cell]]:
    """The canonical table's cells and the hidden ones."""
    values, relations = table(sums, tree)
    return values, suppress(values, relations, threshold, rank(tree))


def inside(key: str, start: datetime.date | None, end: datetime.date | None) -> bool:
    first, last = span(key)
    return (start is None or first >= start) and (end is None or last <= end)


def combine(entries: Mapping[str, Entry], cut: bool = False) -> tuple[int | None, bool]:
    """One node's answer for a range, from its cells inside the range (period key → count,
    hidden): the sum of the largest ones, or hidden when one of them is, or when `cut` (a figure
    inside the range lies in no cell inside it)."""
    largest = [key for key in entries if parent(key) not in entries]
    if cut or any(entries[key][1] for key in largest):
        return None, True
    return sum(entries[key][0] for key in largest), False
