"""Who may propose, review and verify directory entries (docs/security.md, "Keeping entries
true"). Officers act on entries whose organisation lies in their own area: break the glass opens
an area to protect someone, not to vouch for its directory, so grants are left out here."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from direktori.accounts.models import Role
from direktori.accounts.permissions import NOTHING, area_q, has_role, in_scope, is_officer
from direktori.directory.models import Organization, Service

from .models import ChangeProposal


def organisation_of(entry: Organization | Service) -> Organization:
    return entry.organization if isinstance(entry, Service) else entry


def may_propose(user: Any, entry: Organization | Service) -> bool:
    """A CBO chair, for their own CBO and its services."""
    return (
        has_role(user, Role.CBO_CHAIR)
        and user.organisation_id is not None
        and organisation_of(entry).pk == user.organisation_id
    )


def may_verify(user: Any, entry: Organization | Service) -> bool:
    return is_officer(user) and in_scope(user, organisation_of(entry).area, with_grants=False)


def may_review(user: Any, proposal: ChangeProposal) -> bool:
    return may_verify(user, proposal.organization)


def organisations_q(user: Any) -> Q:
    """Organisations an officer verifies."""
    if not is_officer(user):
        return NOTHING
    return area_q(user, "area", with_grants=False)


def services_q(user: Any) -> Q:
    if not is_officer(user):
        return NOTHING
    return area_q(user, "organization__area", with_grants=False)


def proposals_visible_q(user: Any) -> Q:
    """Officers: the proposals about entries in their area; a chair: their CBO's."""
    if is_officer(user):
        return area_q(user, "organization__area", with_grants=False)
    if has_role(user, Role.CBO_CHAIR) and user.organisation_id is not None:
        return Q(organization_id=user.organisation_id)
    return NOTHING


def entries_for_chair(user: Any) -> list[Organization | Service]:
    """The entries a chair may propose changes to: their CBO and its services."""
    if not has_role(user, Role.CBO_CHAIR) or user.organisation_id is None:
        return []
    organisation = Organization.objects.filter(pk=user.organisation_id).first()
    if organisation is None:
        return []
    return [organisation, *Service.objects.filter(organization=organisation).order_by("name")]
