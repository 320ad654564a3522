"""Differencing across ranges (issue 8): the public API asked for every month range of a year, by
every grouping, for every area, and all the answers given to the attacker together: no hidden
figure can be worked out and no count from 1 to 4 is shown. Then the canonical table by itself,
on hypothesis-generated small tables."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from direktori.stats import canonical
from direktori.stats.disclosure import Cell, Relation, unallocated
from direktori.stats.places import Tree

from .attacker import given_away
from .data import write_csv
from .test_disclosure import rolled_up, small_tree

THRESHOLD = 5
DISTRICTS = {"10": ["10_1", "10_2", "10_3"], "9": ["9_1"]}
MONTHS = [f"2023-{m:02}" for m in range(1, 13)]
QUARTER = "2023-04..2023-06"  # Selangor's figure not allocated to a district


#: The canonical periods of the year as month indexes: months, quarters, half-years, the year.
CALENDAR = {f"{m}..{m}" for m in range(12)} | {f"{q}..{q + 2}" for q in (0, 3, 6, 9)}
CALENDAR |= {"0..5", "6..11", "0..11", QUARTER}


def month_end(month: str) -> str:
    return canonical.span(month)[1].isoformat()


def figures(seed: int) -> list[dict[str, str]]:
    randomness = random.Random(seed)
    rows = [
        {
            "period_start": f"{month}-01",
            "period_end": month_end(month),
            "state": state,
            "district": district,
            "category": "elderly",
            "count": str(randomness.choice([0, 0, 1, 1, 2, 3, 4, 5, 6])),
            "source": "JKM",
        }
        for state, districts in DISTRICTS.items()
        for district in districts
        for month in MONTHS
    ]
    rows.append(rows[0] | {"period_start": "2023-04-01", "period_end": "2023-06-30"})
    rows[-1] |= {"district": "", "count": "4"}
    return rows


def atoms_of(node: str) -> list[Cell]:
    """The finest unknowns below an area node: its districts' months, and Selangor's quarter not
    allocated to a district (no other part is unallocated, which the rows by district show)."""
    districts = {"MY": [*DISTRICTS["10"], *DISTRICTS["9"]], **DISTRICTS}.get(node, [node])
    atoms = [(district, month) for district in districts for month in MONTHS]
    if node in ("MY", "10", unallocated("10")):
        atoms.append((unallocated("10"), QUARTER))
    return atoms


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [11, 12])
def test_no_answer_of_any_range_gives_a_hidden_figure_away(
    reference_areas: None, tmp_path: Path, api_get: Callable[..., Any], seed: int
) -> None:
    call_command(
        "import_statistics", str(write_csv(tmp_path / "f.csv", figures(seed))), verbosity=0
    )
    areas: list[tuple[str, dict[str, str], tuple[str, ...]]] = [
        ("MY", {}, ("state", "district", "month")),
        ("10", {"state": "10"}, ("district", "month")),
        ("9", {"state": "9"}, ("district", "month")),
    ]
    areas += [(d, {"district": d}, ("month",)) for ds in DISTRICTS.values() for d in ds]
    answers: dict[Cell, int | None] = {}  # (node, "first..last" month index or QUARTER)

    def record(node: str, first: int, last: int, count: int | None, hidden: bool) -> None:
        assert (count is None) == hidden
        assert count is None or not 0 < count < THRESHOLD, (node, first, last, count)
        label = QUARTER if first < 0 else f"{first}..{last}"
        assert answers.setdefault((node, label), count) == count

    for first in range(12):
        for last in range(first, 12):
            span = {"from": f"{MONTHS[first]}-01", "to": month_end(MONTHS[last])}
            for node, area, groupings in areas:
                body = api_get(category="elderly", **span, **area).json()
                record(node, first, last, body["total"], body["suppressed"])
                for group_by in groupings:
                    body = api_get(category="elderly", **span, **area, group_by=group_by).json()
                    record(node, first, last, body["total"], body["suppressed"])
                    for row in body["rows"]:
                        key = row["key"]
                        if group_by != "month":
                            record(key, first, last, row["count"], row["suppressed"])
                        else:
                            month = MONTHS.index(key) if key in MONTHS else -1
                            record(node, month, month, row["count"], row["suppressed"])
    assert any(count is None for count in answers.values()), "small figures: some are hidden"
    relations, values, hidden = [], {}, set()
    for cell, count in answers.items():
        node, label = cell
        first, last = (3, 5) if label == QUARTER else map(int, label.split(".."))
        inside = set(MONTHS[first : last + 1])
        parts = [atom for atom in atoms_of(node) if atom[1] in inside]
        if first <= 3 and last >= 5:  # the range holds April to June
            parts += [atom for atom in atoms_of(node) if atom[1] == QUARTER]
        if label == QUARTER:
            parts = [atom for atom in atoms_of(node) if atom[1] == QUARTER]
        relations.append(Relation(cell, tuple(parts)))
        values[cell] = count or 0
        if count is None:
            hidden.add(cell)
    atoms = frozenset(atom for relation in relations for atom in relation.parts)
    values |= dict.fromkeys(atoms, 0)
    found = given_away(values, relations, hidden, atoms)
    # No hidden cell of the canonical table (a month, quarter, half-year or year of an area, or
    # Selangor's quarter figure) can be worked out; an answer over another range may be the
    # difference of shown ones (e.g. July–August as the third quarter less September), which
    # is a sum of hidden cells that the table's rules keep at the threshold or more.
    assert not [cell for cell in found if cell[1] in CALENDAR]
    truth = {
        (row["district"] or unallocated(row["state"]), row["period_start"][:7]): int(row["count"])
        for row in figures(seed)
    }
    truth[(unallocated("10"), QUARTER)] = truth.pop((unallocated("10"), "2023-04"))
    for cell in found:
        exact = sum(truth[atom] for atom in next(r.parts for r in relations if r.total == cell))
        assert exact >= THRESHOLD, (cell, exact)


@st.composite
def year_tables(draw: st.DrawFn) -> tuple[Tree, dict[Cell, int]]:
    tree = small_tree(draw(st.lists(st.integers(0, 3), min_size=1, max_size=2)))
    keys = [f"2023-{m:02}" for m in range(1, draw(st.integers(2, 7)) + 1)]
    keys += draw(st.lists(st.sampled_from(["2023-01..2023-03", "2023-02..2023-06"]), max_size=2))
    own = {}
    for code in tree.by_code:
        for key in sorted(set(keys)):
            if draw(st.integers(0, 3)):
                own[(code, key)] = draw(st.one_of(st.integers(0, 6), st.integers(0, 30)))
    return tree, rolled_up(own, tree)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(year_tables())
def test_the_canonical_table_gives_nothing_away(drawn: tuple[Tree, dict[Cell, int]]) -> None:
    tree, sums = drawn
    values, relations = canonical.table(sums, tree)
    hidden = canonical.protect(sums, tree, THRESHOLD)[1]
    assert not [cell for cell, n in values.items() if 0 < n < THRESHOLD and cell not in hidden]
    assert given_away(values, relations, hidden) == set()
    for relation in relations:
        assert values[relation.total] == sum(values[part] for part in relation.parts)


def test_periods_nest() -> None:
    assert canonical.chain("2023-05") == ["2023-05", "2023-Q2", "2023-H1", "2023"]
    assert canonical.chain("2023-04..2023-06") == ["2023-04..2023-06", "2023-Q2", "2023-H1", "2023"]
    assert canonical.parent("2023-05..2023-07") == "2023"
    assert canonical.parent("2022-12..2023-01") is None
    assert [d.isoformat() for d in canonical.span("2024-H1")] == ["2024-01-01", "2024-06-30"]
    assert canonical.combine({"2023-01": (3, True), "2023-Q1": (9, False)}) == (9, False)
    assert canonical.combine({"2023-01": (3, True), "2023-02": (6, False)}) == (None, True)


@pytest.mark.django_db
def test_a_range_that_cuts_a_month_shows_no_figure_of_it(
    reference_areas: None, tmp_path: Path, api_get: Callable[..., Any]
) -> None:
    row = {"state": "10", "district": "10_7", "category": "elderly", "source": "JKM"}
    rows = [
        row | {"period_start": "2023-01-01", "period_end": "2023-01-31", "count": "30"},
        row | {"period_start": "2023-01-10", "period_end": "2023-01-20", "count": "20"},
        row | {"period_start": "2023-02-01", "period_end": "2023-02-28", "count": "40"},
    ]
    call_command("import_statistics", str(write_csv(tmp_path / "f.csv", rows)), verbosity=0)

    def total(start: str, end: str) -> int | None:
        body = api_get(category="elderly", district="10_7", **{"from": start, "to": end}).json()
        return body["total"]

    assert total("2023-01-01", "2023-02-28") == 90
    # The 10th-20th figure lies inside, but only in January's cell, which is not: hidden.
    assert total("2023-01-05", "2023-02-28") is None
    # Nothing of January lies inside: February alone.
    assert total("2023-01-25", "2023-02-28") == 40
