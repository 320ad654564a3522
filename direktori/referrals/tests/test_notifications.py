"""The district office is told of a new (or transferred) referral after commit, never on
rollback, by email and SMS, and the messages carry nothing about the person."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.core import mail
from django.db import transaction

from direktori.accounts.models import Role
from direktori.accounts.testing import account
from direktori.referrals import notifications, services
from direktori.referrals.notifications import SmsProvider

from .conftest import People
from .factories import SECRET_ADDRESS, SECRET_CONCERN, SECRET_MYKAD, SECRET_NAME, submit

pytestmark = pytest.mark.django_db


class BrokenSms(SmsProvider):
    def send(self, phone: str, text: str) -> None:
        raise ConnectionError(f"gateway refused {phone}")


def everything_sent() -> str:
    mails = [f"{m.subject}\n{m.body}\n{m.to}" for m in mail.outbox]
    texts = [f"{m.phone} {m.text}" for m in notifications.outbox]
    return "\n".join(mails + texts)


def test_the_district_officers_are_told_after_commit(
    people: People, django_capture_on_commit_callbacks: Any
) -> None:
    away = account(Role.DISTRICT_OFFICER, "10_7", email="pegawai2@example.my")
    away.is_active = False
    away.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        referral = submit(people.reporter, urgency="immediate")
    assert mail.outbox == [] and notifications.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert [m.to for m in mail.outbox] == [["pegawai.sepang@example.my"]]
    assert [m.phone for m in notifications.outbox] == ["+60123000001"]
    message = mail.outbox[0]
    assert referral.reference in message.subject and referral.reference in message.body
    assert "Immediate danger" in message.body and "-----" in message.body  # Malay, then English
    assert "http" in message.body and referral.reference in notifications.outbox[0].text


def test_nothing_is_sent_when_the_transaction_rolls_back(
    people: People, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        submit(people.reporter)
        raise RuntimeError("rolled back")
    assert callbacks == [] and mail.outbox == [] and notifications.outbox == []


def test_messages_carry_nothing_about_the_person(
    people: People, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        referral = submit(people.reporter)
        services.referral_transfer(
            referral=referral,
            actor=people.sepang_officer,
            district=people.petaling,
            reason="Salah daerah.",
        )
    sent = everything_sent()
    assert referral.reference in sent
    for secret in (
        SECRET_NAME,
        SECRET_CONCERN,
        SECRET_MYKAD,
        SECRET_ADDRESS,
        "Salah daerah",
        "+60123456789",
    ):
        assert secret not in sent


def test_a_transfer_tells_the_new_office(
    people: People, django_capture_on_commit_callbacks: Any
) -> None:
    referral = submit(people.reporter)
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_transfer(
            referral=referral,
            actor=people.selangor_officer,
            district=people.petaling,
            reason="Salah daerah.",
        )
    assert [m.to for m in mail.outbox] == [["pegawai.petaling@example.my"]]
    assert [m.phone for m in notifications.outbox] == ["+60123000002"]


def test_a_failing_gateway_loses_no_referral_and_logs_no_number(
    people: People, django_capture_on_commit_callbacks: Any, settings: Any, caplog: Any
) -> None:
    settings.DIREKTORI_SMS_BACKEND = f"{__name__}.BrokenSms"
    caplog.set_level(logging.WARNING)
    with django_capture_on_commit_callbacks(execute=True):
        referral = submit(people.reporter)
    referral.refresh_from_db()
    assert len(mail.outbox) == 1  # the email still went
    assert "ConnectionError" in caplog.text and "3000001" not in caplog.text


def test_the_console_provider_is_the_default(settings: Any) -> None:
    assert isinstance(notifications.sms_provider(), notifications.ConsoleSmsProvider)
    del settings.DIREKTORI_SMS_BACKEND
    assert isinstance(notifications.sms_provider(), notifications.ConsoleSmsProvider)
