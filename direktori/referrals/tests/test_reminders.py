"""A missed acknowledgement target: a reminder to the district and an escalation to the state,
once each; the officer's queue and the overdue list."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from direktori.areas.models import Area
from direktori.referrals import notifications, selectors, services
from direktori.referrals.models import ReferralReminder
from direktori.referrals.reminders import reminders_send

from .conftest import People
from .factories import submit

pytestmark = pytest.mark.django_db

THURSDAY = timezone.make_aware(datetime.datetime(2026, 3, 5, 10, 0))
HOUR = datetime.timedelta(hours=1)


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_a_missed_target_is_reminded_and_escalated_once(people: People) -> None:
    referral = submit(people.reporter, urgency="urgent", now=THURSDAY)  # due Friday 10:00
    assert reminders_send(now=referral.due_at - HOUR) == {"district": 0, "state": 0}
    assert mail.outbox == []
    assert reminders_send(now=referral.due_at + HOUR) == {"district": 1, "state": 1}
    assert recipients() == ["pegawai.selangor@example.my", "pegawai.sepang@example.my"]
    escalation = next(m for m in mail.outbox if "pegawai.selangor@example.my" in m.to)
    assert referral.reference in escalation.subject and "Escalation" in escalation.subject
    sms = sorted(message.phone for message in notifications.outbox)
    assert sms == ["+60123000001", "+60123000003"]
    mail.outbox.clear()
    assert reminders_send(now=referral.due_at + 5 * HOUR) == {"district": 0, "state": 0}
    assert mail.outbox == [] and ReferralReminder.objects.count() == 2


def test_an_acknowledged_referral_is_not_reminded(people: People) -> None:
    referral = submit(people.reporter, urgency="immediate", now=THURSDAY)
    services.referral_acknowledge(referral=referral, actor=people.sepang_officer)
    assert reminders_send(now=THURSDAY + 3 * HOUR) == {"district": 0, "state": 0}


def test_a_transfer_gets_reminders_of_its_own(people: People) -> None:
    referral = submit(people.reporter, urgency="immediate", now=THURSDAY)
    reminders_send(now=THURSDAY + 2 * HOUR)
    services.referral_transfer(
        referral=referral,
        actor=people.sepang_officer,
        district=people.petaling,
        reason="Salah daerah.",
        now=THURSDAY + 3 * HOUR,
    )
    mail.outbox.clear()
    assert reminders_send(now=THURSDAY + 5 * HOUR) == {"district": 1, "state": 1}
    assert recipients() == ["pegawai.petaling@example.my", "pegawai.selangor@example.my"]


def test_a_state_without_officers_escalates_to_hq(people: People) -> None:
    submit(people.reporter, urgency="immediate", area=Area.objects.get(code="3_2"), now=THURSDAY)
    assert reminders_send(now=THURSDAY + 2 * HOUR) == {"district": 1, "state": 1}
    assert recipients() == ["ibu.pejabat@example.my"]  # Kelantan has no officers at all


def test_the_command(people: People) -> None:
    submit(people.reporter, urgency="immediate", now=THURSDAY)
    out = StringIO()
    call_command("referral_reminders", "--now", "2026-03-05T12:00", stdout=out)
    assert out.getvalue().strip() == "1 referral(s) reminded, 1 escalated."
    call_command("referral_reminders", "--now", "2026-03-05T13:00", stdout=out)
    assert out.getvalue().strip().endswith("0 referral(s) reminded, 0 escalated.")


def test_the_queue_sorts_by_urgency_then_age(people: People) -> None:
    routine_old = submit(people.reporter, urgency="routine", now=THURSDAY)
    urgent = submit(people.reporter, urgency="urgent", now=THURSDAY + HOUR)
    immediate_new = submit(people.reporter, urgency="immediate", now=THURSDAY + 2 * HOUR)
    immediate_old = submit(people.reporter, urgency="immediate", now=THURSDAY + HOUR)
    routine_new = submit(people.reporter, urgency="routine", now=THURSDAY + HOUR)
    for referral, moment in (
        (routine_old, 0),
        (urgent, 1),
        (immediate_new, 2),
        (immediate_old, 1),
        (routine_new, 1),
    ):
        type(referral).objects.filter(pk=referral.pk).update(created_at=THURSDAY + moment * HOUR)
    closed = submit(people.reporter, urgency="immediate")
    services.referral_reject(referral=closed, actor=people.sepang_officer, reason="Bukan kes.")
    expected = [immediate_old, immediate_new, urgent, routine_old, routine_new]
    assert list(selectors.queue(people.sepang_officer)) == expected
    assert list(selectors.queue(people.selangor_officer)) == expected
    assert list(selectors.queue(people.petaling_officer)) == []
    assert list(selectors.queue(people.reporter)) == []


def test_the_overdue_list(people: People) -> None:
    late = submit(people.reporter, urgency="immediate", now=THURSDAY)
    later = submit(people.reporter, urgency="immediate", now=THURSDAY + HOUR)
    on_time = submit(people.reporter, urgency="routine", now=THURSDAY)
    seen = submit(people.reporter, urgency="immediate", now=THURSDAY)
    services.referral_acknowledge(referral=seen, actor=people.sepang_officer)
    now = THURSDAY + 3 * HOUR
    assert list(selectors.overdue(people.sepang_officer, now)) == [late, later]
    assert on_time not in selectors.overdue(people.sepang_officer, now)
    assert list(selectors.overdue(people.johor_officer, now)) == []
