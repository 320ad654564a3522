from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import call_command

from .conftest import World

pytestmark = pytest.mark.django_db


def test_reminders_go_to_district_officers_once_a_day(world: World) -> None:
    out = io.StringIO()
    call_command("verification_reminders", stdout=out)
    assert "Reminders sent: 2" in out.getvalue()  # Sepang and Batu Pahat
    sepang = next(m for m in mail.outbox if m.to == ["pegawai@example.my"])
    assert "3" in sepang.subject and "/akaun/pengesahan-entri/" in sepang.body
    call_command("verification_reminders", stdout=out)
    assert "Reminders sent: 0" in out.getvalue() and len(mail.outbox) == 2
