"""What the accounts pages and services write to the audit log (direktori/audit)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from direktori.accounts import services, two_factor
from direktori.accounts.models import ApiToken, Role
from direktori.accounts.testing import PASSWORD, account, signed_in
from direktori.audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db


def actions(**filters: object) -> list[str]:
    return list(
        AuditEvent.objects.filter(**filters).order_by("pk").values_list("action", flat=True)
    )


def test_signing_out_everywhere_records_the_sessions_and_the_tokens(reference_areas: None) -> None:
    member = account(Role.CBO_MEMBER, phone="012-555 0101")
    ApiToken.issue(user=member, lifetime=timedelta(hours=1), verified_second_factor=False)
    client = signed_in(Client(), member, second_factor=False)
    client.post(reverse("accounts:sign_out_everywhere"))
    recorded = actions(object_id=str(member.pk))
    assert Action.SESSIONS_ENDED in recorded and Action.TOKEN_REVOKED in recorded
    token_event = AuditEvent.objects.get(action=Action.TOKEN_REVOKED, object_id=str(member.pk))
    assert token_event.detail == {"count": 1}
    assert "+60125550101" not in str(list(AuditEvent.objects.values()))


def test_second_factor_given_and_failed_are_recorded(reference_areas: None) -> None:
    officer = account(Role.DISTRICT_OFFICER)
    TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    backup = two_factor.new_backup_codes(officer)
    client = Client()
    client.post(reverse("accounts:sign_in"), {"username": officer.username, "password": PASSWORD})
    client.post(reverse("accounts:verify"), {"otp_token": "000000"})
    for device in (*TOTPDevice.objects.all(), *StaticDevice.objects.all()):
        device.throttle_reset()  # each failure makes the next try wait
    client.post(reverse("accounts:verify"), {"otp_token": backup[0]})
    recorded = actions(object_id=str(officer.pk))
    assert Action.BACKUP_CODES_MADE in recorded
    assert recorded.index(Action.SECOND_FACTOR_FAILED) < recorded.index(
        Action.SECOND_FACTOR_VERIFIED
    )
    assert backup[0] not in str(list(AuditEvent.objects.values()))


def test_officers_reading_and_unlocking_accounts_is_recorded(reference_areas: None) -> None:
    officer = account(Role.DISTRICT_OFFICER)
    member = account(Role.CBO_MEMBER)
    client = signed_in(Client(), officer)
    client.get(reverse("accounts:manage_list"))
    client.get(reverse("accounts:manage_detail", args=[member.pk]))
    client.post(reverse("accounts:manage_unlock", args=[member.pk]))
    client.post(reverse("accounts:manage_reset_second_factor", args=[member.pk]))
    by_officer = AuditEvent.objects.filter(actor=officer)
    assert by_officer.filter(action=Action.RECORD_VIEWED, object_id="list").exists()
    assert by_officer.filter(action=Action.RECORD_VIEWED, object_id=str(member.pk)).exists()
    assert by_officer.filter(action=Action.ACCOUNT_UNLOCKED, object_id=str(member.pk)).exists()
    assert by_officer.filter(action=Action.SECOND_FACTOR_RESET, object_id=str(member.pk)).exists()
    assert all(event.area_id == officer.area_id for event in by_officer.exclude(object_id="list"))


def test_services_record_without_a_request(reference_areas: None) -> None:
    member = account(Role.CBO_MEMBER)
    services.user_sign_out_everywhere(user=member)
    event = AuditEvent.objects.filter(action=Action.SESSIONS_ENDED).latest("pk")
    assert event.actor is None and event.object_id == str(member.pk)
