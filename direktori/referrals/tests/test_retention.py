"""Anonymisation after the retention period: every personal field goes, the counts stay."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from direktori.audit.models import Action, AuditEvent
from direktori.referrals import services
from direktori.referrals.models import EventAction, Referral
from direktori.referrals.retention import referral_anonymise

from .conftest import People
from .factories import SECRET_ADDRESS, SECRET_CONCERN, SECRET_MYKAD, SECRET_NAME, submit

pytestmark = pytest.mark.django_db

ENDED = timezone.make_aware(datetime.datetime(2025, 1, 10, 9, 0))
PERSONAL = (
    "subject_description",
    "subject_mykad",
    "address_or_landmark",
    "concern",
    "consent_reason",
    "rejection_reason",
    "reporter_phone",
)


def ended_referrals(people: People) -> dict[str, Referral]:
    officer = people.sepang_officer
    closed = submit(
        people.reporter,
        area=people.pekan_dengkil,
        consent_given=False,
        consent_reason="Kanak-kanak dalam bahaya.",
        now=ENDED,
    )
    for action in ("acknowledge", "start"):
        services.referral_transition(
            referral=closed, action=action, actor=officer, now=ENDED, note=f"Nota {SECRET_NAME}"
        )
    services.referral_close(
        referral=closed, actor=officer, outcome="referred_on", referred_to="police", now=ENDED
    )
    rejected = submit(people.reporter, target_group="elderly", now=ENDED)
    services.referral_reject(
        referral=rejected, actor=officer, reason=f"Sudah dibantu {SECRET_NAME}", now=ENDED
    )
    withdrawn = submit(people.reporter, now=ENDED)
    services.referral_withdraw(referral=withdrawn, actor=people.reporter, now=ENDED)
    open_one = submit(people.reporter, now=ENDED)
    recent = submit(people.reporter)
    services.referral_withdraw(referral=recent, actor=people.reporter)
    return {
        "closed": closed,
        "rejected": rejected,
        "withdrawn": withdrawn,
        "open": open_one,
        "recent": recent,
    }


def test_referrals_ended_long_ago_lose_every_personal_detail(people: People) -> None:
    referrals = ended_referrals(people)
    counts_before = list(Referral.objects.counts())
    now = ENDED + datetime.timedelta(days=366)
    assert referral_anonymise(now=now) == 3
    for name in ("closed", "rejected", "withdrawn"):
        referral = Referral.objects.get(pk=referrals[name].pk)
        assert referral.anonymised_at == now
        assert all(getattr(referral, field) == "" for field in PERSONAL), name
        assert referral.subject_age is None and referral.subject_age_band == "6_12"
        assert referral.area == referral.district == people.sepang
        assert not referral.events.exclude(note="").exists()
        assert referral.events.filter(action=EventAction.ANONYMISE).count() == 1
    closed = Referral.objects.get(pk=referrals["closed"].pk)
    assert (closed.status, closed.outcome, closed.referred_to, closed.target_group) == (
        "closed",
        "referred_on",
        "police",
        "children",
    )
    for name in ("open", "recent"):
        kept = Referral.objects.get(pk=referrals[name].pk)
        assert kept.anonymised_at is None and kept.subject_description == SECRET_NAME
    assert list(Referral.objects.counts()) == counts_before
    leftovers = Referral.objects.filter(anonymised_at__isnull=False).values_list(*PERSONAL)
    for secret in (SECRET_NAME, SECRET_CONCERN, SECRET_MYKAD, SECRET_ADDRESS):
        assert not any(secret in str(row) for row in leftovers)


def test_it_runs_again_without_change_and_is_audited_by_count(people: People) -> None:
    ended_referrals(people)
    now = ENDED + datetime.timedelta(days=400)
    assert referral_anonymise(now=now) == 3
    assert referral_anonymise(now=now) == 0
    audits = AuditEvent.objects.filter(object_type="referrals.referral", detail__anonymised=3)
    assert audits.count() == 1
    assert audits.get().action == Action.RECORD_CHANGED
    assert audits.get().detail == {"anonymised": 3, "retention_days": 365}


def test_an_anonymised_referral_cannot_change(people: People) -> None:
    referrals = ended_referrals(people)
    referral_anonymise(now=ENDED + datetime.timedelta(days=400))
    with pytest.raises(services.ValidationError):
        services.referral_add_note(
            referral=referrals["closed"], actor=people.sepang_officer, note="Lagi."
        )


def test_the_period_is_a_setting_and_the_command(people: People, settings: Any) -> None:
    ended_referrals(people)
    settings.REFERRAL_RETENTION_DAYS = 30
    out = StringIO()
    call_command("referral_anonymise", "--now", "2025-02-10T12:00", stdout=out)
    assert out.getvalue().strip() == "3 referral(s) anonymised (ended more than 30 days ago)."
    call_command("referral_anonymise", "--now", "2025-02-10T12:00", stdout=out)
    assert (
        out.getvalue().strip().endswith("0 referral(s) anonymised (ended more than 30 days ago).")
    )
