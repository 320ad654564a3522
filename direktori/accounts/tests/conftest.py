"""Fixtures for the accounts tests: accounts of each role, and clients signed in as them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from direktori.accounts import services
from direktori.accounts.models import Role, User
from direktori.areas.models import Area

#: A password every validator accepts, also for officers (≥ 12 characters).
TEST_PASSWORD = "Kata-laluan-ujian-2026!"


@pytest.fixture
def make_account(reference_areas: None) -> Callable[..., User]:
    """`make_account(role, area_code, username=…, organisation=…, **fields)`: an account made by
    `services.user_create`. CBO roles get a new CBO in the area unless one is given."""
    made = 0

    def make(
        role: Role | str,
        area_code: str = "10_7",
        *,
        username: str | None = None,
        organisation: Any = None,
        **fields: Any,
    ) -> User:
        nonlocal made
        made += 1
        role = Role(role)
        area = Area.objects.get(code=area_code)
        if role.is_cbo and organisation is None:
            from direktori.directory.tests.factories import OrganizationFactory

            organisation = OrganizationFactory.create(area=area)
        return services.user_create(
            username=username or f"{role.value}-{area_code}-{made}",
            role=role,
            area=area,
            organisation=organisation,
            password=TEST_PASSWORD,
            **fields,
        )

    return make


@pytest.fixture
def sign_in() -> Callable[..., Client]:
    """`sign_in(user)`: a new test client signed in as `user`, past the second factor (as after
    a backup code was accepted) unless `second_factor=False`."""

    def signed_in(user: User, *, second_factor: bool = True) -> Client:
        client = Client()
        client.force_login(user)
        if second_factor:
            device, _created = StaticDevice.objects.get_or_create(
                user=user, name="tests", defaults={"confirmed": True}
            )
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return client

    return signed_in
