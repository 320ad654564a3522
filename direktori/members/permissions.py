"""Who may see and change the membership register (docs/security.md, "Membership register").

- CBO members and chairs: the memberships of their own CBO (`User.organisation`).
- Officers: the memberships of CBOs in their scope (their area and below, and areas opened to them
  by break the glass).
- Anyone else, signed in or not: nothing. Changing the register (importing, appointing, moving,
  ending) is for officers, in CBOs of their own area.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from direktori.accounts.models import Role
from direktori.accounts.permissions import NOTHING, area_q, has_role, in_scope, is_officer

CBO_ROLES = (Role.CBO_MEMBER, Role.CBO_CHAIR)


def memberships_visible_q(user: Any) -> Q:
    if is_officer(user):
        return area_q(user, "cbo__area")
    if has_role(user, *CBO_ROLES) and user.organisation_id is not None:
        return Q(cbo_id=user.organisation_id)
    return NOTHING


def may_view_cbo(user: Any, cbo: Any) -> bool:
    if is_officer(user):
        return in_scope(user, cbo.area)
    return has_role(user, *CBO_ROLES) and user.organisation_id == cbo.pk


def may_import(user: Any) -> bool:
    return is_officer(user)


def may_import_into(user: Any, cbo: Any) -> bool:
    """Loading a list, appointing one person, re-appointing, moving (both CBOs) and ending: into
    CBOs of the officer's own area only. Break the glass opens reading, not changing."""
    return is_officer(user) and in_scope(user, cbo.area, with_grants=False)
