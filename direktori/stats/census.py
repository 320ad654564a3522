"""Population by area from DOSM's census (`data/census_district.csv`, the 2020 census), for rates
per 100,000 people (or children, aged 0 to 14). Read once and kept in memory; states and the
country are the sums of their districts."""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

CENSUS_FILE = Path(__file__).resolve().parent / "data" / "census_district.csv"
CENSUS_YEAR = "2020"
COUNTRY = "MY"
PER = 100_000


@dataclass(frozen=True)
class Population:
    people: int
    children: int  # aged 0 to 14


def population(code: str) -> Population | None:
    """The census population of the country, a state or a district (DOSM code); None when the
    census has no figure for it."""
    return _populations().get(code)


@functools.cache
def _populations() -> dict[str, Population]:
    people: dict[str, int] = {}
    children: dict[str, int] = {}
    with CENSUS_FILE.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["year"] != CENSUS_YEAR or not row["population_total"]:
                continue
            district, state = row["code_state_district"], row["code_state"]
            for code in (district, state, COUNTRY):
                people[code] = people.get(code, 0) + int(row["population_total"])
                children[code] = children.get(code, 0) + int(row["age_0_14"] or 0)
    return {code: Population(people[code], children[code]) for code in people}


def rate(count: int | None, base: int | None) -> float | None:
    """`count` per 100,000 of `base`, to one decimal; None without either."""
    if count is None or not base:
        return None
    return round(count * PER / base, 1)
