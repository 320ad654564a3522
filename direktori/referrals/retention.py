"""Retention (DESIGN §5; docs/security.md "Referrals"): the personal details of referrals that
ended (closed, rejected or withdrawn) more than `REFERRAL_RETENTION_DAYS` ago (default 365) are
removed by `referral_anonymise` (the command of the same name, run daily).

Removed: the person's name or description, exact age (the age band stays), MyKad number,
address or landmark, what was seen, why consent could not be had, the rejection reason, the
reporter's phone, the mukim or locality (the district stays) and the text of every event's note.
Kept for statistics: target group, district, month, urgency, sex, age band, status, outcome,
the dates and the events' actions. Running it again changes nothing.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from direktori.audit.models import Action
from direktori.audit.services import audit_record

from .auditing import OBJECT_TYPE
from .models import EventAction, Referral, ReferralEvent, ReferralQuerySet, Visibility

DEFAULT_RETENTION_DAYS = 365


def retention_days() -> int:
    return int(getattr(settings, "REFERRAL_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def due_for_anonymising(now: datetime.datetime | None = None) -> ReferralQuerySet:
    moment = (now or timezone.now()) - datetime.timedelta(days=retention_days())
    return Referral.objects.ended_before(moment).filter(anonymised_at__isnull=True)


def referral_anonymise(*, now: datetime.datetime | None = None, batch: int = 500) -> int:
    """Anonymises every referral due; returns how many. One audit event with the count."""
    now = now or timezone.now()
    count = 0
    while True:
        with transaction.atomic():
            ids = list(
                due_for_anonymising(now)
                .select_for_update()
                .order_by("closed_at", "pk")
                .values_list("pk", flat=True)[:batch]
            )
            if not ids:
                break
            for referral in Referral.objects.filter(pk__in=ids).select_related("district"):
                _anonymise(referral, now)
            ReferralEvent.objects.filter(referral_id__in=ids).update(note="")
            ReferralEvent.objects.bulk_create(
                ReferralEvent(
                    referral_id=pk,
                    action=EventAction.ANONYMISE,
                    at=now,
                    visibility=Visibility.OFFICERS,
                )
                for pk in ids
            )
            count += len(ids)
    if count:
        audit_record(
            action=Action.RECORD_CHANGED,
            object_type=OBJECT_TYPE,
            detail={"anonymised": count, "retention_days": retention_days()},
        )
    return count


def _anonymise(referral: Referral, now: datetime.datetime) -> None:
    referral.subject_description = ""
    referral.subject_age = None  # the age band was set from it at submission
    referral.subject_mykad = ""
    referral.address_or_landmark = ""
    referral.concern = ""
    referral.consent_reason = ""
    referral.rejection_reason = ""
    referral.reporter_phone = ""
    referral.area = referral.district
    referral.anonymised_at = now
    referral.save()
