"""`/api/v1/verification/…` and `/api/v1/proposals…`: the same permissions and services as the
pages. Whatever the caller may not see or do answers 404, as on the pages."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from direktori.accounts.api_auth import BearerToken
from direktori.accounts.models import Role, User
from direktori.accounts.permissions import has_role, is_officer
from direktori.directory.models import Organization, Service

from . import selectors, services
from .models import ChangeProposal
from .permissions import entries_for_chair
from .services import NOTE_MAX_LENGTH, REASON_MAX_LENGTH
from .views import verifiable_entry

router = Router(auth=BearerToken())

Kind = Literal["organization", "service"]
QUEUE_DEFAULT_LIMIT = 100
QUEUE_MAX_LIMIT = 500


class ErrorOut(Schema):
    detail: str


class ProblemsOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(..., description="Field name → what is wrong with it")


class EntryOut(Schema):
    kind: Kind
    id: uuid.UUID
    name: str
    organization_id: uuid.UUID
    area_code: str
    verified_on: datetime.date | None


class QueueOut(Schema):
    count: int = Field(..., description="All overdue entries in the caller's area")
    results: list[EntryOut] = Field(
        ..., description="Never verified first, then the oldest: `limit` from `offset`"
    )


class QueuePage(Schema):
    limit: int = Field(QUEUE_DEFAULT_LIMIT, ge=1, le=QUEUE_MAX_LIMIT)
    offset: int = Field(0, ge=0)


class VerifiedOut(Schema):
    kind: Kind
    id: uuid.UUID
    verified_on: datetime.date
    verified_by: str


class ProposalIn(Schema):
    kind: Kind
    id: uuid.UUID = Field(..., description="The organisation's or service's id")
    changes: dict[str, str] = Field(
        ...,
        description="Field → proposed value. Organisations: description_ms, description_en, "
        "phone; services: name, name_en, description_ms, description_en, hours_note_ms, "
        "hours_note_en, phone",
    )
    note: str = Field("", max_length=NOTE_MAX_LENGTH)


class ProposalOut(Schema):
    id: int
    kind: Kind
    entry_id: uuid.UUID
    organization_id: uuid.UUID
    changes: dict[str, str]
    note: str
    status: Literal["proposed", "accepted", "rejected"]
    proposed_by: str | None
    proposed_at: datetime.datetime
    reviewed_by: str | None
    reviewed_at: datetime.datetime | None
    reason: str


class RejectIn(Schema):
    reason: str = Field(..., min_length=1, max_length=REASON_MAX_LENGTH)


def _entry_out(item: selectors.QueueEntry) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "id": item.entry.pk,
        "name": item.entry.name,
        "organization_id": item.organisation.pk,
        "area_code": item.organisation.area.code,
        "verified_on": item.entry.verified_on,
    }


def _proposal_out(proposal: ChangeProposal) -> dict[str, Any]:
    return {
        "id": proposal.pk,
        "kind": proposal.kind,
        "entry_id": proposal.service_id or proposal.organization_id,
        "organization_id": proposal.organization_id,
        "changes": proposal.changes,
        "note": proposal.note,
        "status": proposal.status,
        "proposed_by": proposal.proposed_by.get_username() if proposal.proposed_by else None,
        "proposed_at": proposal.proposed_at,
        "reviewed_by": proposal.reviewed_by.get_username() if proposal.reviewed_by else None,
        "reviewed_at": proposal.reviewed_at,
        "reason": proposal.reason,
    }


def _not_found() -> Status[dict[str, str]]:
    return Status(404, {"detail": "Not found."})


def _problems(error: ValidationError) -> Status[dict[str, Any]]:
    errors = error.message_dict if hasattr(error, "error_dict") else {"request": error.messages}
    return Status(400, {"detail": " ".join(error.messages), "errors": errors})


def _proposals(request: HttpRequest) -> Any:
    return ChangeProposal.objects.visible_to(request.user).select_related(
        "proposed_by", "reviewed_by"
    )


@router.get(
    "/verification/queue",
    response={200: QueueOut, 400: ErrorOut, 404: ErrorOut},
    summary="Entries to re-verify",
    description="Officers: the active entries in their area never verified or verified more "
    "than 12 months ago, `limit` at a time (100 unless given, at most 500) from `offset`; "
    "`count` is all of them. Everyone else: 404.",
)
def verification_queue(request: HttpRequest, paging: Query[QueuePage]) -> Any:
    if not is_officer(request.user):
        return _not_found()
    entries = selectors.OverdueQueue(request.user)
    return {
        "count": entries.count(),
        "results": [
            _entry_out(item) for item in entries[paging.offset : paging.offset + paging.limit]
        ],
    }


@router.post(
    "/verification/{kind}/{id}/verify",
    response={200: VerifiedOut, 404: ErrorOut},
    summary="Mark an entry as still true",
    description="Sets the entry's verified_on to today and verified_by to the caller. Officers, "
    "for entries in their area; otherwise 404.",
)
def verification_verify(request: HttpRequest, kind: str, id: uuid.UUID) -> Any:
    if not is_officer(request.user):
        return _not_found()
    try:
        entry = verifiable_entry(request.user, kind, id)
        services.entry_verify(entry=entry, user=request.user, request=request)  # type: ignore[arg-type]
    except (Http404, PermissionDenied):
        return _not_found()
    assert entry.verified_on is not None  # noqa: S101 -- just set
    return {
        "kind": kind,
        "id": entry.pk,
        "verified_on": entry.verified_on,
        "verified_by": request.user.get_username(),
    }


@router.get(
    "/proposals",
    response={200: list[ProposalOut], 404: ErrorOut},
    summary="Proposed changes",
    description="Officers: the proposals about entries in their area; a CBO chair: their CBO's. "
    "`status` filters (e.g. `proposed` for those waiting). Everyone else: 404.",
)
def proposal_list(
    request: HttpRequest, status: Literal["proposed", "accepted", "rejected"] | None = None
) -> Any:
    if not (is_officer(request.user) or has_role(request.user, Role.CBO_CHAIR)):
        return _not_found()
    found = _proposals(request)
    if status:
        found = found.filter(status=status)
    return [_proposal_out(p) for p in found.order_by("-proposed_at", "-pk")[:200]]


@router.post(
    "/proposals",
    response={201: ProposalOut, 400: ProblemsOut, 404: ErrorOut},
    summary="Propose changes to an entry",
    description="CBO chairs, for their own CBO and its services. Values are checked as on the "
    "page (400 with `errors` by field); any other entry or caller: 404.",
)
def proposal_create(request: HttpRequest, payload: ProposalIn) -> Any:
    entries = {(services.kind_of(e), e.pk): e for e in entries_for_chair(request.user)}
    entry: Organization | Service | None = entries.get((payload.kind, payload.id))
    if entry is None:
        return _not_found()
    try:
        proposal = services.change_proposal_create(
            user=request.user,  # type: ignore[arg-type]
            entry=entry,
            changes=payload.changes,
            note=payload.note,
            request=request,
        )
    except PermissionDenied:
        return _not_found()
    except ValidationError as error:
        return _problems(error)
    return Status(201, _proposal_out(proposal))


def _decide(
    request: HttpRequest, id: int, decide: Callable[[ChangeProposal, User], ChangeProposal]
) -> Any:
    """404 unless an officer may see the proposal; then `decide` through the service."""
    if not is_officer(request.user):
        return _not_found()
    found = _proposals(request).filter(pk=id).select_related("organization__area").first()
    if found is None:
        return _not_found()
    try:
        return _proposal_out(decide(found, request.user))  # type: ignore[arg-type]
    except PermissionDenied:
        return _not_found()
    except ValidationError as error:
        return _problems(error)


@router.post(
    "/proposals/{id}/accept",
    response={200: ProposalOut, 400: ProblemsOut, 404: ErrorOut},
    summary="Accept a proposal",
    description="Makes the changes and marks the entry verified. Officers, for entries in their "
    "area; otherwise 404. A proposal already reviewed: 400.",
)
def proposal_accept(request: HttpRequest, id: int) -> Any:
    return _decide(
        request,
        id,
        lambda proposal, user: services.change_proposal_accept(
            proposal=proposal, user=user, request=request
        ),
    )


@router.post(
    "/proposals/{id}/reject",
    response={200: ProposalOut, 400: ProblemsOut, 404: ErrorOut},
    summary="Reject a proposal",
    description="With a reason the chair sees. Officers, for entries in their area; otherwise "
    "404. A proposal already reviewed: 400.",
)
def proposal_reject(request: HttpRequest, id: int, payload: RejectIn) -> Any:
    return _decide(
        request,
        id,
        lambda proposal, user: services.change_proposal_reject(
            proposal=proposal, user=user, reason=payload.reason, request=request
        ),
    )
