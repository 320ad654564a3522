"""The press release's figures imported, and API callers of each kind."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from direktori.accounts.models import ApiToken, Role, User
from direktori.accounts.testing import account
from direktori.areas.models import Area

from .data import OTHER_STATES, press_release_rows, write_csv


@pytest.fixture(autouse=True)
def _forget_protected_tables() -> None:
    """The public view's tables are remembered in Django's cache, which outlives a test."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def press_release_csv(reference_areas: None, tmp_path: Path) -> Path:
    codes = {
        state: list(
            Area.objects.districts()
            .filter(parent__code=state)
            .order_by("code")
            .values_list("code", flat=True)
        )
        for state in OTHER_STATES
    }
    return write_csv(tmp_path / "jkm-2023.csv", press_release_rows(codes))


@pytest.fixture
def press_release(press_release_csv: Path) -> Path:
    call_command("import_statistics", str(press_release_csv), verbosity=0)
    return press_release_csv


def bearer(user: User) -> dict[str, str]:
    _token, key = ApiToken.issue(
        user=user, lifetime=timedelta(minutes=5), verified_second_factor=True
    )
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def api_get(client: Client) -> Callable[..., Any]:
    """GET /api/v1/statistics as `user` (anonymous when None); the response."""

    def get(user: User | None = None, **params: str) -> Any:
        headers = bearer(user) if user is not None else {}
        return client.get("/api/v1/statistics", params, headers=headers)

    return get


@pytest.fixture
def officers(reference_areas: None) -> dict[str, User]:
    return {
        "hq": account(Role.HQ_ADMIN, "MY"),
        "selangor": account(Role.STATE_OFFICER, "10"),
        "sepang": account(Role.DISTRICT_OFFICER, "10_7"),
        "johor": account(Role.STATE_OFFICER, "1"),
        "member": account(Role.CBO_MEMBER, "10_7"),
    }
