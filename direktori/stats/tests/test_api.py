"""`GET /api/v1/statistics`: who sees exact counts, and what it refuses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from direktori.accounts.models import User

SMALL = {"category": "elderly", "from": "2023-01-01", "to": "2023-06-30"}  # Sepang: 2 in March


@pytest.mark.django_db
def test_a_small_count_is_hidden_from_the_public_and_shown_to_officers_in_scope(
    press_release: Path, api_get: Callable[..., Any], officers: dict[str, User]
) -> None:
    hidden: dict[str, Any] = {"total": None, "suppressed": True, "rows": []}
    exact = {"total": 2, "suppressed": False, "rows": []}
    for user in (None, officers["member"], officers["johor"]):  # no role, or another state
        assert api_get(user, **SMALL, district="10_7").json() == hidden
    for user in (officers["sepang"], officers["selangor"], officers["hq"]):
        assert api_get(user, **SMALL, district="10_7").json() == exact
    # An officer asking about a wider area than theirs gets the public view of it.
    national = api_get(officers["sepang"], **SMALL, group_by="state").json()
    assert national["total"] is None and national["suppressed"] is True
    assert api_get(officers["hq"], **SMALL, group_by="state").json()["total"] == 2


@pytest.mark.django_db
def test_the_rows_name_areas_and_periods(press_release: Path, api_get: Callable[..., Any]) -> None:
    body = api_get(category="child_protection", district="10_7", group_by="month").json()
    keys = [(row["key"], row["name"]) for row in body["rows"]]
    assert keys[:3] == [("2022-12", "2022-12"), ("2023-01", "2023-01"), ("2023-02", "2023-02")]
    assert ("2023-05..2023-07", "2023-05..2023-07") in keys
    body = api_get(category="child_protection", state="10", group_by="district").json()
    assert ("10_7", "Sepang") in [(row["key"], row["name"]) for row in body["rows"]]
    unallocated = [row["name"] for row in body["rows"] if row["key"] == "10:unallocated"]
    assert len(unallocated) == 1 and "Selangor" in unallocated[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "Give 'category', one of: child_protection"),
        ({"category": "poverty"}, "Give 'category'"),
        ({"category": "elderly", "from": "2023-02-30"}, "'from' is a date as YYYY-MM-DD"),
        ({"category": "elderly", "to": "June"}, "'to' is a date"),
        ({"category": "elderly", "from": "2023-06-01", "to": "2023-01-01"}, "'to' must not be"),
        ({"category": "elderly", "group_by": "week"}, "'group_by' is one of"),
        ({"category": "elderly", "state": "Atlantis"}, "Unknown state 'Atlantis'"),
        ({"category": "elderly", "state": "1", "district": "Sepang"}, "Unknown district 'Sepang'"),
        ({"category": "elderly", "district": "10_7", "group_by": "state"}, "A district has no"),
        ({"category": "elderly", "state": "x" * 121}, "'state' is too long"),
    ],
)
def test_a_wrong_parameter_is_422_with_a_message(
    reference_areas: None, client: Client, params: dict[str, str], message: str
) -> None:
    response = client.get("/api/v1/statistics", params)
    assert response.status_code == 422
    assert response.json()["detail"].startswith(message) or message in response.json()["detail"]


@pytest.mark.django_db
def test_a_bad_token_is_401_not_the_public_view(reference_areas: None, client: Client) -> None:
    response = client.get(
        "/api/v1/statistics", {"category": "elderly"}, headers={"Authorization": "Bearer nope"}
    )
    assert response.status_code == 401


@pytest.mark.django_db
def test_a_signed_in_session_is_not_a_token(
    press_release: Path, client: Client, officers: dict[str, User]
) -> None:
    from direktori.accounts.testing import signed_in

    signed_in(client, officers["hq"])
    response = client.get("/api/v1/statistics", {**SMALL, "district": "10_7"})
    assert response.json()["suppressed"] is True


@pytest.mark.django_db
def test_no_figures_is_zero(reference_areas: None, api_get: Callable[..., Any]) -> None:
    body = api_get(category="disability", group_by="state").json()
    assert body == {"total": 0, "suppressed": False, "rows": []}
