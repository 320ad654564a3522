"""Who may do what, as plain functions (CONVENTIONS 9). The access matrix is in docs/security.md.

Scopes are areas: a user sees their area and everything below it, plus areas opened to them for a
while by "break the glass" (`AccessGrant`). No role or no area: nothing (deny by default).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from .models import AccessGrant, Role, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from direktori.areas.models import Area

    AnyUser = User | AnonymousUser

NOTHING = Q(pk__in=[])


def _account(user: Any) -> User | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if not user.role or user.area_id is None:
        return None
    return user


def has_role(user: Any, *roles: Role) -> bool:
    account = _account(user)
    return account is not None and account.role in roles


def is_officer(user: Any) -> bool:
    account = _account(user)
    return account is not None and account.is_officer


def needs_second_factor(user: Any) -> bool:
    """Officers, administrators and anyone with the Django admin must use TOTP."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff or user.is_superuser or (user.role and Role(user.role).is_officer))


def scope_paths(user: Any, *, with_grants: bool = True) -> list[str]:
    """Area paths the user sees (each with everything below it)."""
    account = _account(user)
    if account is None:
        return []
    if account.area is None:  # never: _account checked area_id; this tells mypy
        return []
    paths = [account.area.path]
    if with_grants and account.is_officer:
        paths += list(
            AccessGrant.objects.current().filter(user=account).values_list("area__path", flat=True)
        )
    return paths


def area_q(user: Any, area_field: str, *, with_grants: bool = True) -> Q:
    """A filter for rows whose `area_field` (an FK to Area) lies within the user's scope."""
    paths = scope_paths(user, with_grants=with_grants)
    if not paths:
        return NOTHING
    query = Q()
    for path in paths:
        query |= Q(**{f"{area_field}__path__startswith": path})
    return query


def in_scope(user: Any, area: Area | None, *, with_grants: bool = True) -> bool:
    if area is None:
        return False
    return any(area.path.startswith(p) for p in scope_paths(user, with_grants=with_grants))


# Managing accounts -------------------------------------------------------------------------------

#: The roles each role may give; nobody may give a role as powerful as their own, except that an
#: HQ administrator may appoint state officers and other HQ administrators' work stays with the
#: command line (`create_user`).
GRANTABLE: dict[Role, tuple[Role, ...]] = {
    Role.CBO_MEMBER: (),
    Role.CBO_CHAIR: (),
    Role.DISTRICT_OFFICER: (Role.CBO_MEMBER, Role.CBO_CHAIR),
    Role.STATE_OFFICER: (Role.CBO_MEMBER, Role.CBO_CHAIR, Role.DISTRICT_OFFICER),
    Role.HQ_ADMIN: (Role.CBO_MEMBER, Role.CBO_CHAIR, Role.DISTRICT_OFFICER, Role.STATE_OFFICER),
}


def grantable_roles(actor: Any) -> tuple[Role, ...]:
    account = _account(actor)
    if account is None:
        return ()
    return GRANTABLE[Role(account.role)]


def may_grant(actor: Any, *, role: str, area: Area | None) -> bool:
    """May `actor` give someone `role` over `area`? Never more than the actor has: a lower role,
    inside the actor's own area (not areas opened by break the glass)."""
    if not role or area is None:
        return False
    return Role(role) in grantable_roles(actor) and in_scope(actor, area, with_grants=False)


def users_visible_q(actor: Any) -> Q:
    """Accounts `actor` may see: their own, and lower roles inside their own area."""
    account = _account(actor)
    if account is None:
        if actor is not None and getattr(actor, "is_authenticated", False):
            return Q(pk=actor.pk)
        return NOTHING
    roles = [r.value for r in GRANTABLE[Role(account.role)]]
    return Q(pk=account.pk) | (area_q(account, "area", with_grants=False) & Q(role__in=roles))


def may_manage_user(actor: Any, target: User) -> bool:
    """May `actor` change or disable `target`'s account?"""
    if actor is None or target.pk == getattr(actor, "pk", None):
        return False
    return (
        target.role in {r.value for r in grantable_roles(actor)}
        and target.area is not None
        and in_scope(actor, target.area, with_grants=False)
    )


def may_view_audit(actor: Any) -> bool:
    return is_officer(actor)


def may_break_glass(actor: Any) -> bool:
    return has_role(actor, Role.DISTRICT_OFFICER, Role.STATE_OFFICER)
