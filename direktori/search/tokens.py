"""Filters written as words of the full-text index (the `facets` field of SearchDocument).

A filtered search then asks the full-text index alone, which intersects posting lists in one pass,
instead of joining tens of thousands of matches to the filter's rows (ADR 0009). Each token is a
single word of letters and digits, so every tokenizer keeps it whole; they live in a column of
their own, so no word of a service's text can match one.
"""

from __future__ import annotations

import hashlib
import math
import uuid
from collections.abc import Iterable

INACTIVE = "inactive"
KM_PER_DEGREE = 111.195
FINE, COARSE = 0.1, 1.0  # grid cells of latitude and longitude, in degrees
MAX_CELLS = 64  # more fine cells than this for a circle: the coarse ones


def area(code: str) -> str:
    # Codes hold ':' and '-' (localities); a digest keeps the token one word.
    return "a" + hashlib.blake2b(code.encode(), digest_size=8).hexdigest()


def term(term_id: uuid.UUID | str) -> str:
    return "t" + uuid.UUID(str(term_id)).hex


def facet(key: str) -> str:
    """The token of a SearchFacet key (`a:<area code>` or `t:<term id>`)."""
    kind, value = key.split(":", 1)
    return area(value) if kind == "a" else term(value)


def _cell(value: float, size: float, offset: float) -> int:
    return math.floor((value + offset) / size)


def place(latitude: float, longitude: float) -> list[str]:
    """The fine and the coarse cell holding the point."""
    return [
        f"{prefix}{_cell(latitude, size, 90)}x{_cell(longitude, size, 180)}"
        for prefix, size in (("g", FINE), ("h", COARSE))
    ]


def bounding_box(centre: tuple[float, float], km: float) -> tuple[float, float, float, float]:
    """(south, north, west, east) of the circle around `centre`, in degrees."""
    latitude, longitude = centre
    dlat = km / KM_PER_DEGREE
    dlon = km / (KM_PER_DEGREE * max(math.cos(math.radians(latitude)), 0.01))
    return latitude - dlat, latitude + dlat, longitude - dlon, longitude + dlon


def cells(centre: tuple[float, float], km: float) -> list[str]:
    """Cells covering the circle's bounding box: fine ones when few enough, else coarse."""
    south, north, west, east = bounding_box(centre, km)
    for prefix, size in (("g", FINE), ("h", COARSE)):
        rows = range(_cell(south, size, 90), _cell(north, size, 90) + 1)
        columns = range(_cell(west, size, 180), _cell(east, size, 180) + 1)
        if len(rows) * len(columns) <= MAX_CELLS or prefix == "h":
            return [f"{prefix}{row}x{column}" for row in rows for column in columns]
    raise AssertionError("unreachable")


def document(
    area_codes: Iterable[str],
    term_ids: Iterable[uuid.UUID | str],
    positions: Iterable[tuple[float, float]],
    *,
    active: bool,
) -> str:
    words = [area(code) for code in sorted(area_codes)]
    words += [term(term_id) for term_id in term_ids]
    words += [cell for position in positions for cell in place(*position)]
    if not active:
        words.append(INACTIVE)
    return " ".join(dict.fromkeys(words))
