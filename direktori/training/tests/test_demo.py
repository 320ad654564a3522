"""The Sepang demo's programme (`seed_demo`): fictional sessions attended by the demo register's
fictional members, the demo member's own record, and the same after a second run."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from direktori.accounts.models import User
from direktori.accounts.testing import signed_in
from direktori.training.models import Attendance, TrainingSession

pytestmark = pytest.mark.django_db


def test_the_demo_programme_is_fictional_and_idempotent(reference_areas: None) -> None:
    call_command("seed_demo", stdout=StringIO())
    numbers = set(Attendance.objects.values_list("pk", "status", "certificate_number"))
    call_command("seed_demo", stdout=StringIO())
    assert set(Attendance.objects.values_list("pk", "status", "certificate_number")) == numbers
    sessions = TrainingSession.objects.all()
    assert sessions.count() == 3
    assert all(s.title.endswith("(Demo)") and s.district.code == "10_7" for s in sessions)
    assert not Attendance.objects.exclude(person__full_name__endswith="(Demo)").exists()
    attended = Attendance.objects.attended()
    assert attended.count() == 10 and not attended.filter(certificate_number=None).exists()
    member = User.objects.get(username="demo-ahli")
    record = signed_in(Client(), member).get(reverse("training:me")).context["record"]
    assert len(record.attended) == 2 and record.upcoming
    officer = User.objects.get(username="demo-pegawai-daerah")
    needs = signed_in(Client(), officer).get(reverse("training:needs")).context["needs"]
    assert needs.people_needing > 0 and min(needs.per_topic) < needs.people
