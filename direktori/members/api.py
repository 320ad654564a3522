"""`/api/v1/cbos/{id}/members` and `/api/v1/members/me` (docs/security.md, "Membership
register"): the same permissions as the pages — a CBO the caller may not see is a 404."""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from direktori.accounts.api import ErrorOut
from direktori.accounts.api_auth import BearerToken
from direktori.accounts.permissions import is_officer
from direktori.audit.models import Action
from direktori.audit.services import audit_record
from direktori.directory.models import Organization

from . import permissions, services
from .models import Membership, Person

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
