"""Who may see and do what with referrals (docs/security.md, "Referrals").

- Officers (district, state, HQ) see the referrals assigned to offices in their scope, areas opened
  by break the glass included, in full. They act on them (every move but `withdraw`) only inside
  their own area: break the glass opens reading, never acting.
- The reporter sees their own referrals, in the reporter's view only (`ReporterView`): reference,
  status and its dates, target group, urgency, the public outcome; never the officers' notes,
  the person's details or who did what. The reporter alone may withdraw.
- CBO members and chairs and officers may submit, for any district: a member may see someone in
  danger away from home, and the referral goes to that district's office.
- Anyone else, and anyone without a role or an area, sees nothing: 404 (deny by default).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from django.db.models import Q

from direktori.accounts.models import Role
from direktori.accounts.permissions import (
    NOTHING,
    area_q,
    has_role,
    in_scope,
    is_officer,
    scope_paths,
)

from .models import Referral
from .workflow import MOVES, Actor

ROLES = tuple(Role)


class View(StrEnum):
    OFFICER = "officer"
    REPORTER = "reporter"


def referrals_visible_q(user: Any) -> Q:
    if not has_role(user, *ROLES):
        return NOTHING
    visible = Q(reporter=user)
    if is_officer(user):
        visible |= area_q(user, "assigned_office")
    return visible


def is_reporter(user: Any, referral: Referral) -> bool:
    return has_role(user, *ROLES) and referral.reporter_id == user.pk


def viewer(user: Any) -> Callable[[Referral], View | None]:
    """`view_of` for many referrals: the user's scope is read once."""
    paths = scope_paths(user) if is_officer(user) else []
    may_report = has_role(user, *ROLES)

    def view(referral: Referral) -> View | None:
        if any(referral.assigned_office.path.startswith(path) for path in paths):
            return View.OFFICER
        if may_report and referral.reporter_id == user.pk:
            return View.REPORTER
        return None

    return view


def view_of(user: Any, referral: Referral) -> View | None:
    """Which view of `referral` the user gets: the officer's, the reporter's, or none (404)."""
    return viewer(user)(referral)


def through_emergency_access(user: Any, referral: Referral) -> bool:
    """True when the user sees `referral` only because they broke the glass."""
    return in_scope(user, referral.assigned_office) and not in_scope(
        user, referral.assigned_office, with_grants=False
    )


def may_submit(user: Any) -> bool:
    return has_role(user, *ROLES)


def may_act_as_officer(user: Any, referral: Referral) -> bool:
    return is_officer(user) and in_scope(user, referral.assigned_office, with_grants=False)


def may_do(user: Any, referral: Referral, action: str) -> bool:
    """May `user` make the move `action` on `referral` (whatever its status)?"""
    move = MOVES.get(action)
    if move is None:
        return False
    if move.actor == Actor.REPORTER:
        return is_reporter(user, referral)
    return may_act_as_officer(user, referral)


def may_read_events(user: Any, referral: Referral) -> bool:
    return view_of(user, referral) == View.OFFICER
