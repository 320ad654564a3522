"""Who may build booklets (docs/security.md "Booklets"). Booklets hold public data only, so
anyone may download a published one; officers ask for new ones, for the districts of their own
area: a district officer their district, a state officer the districts of their state, an HQ
administrator every district. Break-the-glass grants open referrals, not booklets."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from direktori.accounts.permissions import is_officer, scope_paths
from direktori.areas.models import Area, AreaQuerySet


def may_build(user: Any) -> bool:
    return is_officer(user)


def districts_of(user: Any) -> AreaQuerySet:
    """The districts `user` may build booklets for; none for anyone but officers."""
    if not may_build(user):
        return Area.objects.none()
    query = Q(pk__in=[])
    for path in scope_paths(user, with_grants=False):
        query |= Q(path__startswith=path)
    return Area.objects.districts().filter(query)
