"""Who may do what with outreach activity records (CONVENTIONS 9; docs/security.md, "Outreach
activity").

- See: a CBO member or chair, their own CBO's records; an officer, the records of CBOs in their
  scope (with areas opened by break the glass); anyone else, nothing.
- Record: a CBO member or chair, for their own CBO; an officer, for any CBO in their own area
  (not areas opened by break the glass).
- Change or delete: the chair of the record's CBO, within CHANGE_DAYS of its recording.
- The district summary: officers, over their scope.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import timezone

from direktori.accounts.models import Role
from direktori.accounts.permissions import NOTHING, area_q, has_role, is_officer
from direktori.directory.models import Organization

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from .models import Activity

CHANGE_DAYS = 30
CBO_ROLES = (Role.CBO_MEMBER, Role.CBO_CHAIR)


def activities_visible_q(user: Any) -> Q:
    if has_role(user, *CBO_ROLES):
        return Q(cbo_id=user.organisation_id) if user.organisation_id else NOTHING
    if is_officer(user):
        return area_q(user, "cbo__area")
    return NOTHING


def may_view_activities(user: Any) -> bool:
    return has_role(user, *CBO_ROLES) or is_officer(user)


def cbos_recordable_by(user: Any) -> QuerySet[Organization]:
    cbos = Organization.objects.filter(kind=Organization.Kind.CBO)
    if has_role(user, *CBO_ROLES):
        return cbos.filter(pk=user.organisation_id) if user.organisation_id else cbos.none()
    if is_officer(user):
        return cbos.filter(area_q(user, "area", with_grants=False))
    return cbos.none()


def may_record(user: Any, cbo: Organization | None = None) -> bool:
    """May `user` record activities (for `cbo`, when given)?"""
    cbos = cbos_recordable_by(user)
    return cbos.filter(pk=cbo.pk).exists() if cbo is not None else cbos.exists()


def may_change(user: Any, activity: Activity) -> bool:
    return (
        has_role(user, Role.CBO_CHAIR)
        and user.organisation_id == activity.cbo_id
        and activity.created_at >= timezone.now() - timedelta(days=CHANGE_DAYS)
    )


def may_view_summary(user: Any) -> bool:
    return is_officer(user)
