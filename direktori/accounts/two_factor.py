"""TOTP devices and backup codes (django-otp)."""

from __future__ import annotations

import base64

from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from direktori.audit.models import Action
from direktori.audit.services import audit_record

from .models import User

BACKUP_CODES = 10
BACKUP_DEVICE = "backup"


def pending_totp_device(user: User) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def readable_key(device: TOTPDevice) -> str:
    """The key in base32 groups of four, for typing into an app without a camera."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def new_backup_codes(user: User) -> list[str]:
    """Ten one-time codes that stand in for the authenticator; the old ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    audit_record(action=Action.BACKUP_CODES_MADE, target=user, detail={"count": len(codes)})
    return codes


def reset_second_factor(user: User) -> None:
    """Recovery by an administrator: the user enrols a new authenticator at the next sign-in."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
