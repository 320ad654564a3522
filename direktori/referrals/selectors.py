"""Reads of referrals for the officer's queue, the overdue list and the reporter's own list. All
start from `Referral.objects.visible_to(user)`; the callers record the read
(`services.referral_record_read`)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from direktori.accounts.permissions import area_q, is_officer

from .models import Referral, ReferralEvent, ReferralQuerySet, Visibility


def in_own_area(user: Any) -> ReferralQuerySet:
    """The referrals assigned to offices in the officer's own area: the ones they act on (not
    those opened by break the glass, which they may only read)."""
    if not is_officer(user):
        return Referral.objects.none()
    return Referral.objects.visible_to(user).filter(
        area_q(user, "assigned_office", with_grants=False)
    )


def queue(user: Any) -> ReferralQuerySet:
    """Open referrals to act on: immediate danger first, then urgent, then routine; the oldest
    first within each."""
    return in_own_area(user).open().in_queue_order().select_related("assigned_office", "area")


def overdue(user: Any, now: datetime.datetime | None = None) -> ReferralQuerySet:
    """Not acknowledged by their target: the longest overdue first."""
    return (
        in_own_area(user)
        .overdue(now or timezone.now())
        .order_by("due_at", "pk")
        .select_related("assigned_office", "area")
    )


def reported_by(user: Any) -> ReferralQuerySet:
    return Referral.objects.visible_to(user).filter(reporter=user).order_by("-created_at", "pk")


def listing(user: Any, *, status: str = "", overdue_only: bool = False) -> ReferralQuerySet:
    """Everything the user may see (as officer or reporter), in queue order."""
    found = Referral.objects.visible_to(user)
    if status:
        found = found.filter(status=status)
    if overdue_only:
        found = found.overdue()
    return found.in_queue_order().select_related("assigned_office", "district")


def shared_history(referral: Referral) -> list[ReferralEvent]:
    """What the reporter sees of the history: which moves happened and when (never who, never a
    note)."""
    return list(referral.events.filter(visibility=Visibility.SHARED).order_by("at", "pk"))
