"""Reads that put CBOs and memberships together: the CBOs that need an officer's attention."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from direktori.accounts.permissions import area_q
from direktori.directory.models import Organization

from .models import ENDING_SOON_DAYS, MemberRole, Membership


def cbos_without_chair(cbos: QuerySet[Organization]) -> QuerySet[Organization]:
    chair = Membership.objects.current().filter(cbo=OuterRef("pk"), role=MemberRole.PENGERUSI)
    return cbos.filter(~Exists(chair))


def cbos_needing_attention(user: Any, today: datetime.date | None = None) -> list[Organization]:
    """CBOs in the officer's scope with no chair, lapsed terms, or terms ending within 60 days;
    each with `has_chair`, `lapsed` and `ending_soon` (counts)."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=ENDING_SOON_DAYS)
    current = Q(memberships__status=Membership.Status.ACTIVE)
    chair = Membership.objects.current().filter(cbo=OuterRef("pk"), role=MemberRole.PENGERUSI)
    cbos = (
        Organization.objects.filter(kind=Organization.Kind.CBO)
        .active()
        .filter(area_q(user, "area"))
        .select_related("area")
        .annotate(
            has_chair=Exists(chair),
            lapsed=Count("memberships", filter=current & Q(memberships__term_ends_on__lt=today)),
            ending_soon=Count(
                "memberships",
                filter=current
                & Q(memberships__term_ends_on__gte=today, memberships__term_ends_on__lte=soon),
            ),
        )
        .filter(Q(has_chair=False) | Q(lapsed__gt=0) | Q(ending_soon__gt=0))
        .order_by("area__path", "name")
    )
    return list(cbos)
