"""`/api/v1/cbos/{id}/members`, `/api/v1/memberships/{id}/end|move` and `/api/v1/members/me`
(docs/security.md, "Membership register"): the same permissions, forms and services as the pages
— a CBO or membership the caller may not see or change is a 404; values the form refuses are a
400 with `errors` by field."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from direktori.accounts.api import ErrorOut
from direktori.accounts.api_auth import BearerToken
from direktori.accounts.permissions import is_officer
from direktori.audit.models import Action
from direktori.audit.services import audit_record
from direktori.directory.models import Organization
from direktori.verification.api import ProblemsOut

from . import permissions, services
from .forms import AppointForm, EndForm, TermForm
from .models import Membership, Person
from .selectors import manageable_cbo, manageable_membership

router = Router(auth=BearerToken(), tags=["members"])


class MemberOut(Schema):
    id: uuid.UUID
    full_name: str
    role: str = Field(
        ..., description="pengerusi, timbalan_pengerusi, setiausaha, bendahari, ajk, ahli"
    )
    appointed_by: str = Field(..., description="KPWKM, MPKK, JPKK, JKM, lain")
    appointed_on: datetime.date
    term_ends_on: datetime.date | None
    status: str = Field(..., description="active or ended")
    phone: str = Field(..., description="E.164, or empty")
    email: str
    listed_publicly: bool


class MembershipOut(Schema):
    cbo_id: uuid.UUID
    cbo_name: str
    role: str
    appointed_on: datetime.date
    term_ends_on: datetime.date | None
    status: str


class PersonOut(Schema):
    full_name: str
    phone: str
    email: str
    listed_publicly: bool
    consent_on: datetime.date | None
    memberships: list[MembershipOut]


class PersonPatchIn(Schema):
    phone: str | None = Field(None, max_length=40, description="A Malaysian number, or empty")
    email: str | None = Field(None, max_length=254)
    listed_publicly: bool | None = None


ROLE_HELP = "pengerusi, timbalan_pengerusi, setiausaha, bendahari, ajk, ahli"
BODY_HELP = "KPWKM, MPKK, JPKK, JKM, lain"


class AppointIn(Schema):
    full_name: str = Field(..., max_length=200)
    phone: str = Field("", max_length=40, description="A Malaysian number, or empty")
    email: str = Field("", max_length=254)
    role: str = Field(..., max_length=20, description=ROLE_HELP)
    appointed_by: str = Field(..., max_length=10, description=BODY_HELP)
    appointed_on: datetime.date
    term_ends_on: datetime.date | None = None
    listed_publicly: bool = Field(
        False, description="The person agrees that their phone and email appear publicly"
    )


class EndIn(Schema):
    ended_on: datetime.date | None = Field(
        None, description="Today unless given; not before the appointment, not after today"
    )
    reason: str = Field("", max_length=services.REASON_MAX_LENGTH)


class MoveIn(Schema):
    cbo: uuid.UUID = Field(..., description="The CBO to move to, in the caller's own area")
    moved_on: datetime.date | None = Field(None, description="Today unless given")
    role: str | None = Field(None, max_length=20, description="The current role unless given")
    appointed_by: str | None = Field(None, max_length=10, description="As now unless given")
    term_ends_on: datetime.date | None = Field(None, description="Empty: no end date")
    reason: str = Field("", max_length=services.REASON_MAX_LENGTH)


def _not_found() -> Status[dict[str, str]]:
    return Status(404, {"detail": _("Not found.")})


def _refused(
    errors: Mapping[str, Any], renamed: dict[str, str] | None = None
) -> Status[dict[str, Any]]:
    """A form's or a service's errors by field, named as in the request."""
    renamed = {"__all__": "request", **(renamed or {})}
    by_field = {renamed.get(field, field): list(messages) for field, messages in errors.items()}
    return Status(400, {"detail": _("Nothing was changed."), "errors": by_field})


def _service_refused(
    error: ValidationError, renamed: dict[str, str] | None = None
) -> Status[dict[str, Any]]:
    errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    return _refused(errors, renamed)


def _member_out(membership: Membership) -> MemberOut:
    person = membership.person
    return MemberOut(
        id=membership.pk,
        full_name=person.full_name,
        role=membership.role,
        appointed_by=membership.appointed_by,
        appointed_on=membership.appointed_on,
        term_ends_on=membership.term_ends_on,
        status=membership.status,
        phone=person.phone,
        email=person.email,
        listed_publicly=person.listed_publicly,
    )


def _person_out(person: Person) -> PersonOut:
    return PersonOut(
        full_name=person.full_name,
        phone=person.phone,
        email=person.email,
        listed_publicly=person.listed_publicly,
        consent_on=person.consent_on,
        memberships=[
            MembershipOut(
                cbo_id=m.cbo_id,
                cbo_name=m.cbo.name,
                role=m.role,
                appointed_on=m.appointed_on,
                term_ends_on=m.term_ends_on,
                status=m.status,
            )
            for m in person.memberships.select_related("cbo").in_role_order()
        ],
    )


@router.get(
    "/cbos/{uuid:cbo_id}/members",
    response={200: list[MemberOut], 401: ErrorOut, 404: ErrorOut},
    summary="The members of a CBO, with their contacts",
)
def cbo_members_list(request: HttpRequest, cbo_id: uuid.UUID) -> list[MemberOut]:
    cbo = get_object_or_404(
        Organization.objects.filter(kind=Organization.Kind.CBO).select_related("area"), pk=cbo_id
    )
    if not permissions.may_view_cbo(request.user, cbo):
        raise Http404
    memberships = (
        Membership.objects.visible_to(request.user)
        .filter(cbo=cbo)
        .select_related("person")
        .in_role_order()
    )
    found = [_member_out(m) for m in memberships]
    if is_officer(request.user):
        audit_record(
            action=Action.RECORD_VIEWED,
            request=request,
            actor=request.user,
            object_type="members.membership",
            object_id=str(cbo.pk),
            area=cbo.area,
            detail={"shown": len(found), "via": "api"},
        )
    return found


@router.get(
    "/members/me",
    response={200: PersonOut, 401: ErrorOut, 404: ErrorOut},
    summary="The caller's own entry in the CBO register",
)
def member_me(request: HttpRequest) -> PersonOut:
    return _person_out(get_object_or_404(Person, user=request.user))


@router.patch(
    "/members/me",
    url_name="member_me",
    response={200: PersonOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut},
    summary="Correct one's own contact details and consent to show them publicly",
)
def member_me_update(
    request: HttpRequest, payload: PersonPatchIn
) -> PersonOut | Status[dict[str, str]]:
    person = get_object_or_404(Person, user=request.user)
    try:
        services.person_update_contact(
            person=person,
            phone=person.phone if payload.phone is None else payload.phone,
            email=person.email if payload.email is None else payload.email,
            listed_publicly=(
                person.listed_publicly
                if payload.listed_publicly is None
                else payload.listed_publicly
            ),
            actor=request.user,
        )
    except ValidationError as error:
        return Status(400, {"detail": " ".join(error.messages) or _("Invalid value.")})
    return _person_out(person)


@router.post(
    "/cbos/{uuid:cbo_id}/members",
    response={200: MemberOut, 201: MemberOut, 400: ProblemsOut, 401: ErrorOut, 404: ErrorOut},
    summary="Appoint one person to a CBO",
    description="Officers, for CBOs of their own area (not areas opened by break the glass); "
    "anyone else: 404. As one row of an appointment list: someone the register knows (by mobile "
    "number, or by name in this CBO) is re-appointed, their previous term kept (200); a new "
    "person is 201.",
)
def cbo_member_appoint(request: HttpRequest, cbo_id: uuid.UUID, payload: AppointIn) -> Any:
    cbo = manageable_cbo(request.user, cbo_id)
    if cbo is None:
        return _not_found()
    form = AppointForm(data=payload.dict())
    if not form.is_valid():
        return _refused(form.errors)
    try:
        membership, outcome = services.membership_appoint(
            appointment=form.appointment(cbo), actor=request.user
        )
    except ValidationError as error:
        return _service_refused(error)
    return Status(201 if outcome == "created" else 200, _member_out(membership))


@router.post(
    "/memberships/{uuid:membership_id}/end",
    response={200: MemberOut, 400: ProblemsOut, 401: ErrorOut, 404: ErrorOut},
    summary="End a membership",
    description="Officers, for CBOs of their own area; anyone else: 404. The term is kept in "
    "the membership's history. A membership that has ended already: 400.",
)
def membership_end(request: HttpRequest, membership_id: uuid.UUID, payload: EndIn) -> Any:
    membership = manageable_membership(request.user, membership_id)
    if membership is None:
        return _not_found()
    form = EndForm(data={**payload.dict(), "ended_on": payload.ended_on or timezone.localdate()})
    if not form.is_valid():
        return _refused(form.errors)
    try:
        ended = services.membership_end(
            membership=membership,
            ended_on=form.cleaned_data["ended_on"],
            reason=form.cleaned_data["reason"],
            actor=request.user,  # type: ignore[arg-type]
            request=request,
        )
    except PermissionDenied:
        return _not_found()
    except ValidationError as error:
        return _service_refused(error)
    return _member_out(ended)


@router.post(
    "/memberships/{uuid:membership_id}/move",
    response={200: MemberOut, 400: ProblemsOut, 401: ErrorOut, 404: ErrorOut},
    summary="Move a member to another CBO",
    description="Officers, for a membership and a target CBO both in their own area; anything "
    "else: 404. Ends the membership here on `moved_on` (its term kept) and appoints the same "
    "person to `cbo` from that day, all or nothing; answers with the new membership.",
)
def membership_move(request: HttpRequest, membership_id: uuid.UUID, payload: MoveIn) -> Any:
    membership = manageable_membership(request.user, membership_id)
    if membership is None:
        return _not_found()
    to_cbo = Organization.objects.filter(pk=payload.cbo).select_related("area").first()
    if to_cbo is None:
        return _not_found()
    form = TermForm(
        data={
            "role": payload.role or membership.role,
            "appointed_by": payload.appointed_by or membership.appointed_by,
            "appointed_on": payload.moved_on or timezone.localdate(),
            "term_ends_on": payload.term_ends_on,
        }
    )
    renamed = {"appointed_on": "moved_on"}
    if not form.is_valid():
        return _refused(form.errors, renamed)
    term = form.term()
    try:
        moved = services.membership_move(
            membership=membership,
            to_cbo=to_cbo,
            moved_on=term.pop("appointed_on"),
            reason=payload.reason,
            actor=request.user,  # type: ignore[arg-type]
            request=request,
            **term,
        )
    except PermissionDenied:
        return _not_found()
    except ValidationError as error:
        return _service_refused(error, {**renamed, "ended_on": "moved_on"})
    return _member_out(moved)
