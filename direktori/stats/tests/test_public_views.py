"""Public monthly figures of small districts, through the API: no count from 1 to 4 is shown,
every view of one range shows the same cells the same way, and an attacker holding every view
works out no hidden cell (attacker.py)."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from direktori.stats.disclosure import WHOLE, Cell, Relation, unallocated

from .attacker import given_away
from .data import MONTHS, write_csv

RANGE = {"category": "domestic_violence", "from": "2023-01-01", "to": "2023-06-30"}
SELANGOR = ["10_1", "10_2", "10_3", "10_4", "10_5", "10_6", "10_7", "10_8", "10_9"]
PERLIS = ["9_1"]


def small_figures(seed: int) -> list[dict[str, str]]:
    """Monthly figures of 0 to 6 cases in Selangor's districts and Perlis (one district), a
    Selangor quarter not allocated to a district, and a national figure."""
    randomness = random.Random(seed)
    rows = []
    for district in SELANGOR + PERLIS:
        for start, end in MONTHS:
            count = randomness.choice([0, 0, 1, 1, 2, 3, 4, 5, 6])
            rows.append(
                {
                    "period_start": start,
                    "period_end": end,
                    "state": district.split("_")[0],
                    "district": district,
                    "category": "domestic_violence",
                    "count": str(count),
                    "source": "JKM",
                }
            )
    rows.append(rows[0] | {"period_end": "2023-03-31", "district": "", "count": "3"})
    rows.append(rows[0] | {"period_end": "2023-06-30", "state": "", "district": "", "count": "2"})
    return rows


def views(get: Callable[..., Any]) -> list[tuple[Cell, list[Cell], dict[Cell, int | None]]]:
    """Every view of the range: (its total's cell, its rows' cells, what each cell showed)."""
    asked: list[tuple[str, dict[str, str]]] = [("MY", {}), ("10", {"state": "10"})]
    asked += [("9", {"state": "Perlis"})]
    asked += [(code, {"district": code}) for code in [*SELANGOR, *PERLIS]]
    found = []
    for code, area in asked:
        for group_by in ("", "state", "district", "month"):
            if group_by == "state" and "district" in area:
                continue
            body = get(**RANGE, **area, group_by=group_by).json()
            cells = [
                (code, row["key"]) if group_by == "month" else (row["key"], WHOLE)
                for row in body["rows"]
            ]
            shown = {cell: row["count"] for cell, row in zip(cells, body["rows"], strict=True)}
            shown[(code, WHOLE)] = body["total"]
            for row in [*body["rows"], body]:
                assert (row["count"] if "count" in row else row["total"]) is None or not row[
                    "suppressed"
                ]
            found.append(((code, WHOLE), cells, shown))
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_hidden_cell_can_be_worked_out_from_all_the_views(
    reference_areas: None, tmp_path: Path, api_get: Callable[..., Any], seed: int
) -> None:
    call_command(
        "import_statistics",
        str(write_csv(tmp_path / "small.csv", small_figures(seed))),
        verbosity=0,
    )
    seen: dict[Cell, int | None] = {}
    relations = []
    for total, rows, shown in views(api_get):
        for cell, count in shown.items():
            assert seen.setdefault(cell, count) == count, f"{cell} differs between views"
        if rows:
            relations.append(Relation(total, tuple(rows)))
    assert not [cell for cell, n in seen.items() if n is not None and 0 < n < 5]
    hidden = {cell for cell, n in seen.items() if n is None}
    assert hidden, "the figures are small: some must be hidden"
    # What the attacker also knows: each state's month is its districts' month plus a part not
    # allocated to a district, which no view of this range shows.
    months = sorted({key for _code, key in seen if key != WHOLE})
    unpublished = set()
    for state, districts in (("10", SELANGOR), ("9", PERLIS), ("MY", ["10", "9"])):
        for key in months:
            if (state, key) not in seen:
                continue
            rest = (unallocated(state), key)
            unpublished.add(rest)
            parts = [(d, key) for d in districts if (d, key) in seen] + [rest]
            relations.append(Relation((state, key), tuple(parts)))
    values = {cell: n or 0 for cell, n in seen.items()} | dict.fromkeys(unpublished, 0)
    assert given_away(values, relations, hidden, frozenset(unpublished)) == set()
    # The plainest attack, by itself: a view's total less its shown rows, one row hidden.
    for total, rows, shown in views(api_get):
        if shown[total] is not None:
            assert len([r for r in rows if shown[r] is None]) != 1
