from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command

from direktori.directory.models import Organization
from direktori.members.models import ReminderSent
from direktori.members.reminders import reminders_send
from direktori.members.selectors import cbos_without_chair

from .conftest import SECRET_EMAIL, Register

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2027, 12, 1)  # the register's terms end on 2027-12-31


def test_reminds_chair_and_district_officer_once_a_day(
    register: Register, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        assert reminders_send(today=TODAY) == 2
    recipients = {address for message in mail.outbox for address in message.to}
    assert {SECRET_EMAIL, "pegawai@example.my"} <= recipients
    assert "Siti Pengerusi" in mail.outbox[0].body
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        assert reminders_send(today=TODAY) == 0
    assert len(mail.outbox) == sent
    assert ReminderSent.objects.count() == 2
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        assert reminders_send(today=TODAY + datetime.timedelta(days=1)) == 2


def test_nothing_to_remind_far_from_the_end(register: Register) -> None:
    assert reminders_send(today=datetime.date(2026, 1, 1)) == 0
    out = io.StringIO()
    call_command("membership_reminders", stdout=out)
    assert "term(s) reminded" in out.getvalue()


def test_lapsed_and_without_chair(register: Register) -> None:
    from direktori.members.models import Membership

    assert Membership.objects.lapsed(datetime.date(2028, 1, 1)).count() == 2
    assert Membership.objects.ending_within(60, TODAY).count() == 2
    cbos = cbos_without_chair(Organization.objects.filter(kind="cbo"))
    assert register.other_cbo in cbos and register.cbo not in cbos
