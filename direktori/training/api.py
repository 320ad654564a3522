"""`/api/v1/training/…`: the Programme Pemerkasaan, with the same permissions and services as the
pages (CONVENTIONS 8; docs/security.md, "Programme Pemerkasaan"). Sessions, people and
operations the caller may not see or use answer 404."""

from __future__ import annotations

import datetime
import uuid
from typing import Any, Literal, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from direktori.accounts.api_auth import BearerToken
from direktori.accounts.models import User
from direktori.areas.models import Area
from direktori.members.models import Person
from direktori.outreach.api import ErrorOut, NamedOut

from . import services
from .models import Attendance, Organiser, Topic, TrainingSession
from .permissions import (
    districts_in_scope,
    may_manage_session,
    may_manage_sessions,
    may_view_needs,
    may_view_sessions,
)
from .selectors import sessions_annotated, training_needs, training_record

router = Router(auth=BearerToken())

MAX_LIMIT = 100
MAX_BATCH = 500


class TopicOut(NamedOut):
    required: bool


class SessionOut(Schema):
    id: uuid.UUID
    title: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    place: str
    locality: NamedOut | None
    district: NamedOut
    topics: list[TopicOut]
    trainer: str
    organiser: str = Field(..., description="KPWKM, JKM, state, NGO or other")
    registered: int
    attended: int


class SessionPageOut(Schema):
    count: int
    items: list[SessionOut]


class AttendanceOut(Schema):
    person_id: uuid.UUID
    full_name: str
    status: str = Field(..., description="registered, attended or absent")
    certificate_number: str | None
    certificate_url: str | None


class SessionDetailOut(SessionOut):
    attendance: list[AttendanceOut] = Field(
        ..., description="Only the people whose training record the caller may see"
    )


class SessionIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    starts_on: datetime.date
    ends_on: datetime.date | None = None
    place: str = Field(..., min_length=1, max_length=200)
    district: str = Field(..., max_length=64, description="DOSM code, e.g. `10_7` (Sepang)")
    locality: str | None = Field(None, max_length=64, description="Area code in the district")
    topics: list[str] = Field(..., min_length=1, max_length=20, description="Topic codes")
    trainer: str = Field(..., min_length=1, max_length=200)
    organiser: Organiser
    notes: str = Field("", max_length=2000)


class SessionFilters(Schema):
    when: Literal["upcoming", "past"] = "upcoming"
    limit: int = Field(25, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)


class MarkIn(Schema):
    person: uuid.UUID
    status: Attendance.Status


class AttendanceIn(Schema):
    attendance: list[MarkIn] = Field(
        ...,
        max_length=MAX_BATCH,
        description="All or nothing: one person who is not a current member of a CBO in the "
        "caller's area, or `attended`/`absent` before the session starts, and nothing is saved",
    )


class RecordOut(Schema):
    full_name: str
    attended: list[AttendanceOut]
    sessions: list[SessionOut]
    topics_covered: list[TopicOut]
    missing_required: list[TopicOut]


class MemberNeedsOut(Schema):
    person_id: uuid.UUID
    full_name: str
    role: str
    missing: list[str] = Field(..., description="Codes of the required topics still needed")


class CboNeedsOut(Schema):
    id: uuid.UUID
    name: str
    area: NamedOut
    members: list[MemberNeedsOut]
    members_needing: int
    per_topic: dict[str, int]


class NeedsOut(Schema):
    required_topics: list[TopicOut]
    cbos: list[CboNeedsOut]
    per_topic: dict[str, int] = Field(..., description="People still needing each topic")
    people: int
    people_needing: int


def _named(area: Area | None) -> dict[str, str] | None:
    return {"code": area.code, "name": area.name} if area is not None else None


def _topic(topic: Topic) -> dict[str, Any]:
    return {"code": topic.code, "name": topic.name, "required": topic.required}


def _session(session: TrainingSession) -> dict[str, Any]:
    return {
        "id": session.pk,
        "title": session.title,
        "starts_on": session.starts_on,
        "ends_on": session.ends_on,
        "place": session.place,
        "locality": _named(session.locality),
        "district": _named(session.district),
        "topics": [_topic(topic) for topic in session.topics.all()],
        "trainer": session.trainer,
        "organiser": session.organiser,
        "registered": getattr(session, "registered_count", 0),
        "attended": getattr(session, "attended_count", 0),
    }


def _attendance(attendance: Attendance) -> dict[str, Any]:
    number = attendance.certificate_number
    return {
        "person_id": attendance.person_id,
        "full_name": attendance.person.full_name,
        "status": attendance.status,
        "certificate_number": number,
        "certificate_url": reverse("training:certificate", kwargs={"number": number})
        if number
        else None,
    }


def _not_found() -> Status[dict[str, str]]:
    return Status(404, {"detail": _("Not found.")})


def _invalid(detail: str, error: ValidationError) -> Status[dict[str, Any]]:
    errors = (
        {key: [str(m) for m in messages] for key, messages in error.message_dict.items()}
        if hasattr(error, "error_dict")
        else {"request": [str(m) for m in error.messages]}
    )
    return Status(400, {"detail": detail, "errors": errors})


def _session_detail(request: HttpRequest, session_id: uuid.UUID) -> dict[str, Any] | None:
    session = (
        sessions_annotated(TrainingSession.objects.visible_to(request.user))
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        return None
    attendances = (
        Attendance.objects.visible_to(request.user)
        .filter(session=session)
        .select_related("person")
        .order_by("person__full_name")
    )
    return {**_session(session), "attendance": [_attendance(a) for a in attendances]}


@router.get(
    "/training/sessions",
    response={200: SessionPageOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut},
    summary="Training sessions the caller may see: upcoming (soonest first) or past",
)
def training_session_list(request: HttpRequest, filters: Query[SessionFilters]) -> Any:
    if not may_view_sessions(request.user):
        return _not_found()
    visible = TrainingSession.objects.visible_to(request.user)
    sessions = sessions_annotated(visible.past() if filters.when == "past" else visible.upcoming())
    page = sessions[filters.offset : filters.offset + filters.limit]
    return {"count": sessions.count(), "items": [_session(s) for s in page]}


@router.get(
    "/training/sessions/{uuid:session_id}",
    response={200: SessionDetailOut, 401: ErrorOut, 404: ErrorOut},
    summary="A training session, with the attendance of the people the caller may see",
)
def training_session_detail(request: HttpRequest, session_id: uuid.UUID) -> Any:
    found = _session_detail(request, session_id)
    return found if found is not None else _not_found()


@router.post(
    "/training/sessions",
    response={201: SessionOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut},
    summary="Add a training session (officers, in a district of their own area)",
)
def training_session_create(request: HttpRequest, payload: SessionIn) -> Any:
    if not may_manage_sessions(request.user):
        return _not_found()
    district = districts_in_scope(request.user, with_grants=False).filter(code=payload.district)
    if not district.exists():
        return _not_found()
    topics = list(Topic.objects.filter(code__in=payload.topics))
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(payload.topics) - {topic.code for topic in topics})
    if unknown:
        errors["topics"] = [_("Unknown topics: %(codes)s.") % {"codes": ", ".join(unknown)}]
    locality = None
    if payload.locality:
        locality = Area.objects.filter(code=payload.locality).first()
        if locality is None:
            errors["locality"] = [_("Unknown area.")]
    if errors:
        return Status(400, {"detail": _("The session was not saved."), "errors": errors})
    try:
        session = services.session_create(
            actor=cast(User, request.user),
            title=payload.title,
            starts_on=payload.starts_on,
            ends_on=payload.ends_on,
            place=payload.place,
            district=cast(Area, district.first()),
            locality=locality,
            topics=topics,
            trainer=payload.trainer,
            organiser=payload.organiser,
            notes=payload.notes,
            request=request,
        )
    except PermissionDenied:
        return _not_found()
    except ValidationError as error:
        return _invalid(_("The session was not saved."), error)
    created = sessions_annotated(TrainingSession.objects.filter(pk=session.pk)).get()
    return Status(201, _session(created))


@router.post(
    "/training/sessions/{uuid:session_id}/attendance",
    response={200: SessionDetailOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut},
    summary="Register people and record who attended (officers; all or nothing)",
)
def training_attendance_record(
    request: HttpRequest, session_id: uuid.UUID, payload: AttendanceIn
) -> Any:
    session = (
        TrainingSession.objects.visible_to(request.user)
        .select_related("district")
        .filter(pk=session_id)
        .first()
    )
    if session is None or not may_manage_session(request.user, session):
        return _not_found()
    wanted = {mark.person for mark in payload.attendance}
    people = {person.pk: person for person in Person.objects.filter(pk__in=wanted)}
    missing = sorted(str(pk) for pk in wanted - set(people))
    if missing:
        detail = _("Unknown people: %(ids)s.") % {"ids": ", ".join(missing)}
        return Status(400, {"detail": _("Nothing was saved."), "errors": {"people": [detail]}})
    marks = {people[mark.person]: str(mark.status) for mark in payload.attendance}
    try:
        services.attendance_record(
            actor=cast(User, request.user), session=session, marks=marks, request=request
        )
    except PermissionDenied:
        return _not_found()
    except ValidationError as error:
        return _invalid(_("Nothing was saved."), error)
    return _session_detail(request, session.pk)


@router.get(
    "/training/me",
    response={200: RecordOut, 401: ErrorOut, 404: ErrorOut},
    summary="The caller's own training record (404 without an entry in the CBO register)",
)
def training_me(request: HttpRequest) -> Any:
    person = Person.objects.filter(user=cast(User, request.user)).first()
    if person is None:
        return _not_found()
    record = training_record(person=person, viewer=request.user)
    sessions = sessions_annotated(
        TrainingSession.objects.filter(pk__in=[a.session_id for a in record.attended])
    )
    return {
        "full_name": person.full_name,
        "attended": [_attendance(a) for a in record.attended],
        "sessions": [_session(s) for s in sessions],
        "topics_covered": [_topic(t) for t in record.topics_covered],
        "missing_required": [_topic(t) for t in record.missing_required],
    }


@router.get(
    "/training/needs",
    response={200: NeedsOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut},
    summary="Per CBO in the caller's scope, each current member's missing required topics",
    url_name="training_needs",
)
def training_needs_api(request: HttpRequest, district: str | None = None) -> Any:
    if not may_view_needs(request.user):
        return _not_found()
    area = None
    if district:
        area = districts_in_scope(request.user).filter(code=district).first()
        if area is None:
            return _not_found()
    needs = training_needs(user=request.user, district=area)
    codes = [topic.code for topic in needs.topics]
    return {
        "required_topics": [_topic(t) for t in needs.topics],
        "cbos": [
            {
                "id": row.cbo.pk,
                "name": row.cbo.name,
                "area": _named(row.cbo.area),
                "members": [
                    {
                        "person_id": m.membership.person_id,
                        "full_name": m.membership.person.full_name,
                        "role": m.membership.role,
                        "missing": [
                            c for c, needed in zip(codes, m.missing, strict=True) if needed
                        ],
                    }
                    for m in row.members
                ],
                "members_needing": row.members_needing,
                "per_topic": dict(zip(codes, row.per_topic, strict=True)),
            }
            for row in needs.cbos
        ],
        "per_topic": dict(zip(codes, needs.per_topic, strict=True)),
        "people": needs.people,
        "people_needing": needs.people_needing,
    }
