"""Figure files for the tests: the press release's January–June 2023 (issue 8), built from
monthly district figures, unallocated state and national figures, and distractors that must not
count."""

from __future__ import annotations

import csv
from pathlib import Path

COLUMNS = ["period_start", "period_end", "state", "district", "category", "count", "source"]
SOURCE = "JKM, Laporan Statistik 2023"
MONTHS = [
    ("2023-01-01", "2023-01-31"),
    ("2023-02-01", "2023-02-28"),
    ("2023-03-01", "2023-03-31"),
    ("2023-04-01", "2023-04-30"),
    ("2023-05-01", "2023-05-31"),
    ("2023-06-01", "2023-06-30"),
]
#: What the API must answer for January–June 2023 (national, Selangor, Sepang).
PRESS_RELEASE = {"child_protection": (3767, 794, 58), "domestic_violence": (402, 83, 7)}
SELANGOR_OTHERS = ["10_1", "10_2", "10_3", "10_4", "10_5", "10_6", "10_8", "10_9"]
OTHER_STATES = ["1", "2", "3", "4", "5", "6", "7", "8", "9"]
# Per category: Sepang by month, Selangor's figure not allocated to a district (one quarter),
# and the national figure not allocated to a state (the half year).
SEPANG = {"child_protection": [10, 9, 11, 8, 10, 10], "domestic_violence": [3, 4, 0, 0, 0, 0]}
SELANGOR_UNALLOCATED = {"child_protection": 16, "domestic_violence": 6}
NATIONAL_UNALLOCATED = {"child_protection": 25, "domestic_violence": 0}


def spread(total: int, parts: int) -> list[int]:
    """`total` in `parts` whole numbers that differ by at most one."""
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def press_release_rows(district_codes: dict[str, list[str]]) -> list[dict[str, str]]:
    """`district_codes`: each of OTHER_STATES' district codes (from the DOSM reference data)."""
    rows: list[dict[str, str]] = []

    def add(start: str, end: str, state: str, district: str, category: str, n: int) -> None:
        rows.append(
            dict(zip(COLUMNS, [start, end, state, district, category, str(n), SOURCE], strict=True))
        )

    for category, (national, selangor, sepang) in PRESS_RELEASE.items():
        for (start, end), n in zip(MONTHS, SEPANG[category], strict=True):
            add(start, end, "Selangor", "Sepang", category, n)
        add("2023-01-01", "2023-03-31", "Selangor", "", category, SELANGOR_UNALLOCATED[category])
        others = selangor - sepang - SELANGOR_UNALLOCATED[category]
        in_selangor = [(d, m) for d in SELANGOR_OTHERS for m in MONTHS]
        for (district, (start, end)), n in zip(
            in_selangor, spread(others, len(in_selangor)), strict=True
        ):
            add(start, end, "10", district, category, n)
        add("2023-01-01", "2023-06-30", "", "", category, NATIONAL_UNALLOCATED[category])
        rest = national - selangor - NATIONAL_UNALLOCATED[category]
        cells = [(s, d, m) for s in OTHER_STATES for d in district_codes[s][:3] for m in MONTHS]
        for (state, district, (start, end)), n in zip(cells, spread(rest, len(cells)), strict=True):
            add(start, end, state, district, category, n)
        # Distractors: before, after, and two periods that straddle the ends of the range.
        add("2022-12-01", "2022-12-31", "Selangor", "Sepang", category, 13)
        add("2023-07-01", "2023-07-31", "Selangor", "Sepang", category, 17)
        add("2023-05-01", "2023-07-31", "Selangor", "Sepang", category, 40)
        add("2022-12-15", "2023-01-15", "Selangor", "", category, 21)
        add("2023-06-01", "2023-12-31", "", "", category, 300)
    add("2023-03-01", "2023-03-31", "Selangor", "Sepang", "elderly", 2)
    return rows


def write_csv(path: Path, rows: list[dict[str, str]], columns: list[str] = COLUMNS) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path
