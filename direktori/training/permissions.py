"""Who may see and do what in the Programme Pemerkasaan (CONVENTIONS 9; docs/security.md,
"Programme Pemerkasaan").

- Sessions: officers see those of districts in their scope (with areas opened by break the glass)
  and manage those of their own area; CBO members and chairs see the sessions of their CBO's
  district, and any session they are registered for.
- Attendance and training records: a person's own; a chair's, those of their CBO's current
  members; an officer's, those at sessions in their scope and those of current members of CBOs
  in their scope. Certificates follow the same rule.
- Registering people: officers, for current members of CBOs in their own area.
- The training needs of a district: officers, over their scope.
- Anyone else, signed in or not: nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from direktori.accounts.models import Role
from direktori.accounts.permissions import (
    NOTHING,
    area_q,
    has_role,
    in_scope,
    is_officer,
    scope_paths,
)
from direktori.areas.models import Area
from direktori.members.models import Membership, Person

CBO_ROLES = (Role.CBO_MEMBER, Role.CBO_CHAIR)


def _cbo_district(user: Any) -> Area | None:
    organisation = user.organisation
    if organisation is None or organisation.area is None:
        return None
    return Area.objects.containing(organisation.area).filter(kind=Area.Kind.DISTRICT).first()


def _own_attendances_q(user: Any) -> Q:
    return Q(person__user=user)


def _own_cbo_members(user: Any) -> QuerySet[Membership]:
    return Membership.objects.current().filter(cbo_id=user.organisation_id)


def _members_in_scope(user: Any, *, with_grants: bool = True) -> QuerySet[Membership]:
    return Membership.objects.current().filter(area_q(user, "cbo__area", with_grants=with_grants))


def may_view_sessions(user: Any) -> bool:
    return is_officer(user) or (has_role(user, *CBO_ROLES) and user.organisation_id is not None)


def sessions_visible_q(user: Any) -> Q:
    if is_officer(user):
        return area_q(user, "district")
    if has_role(user, *CBO_ROLES) and user.organisation_id is not None:
        from .models import Attendance

        own = Q(pk__in=Attendance.objects.filter(_own_attendances_q(user)).values("session_id"))
        district = _cbo_district(user)
        return own | Q(district=district) if district is not None else own
    return NOTHING


def districts_in_scope(user: Any, *, with_grants: bool = True) -> QuerySet[Area]:
    if not is_officer(user):
        return Area.objects.none()
    query = Q()
    for path in scope_paths(user, with_grants=with_grants):
        query |= Q(path__startswith=path)
    return Area.objects.districts().filter(query).order_by("path")


def districts_manageable_by(user: Any) -> QuerySet[Area]:
    """The districts of the officer's own area (not areas opened by break the glass)."""
    return districts_in_scope(user, with_grants=False)


def may_manage_sessions(user: Any) -> bool:
    return is_officer(user)


def may_manage_in(user: Any, district: Area | None) -> bool:
    """Create, change, register people for and record attendance of sessions in the district."""
    return is_officer(user) and in_scope(user, district, with_grants=False)


def may_manage_session(user: Any, session: Any) -> bool:
    return may_manage_in(user, session.district)


def attendances_visible_q(user: Any) -> Q:
    if is_officer(user):
        members = _members_in_scope(user).values("person_id")
        return area_q(user, "session__district") | Q(person_id__in=members)
    if has_role(user, Role.CBO_CHAIR) and user.organisation_id is not None:
        members = _own_cbo_members(user).values("person_id")
        return _own_attendances_q(user) | Q(person_id__in=members)
    if has_role(user, *CBO_ROLES):
        return _own_attendances_q(user)
    return NOTHING


def people_visible_q(user: Any) -> Q:
    """Whose training record `user` may read (the same people as their attendances)."""
    if is_officer(user):
        from .models import Attendance

        at_sessions = Attendance.objects.filter(area_q(user, "session__district"))
        return Q(pk__in=_members_in_scope(user).values("person_id")) | Q(
            pk__in=at_sessions.values("person_id")
        )
    if has_role(user, Role.CBO_CHAIR) and user.organisation_id is not None:
        return Q(user=user) | Q(pk__in=_own_cbo_members(user).values("person_id"))
    if has_role(user, *CBO_ROLES):
        return Q(user=user)
    return NOTHING


def people_registrable_by(user: Any) -> QuerySet[Person]:
    """Current members of CBOs in the officer's own area: the people they may register."""
    if not is_officer(user):
        return Person.objects.none()
    members = _members_in_scope(user, with_grants=False).values("person_id")
    return Person.objects.filter(pk__in=members)


def may_view_needs(user: Any) -> bool:
    return is_officer(user)
