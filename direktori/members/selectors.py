"""Reads that put CBOs and memberships together: the CBOs that need an officer's attention, and
the CBOs and memberships an officer may change (appoint, re-appoint, move, end)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from direktori.accounts.permissions import area_q
from direktori.directory.models import Organization

from .models import ENDING_SOON_DAYS, MemberRole, Membership
from .permissions import may_import_into


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


def manageable_cbo(user: Any, pk: Any) -> Organization | None:
    """The CBO, if `user` may change its memberships (`may_import_into`)."""
    cbo = Organization.objects.filter(kind=Organization.Kind.CBO, pk=pk).select_related("area")
    found = cbo.first()
    return found if found is not None and may_import_into(user, found) else None


def manageable_membership(user: Any, pk: Any) -> Membership | None:
    """The membership, if `user` may see it and change its CBO's memberships."""
    found = (
        Membership.objects.visible_to(user)
        .select_related("person", "cbo__area")
        .filter(pk=pk)
        .first()
    )
    return found if found is not None and may_import_into(user, found.cbo) else None


def movable_cbos(user: Any, membership: Membership) -> QuerySet[Organization]:
    """The active CBOs of the officer's own area a member may move to."""
    return (
        Organization.objects.filter(kind=Organization.Kind.CBO)
        .active()
        .filter(area_q(user, "area", with_grants=False))
        .exclude(pk=membership.cbo_id)
        .select_related("area")
        .order_by("name")
    )
