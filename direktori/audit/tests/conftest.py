from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from direktori.accounts.models import Role, User
from direktori.accounts.testing import PASSWORD, account, signed_in
from direktori.areas.models import Area

__all__ = ["PASSWORD", "area"]


def area(code: str) -> Area:
    return Area.objects.get(code=code)


@pytest.fixture
def make_user(reference_areas: None) -> Callable[..., User]:
    """`make_user(Role.DISTRICT_OFFICER, "10_7")`: an account with `PASSWORD` and an email
    address; `is_active=False` disables it after it is made."""
    count = 0

    def make(role: str, area_code: str, **fields: Any) -> User:
        nonlocal count
        count += 1
        fields.setdefault("username", f"{role}-{count}")
        fields.setdefault("email", f"{fields['username']}@example.org")
        active = fields.pop("is_active", True)
        user = account(role, area_code, **fields)
        if not active:
            user.is_active = False
            user.save(update_fields=["is_active"])
        return user

    return make


@pytest.fixture
def verified_client() -> Callable[[User], Client]:
    """A new client signed in as the user, past the second factor."""
    return lambda user: signed_in(Client(), user)


@pytest.fixture
def district_officer(make_user: Callable[..., User]) -> User:
    return make_user(Role.DISTRICT_OFFICER, "10_7")


@pytest.fixture
def state_officer(make_user: Callable[..., User]) -> User:
    return make_user(Role.STATE_OFFICER, "10")


@pytest.fixture
def hq_admin(make_user: Callable[..., User]) -> User:
    return make_user(Role.HQ_ADMIN, "MY")


@pytest.fixture
def johor_district(reference_areas: None) -> Area:
    """Batu Pahat, the first district of Johor (DOSM state code 1)."""
    return Area.objects.districts().filter(parent__code="1").order_by("code").first()  # type: ignore[return-value]
