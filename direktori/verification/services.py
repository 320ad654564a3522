"""Writes for keeping entries true (CONVENTIONS 3): propose, accept, reject, verify. Each is
recorded in the audit log in the same transaction; the search index follows the ORM writes by
its signals (`direktori/search/signals.py`) once the transaction commits."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from direktori.accounts.models import User
from direktori.audit.models import Action
from direktori.audit.services import audit_record
from direktori.directory.models import Organization, Service

from . import fields
from .models import ChangeProposal, ProposalStatus
from .permissions import may_propose, may_review, may_verify, organisation_of

REASON_MAX_LENGTH = 1000
NOTE_MAX_LENGTH = 1000


def kind_of(entry: Organization | Service) -> str:
    return "service" if isinstance(entry, Service) else "organization"


def change_proposal_create(
    *,
    user: User,
    entry: Organization | Service,
    changes: dict[str, Any],
    note: str = "",
    request: HttpRequest | None = None,
) -> ChangeProposal:
    if not may_propose(user, entry):
        raise PermissionDenied
    note = note.strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {"note": _("Keep the note under %(count)d characters.") % {"count": NOTE_MAX_LENGTH}}
        )
    kind = kind_of(entry)
    cleaned = fields.clean_changes(kind, entry, changes)
    with transaction.atomic():
        proposal = ChangeProposal.objects.create(
            organization=organisation_of(entry),
            service=entry if isinstance(entry, Service) else None,
            changes=cleaned,
            note=note,
            proposed_by=user,
        )
        audit_record(
            action=Action.RECORD_CREATED,
            request=request,
            actor=user,
            target=proposal,
            detail={"entry": kind, "entry_id": str(entry.pk), "fields": sorted(cleaned)},
        )
    return proposal


def _decide(proposal: ChangeProposal, user: User) -> ChangeProposal:
    """The proposal, locked and re-read, if `user` may decide it now."""
    if not may_review(user, proposal):
        raise PermissionDenied
    locked = ChangeProposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status != ProposalStatus.PROPOSED:
        raise ValidationError(_("This proposal has already been reviewed."))
    return locked


def entry_verify(
    *, entry: Organization | Service, user: User, request: HttpRequest | None = None
) -> None:
    """The officer confirms the entry is true today ("still true")."""
    if not may_verify(user, entry):
        raise PermissionDenied
    with transaction.atomic():
        entry.verified_on = timezone.localdate()
        entry.verified_by = user
        entry.save(update_fields=["verified_on", "verified_by", "updated_at"])
        audit_record(
            action=Action.RECORD_CHANGED,
            request=request,
            actor=user,
            target=entry,
            area=organisation_of(entry).area,
            detail={"verified_on": entry.verified_on.isoformat(), "fields": ["verified_on"]},
        )


def change_proposal_accept(
    *, proposal: ChangeProposal, user: User, request: HttpRequest | None = None
) -> ChangeProposal:
    """Applies the changes (checked again against the entry as it is now) and verifies it."""
    with transaction.atomic():
        proposal = _decide(proposal, user)
        entry = proposal.entry
        kind = kind_of(entry)
        changes = fields.clean_changes(kind, entry, proposal.changes)
        fields.apply_changes(entry, changes)
        proposal.status = ProposalStatus.ACCEPTED
        proposal.reviewed_by = user
        proposal.reviewed_at = timezone.now()
        proposal.save(update_fields=["status", "reviewed_by", "reviewed_at"])
        audit_record(
            action=Action.RECORD_CHANGED,
            request=request,
            actor=user,
            target=entry,
            area=proposal.organization.area,
            detail={"proposal": proposal.pk, "status": "accepted", "fields": sorted(changes)},
        )
        entry_verify(entry=entry, user=user, request=request)
    return proposal


def change_proposal_reject(
    *, proposal: ChangeProposal, user: User, reason: str, request: HttpRequest | None = None
) -> ChangeProposal:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the proposal is rejected.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("Keep the reason under %(count)d characters.")
                % {"count": REASON_MAX_LENGTH}
            }
        )
    with transaction.atomic():
        proposal = _decide(proposal, user)
        proposal.status = ProposalStatus.REJECTED
        proposal.reason = reason
        proposal.reviewed_by = user
        proposal.reviewed_at = timezone.now()
        proposal.save(update_fields=["status", "reason", "reviewed_by", "reviewed_at"])
        audit_record(
            action=Action.RECORD_CHANGED,
            request=request,
            actor=user,
            target=proposal,
            detail={"status": "rejected"},
        )
    return proposal
