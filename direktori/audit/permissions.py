"""Who may read the audit log and open emergency access (docs/security.md, "Audit and break
the glass"). The roles themselves are decided in `direktori.accounts.permissions`."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from direktori.accounts import permissions as account_permissions
from direktori.accounts.models import Role

from .models import Action

NOTHING = account_permissions.NOTHING


def may_view_audit(user: Any) -> bool:
    return account_permissions.may_view_audit(user)


def may_break_glass(user: Any) -> bool:
    return account_permissions.may_break_glass(user)


def events_visible_q(user: Any) -> Q:
    """HQ administrators see every event. Other officers see the events whose area lies in their
    own area (never one opened by break the glass), the events by or about themselves, and the
    emergency access opened by the officers of their area wherever it was, as their supervisor."""
    if not may_view_audit(user):
        return NOTHING
    if account_permissions.has_role(user, Role.HQ_ADMIN):
        return Q()
    own = Q(actor=user) | Q(object_type="accounts.user", object_id=str(user.pk))
    in_area = account_permissions.area_q(user, "area", with_grants=False)
    supervised = account_permissions.area_q(user, "actor__area", with_grants=False) & Q(
        action__in=[Action.ACCESS_GRANTED, Action.ACCESS_ENDED]
    )
    return in_area | own | supervised
