"""Issue 8's acceptance: the press release's January–June 2023 figures, imported from monthly
district figures with distractors, come back exactly, by DOSM name and by code."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from direktori.accounts.models import User

from .data import PRESS_RELEASE

RANGE = {"from": "2023-01-01", "to": "2023-06-30"}
SELANGOR = ("Selangor", "selangor", "10")
SEPANG = ("Sepang", "SEPANG", "10_7")


def totals(get: Callable[..., Any], user: User | None, category: str) -> list[int | None]:
    found = []
    for area in [{}, *({"state": s} for s in SELANGOR), *({"district": d} for d in SEPANG)]:
        response = get(user, category=category, **RANGE, **area)
        assert response.status_code == 200, response.content
        found.append(response.json()["total"])
    found += [
        get(user, category=category, **RANGE, state=state, district=district).json()["total"]
        for state, district in zip(SELANGOR, SEPANG, strict=True)
    ]
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("category", list(PRESS_RELEASE))
def test_officers_get_the_press_release_figures(
    press_release: Path, api_get: Callable[..., Any], officers: dict[str, User], category: str
) -> None:
    national, selangor, sepang = PRESS_RELEASE[category]
    expected = [national, selangor, selangor, selangor, sepang, sepang, sepang] + [sepang] * 3
    assert totals(api_get, officers["hq"], category) == expected
    # Officers of the state and the district see theirs exactly too.
    assert totals(api_get, officers["selangor"], category)[1:] == expected[1:]
    assert totals(api_get, officers["sepang"], category)[4:] == expected[4:]


@pytest.mark.django_db
@pytest.mark.parametrize("category", list(PRESS_RELEASE))
def test_the_public_gets_the_same_large_figures(
    press_release: Path, api_get: Callable[..., Any], category: str
) -> None:
    national, selangor, sepang = PRESS_RELEASE[category]
    assert totals(api_get, None, category) == [national, *[selangor] * 3, *[sepang] * 6]


@pytest.mark.django_db
def test_the_rows_add_up_to_the_total_and_name_the_unallocated(
    press_release: Path, api_get: Callable[..., Any], officers: dict[str, User]
) -> None:
    by_state = api_get(officers["hq"], category="child_protection", **RANGE, group_by="state")
    body = by_state.json()
    rows = {row["key"]: row["count"] for row in body["rows"]}
    assert rows["10"] == 794
    assert rows["MY:unallocated"] == 25
    assert sum(rows.values()) == body["total"] == 3767
    by_district = api_get(
        officers["hq"], category="child_protection", **RANGE, state="10", group_by="district"
    ).json()
    rows = {row["key"]: row["count"] for row in by_district["rows"]}
    assert rows["10_7"] == 58
    assert rows["10:unallocated"] == 16
    assert sum(rows.values()) == 794
    by_month = api_get(
        officers["hq"], category="child_protection", **RANGE, district="10_7", group_by="month"
    ).json()
    assert [(row["key"], row["count"]) for row in by_month["rows"]] == [
        ("2023-01", 10),
        ("2023-02", 9),
        ("2023-03", 11),
        ("2023-04", 8),
        ("2023-05", 10),
        ("2023-06", 10),
    ]


@pytest.mark.django_db
def test_a_wider_range_takes_in_the_periods_that_straddled_it(
    press_release: Path, api_get: Callable[..., Any], officers: dict[str, User]
) -> None:
    response = api_get(
        officers["hq"], category="child_protection", district="10_7", to="2023-07-31"
    )
    # Dec, Jan–Jun, Jul, and the May–July quarter.
    assert response.json()["total"] == 13 + 58 + 17 + 40
