"""Missed acknowledgement targets (`referral_reminders`, run every few minutes): for each referral
still `submitted` after its `due_at`, a reminder to the district officers of its office and an
escalation to the state officers of its state (the HQ administrators when the state has none),
each once per referral and target (`ReferralReminder`): running it again sends nothing new, and
a transfer's new target gets its own."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Referral, ReferralReminder, ReminderLevel
from .notifications import Notice, district_officers, notify, state_officers

LEVELS = (
    (ReminderLevel.DISTRICT, district_officers, Notice.REMINDER),
    (ReminderLevel.STATE, state_officers, Notice.ESCALATION),
)


def reminders_send(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Returns how many referrals were reminded to district officers and escalated to states."""
    now = now or timezone.now()
    sent = {level.value: 0 for level, _finder, _notice in LEVELS}
    overdue = Referral.objects.overdue(now).select_related("assigned_office").order_by("due_at")
    for referral in overdue:
        for level, finder, notice in LEVELS:
            recipients = list(finder(referral.assigned_office))
            try:
                with transaction.atomic():
                    ReferralReminder.objects.create(
                        referral=referral,
                        level=level,
                        due_at=referral.due_at,
                        sent_at=now,
                        recipients=len(recipients),
                    )
            except IntegrityError:  # reminded already, by an earlier or a parallel run
                continue
            notify(referral_id=referral.pk, notice=notice, recipients=recipients)
            sent[level.value] += 1
    return sent
