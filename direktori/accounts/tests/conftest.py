"""Fixtures for the accounts tests: accounts of each role, and clients signed in as them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from direktori.accounts.models import User
from direktori.accounts.testing import PASSWORD, account, signed_in

#: The password of every test account (the same as `direktori.accounts.testing`'s).
TEST_PASSWORD = PASSWORD


@pytest.fixture
def make_account(reference_areas: None) -> Callable[..., User]:
    """`make_account(role, area_code, username=…, organisation=…, **fields)`: an account made by
    `services.user_create` (see `direktori.accounts.testing.account`)."""
    return account


@pytest.fixture
def sign_in() -> Callable[..., Client]:
    """`sign_in(user)`: a new test client signed in as `user`, past the second factor (as after
    a backup code was accepted) unless `second_factor=False`."""

    def sign_in_new_client(user: User, *, second_factor: bool = True) -> Client:
        return signed_in(Client(), user, second_factor=second_factor)

    return sign_in_new_client
