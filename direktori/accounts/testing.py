"""Helpers for tests anywhere in the project: accounts of each role, and a signed-in client that
has passed the second factor. Not used by the running site."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from direktori.areas.models import Area

from . import services
from .models import Role, User

#: A password every validator accepts, also for officers (≥ 12 characters).
PASSWORD = "Kata-laluan-ujian-2026!"  # noqa: S105 -- for tests only, never a real account


def account(
    role: Role | str,
    area_code: str = "10_7",
    *,
    username: str | None = None,
    organisation: Any = None,
    password_override: str | None = None,
    **fields: Any,
) -> User:
    """A user of `role` over the area with this DOSM code (the areas must exist: use the
    `reference_areas` fixture). CBO roles get a new CBO in that area unless one is given."""
    role = Role(role)
    area = Area.objects.get(code=area_code)
    if role.is_cbo and organisation is None:
        from direktori.directory.tests.factories import OrganizationFactory

        organisation = OrganizationFactory.create(area=area)
    return services.user_create(
        username=username or f"{role.value}-{area_code}-{User.objects.count()}",
        role=role,
        area=area,
        organisation=organisation,
        password=password_override or PASSWORD,
        **fields,
    )


def signed_in(client: Client, user: User, *, second_factor: bool = True) -> Client:
    """`client` signed in as `user`; with `second_factor`, as after a backup code was accepted."""
    client.force_login(user)
    if second_factor:
        device, _created = StaticDevice.objects.get_or_create(
            user=user, name="tests", defaults={"confirmed": True}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
