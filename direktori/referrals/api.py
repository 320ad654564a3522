"""`/api/v1/referrals…` (CONTRACT "Referrals"; docs/security.md "Referrals"): the same
permissions and services as the pages. A referral the caller may not see, and a move they may not
make, answer 404, so that neither its existence nor its state leaks; a move the state machine
does not allow, or a missing reason, answers 400 with the problems by field.

Each referral comes in one of two views, told apart by `view`: `officer` (everything, for the
officers over its office) or `reporter` (reference, status and dates, target group, urgency, the
public outcome and the history of moves without who or notes; for the person who reported it).
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Status

from direktori.accounts.api import ErrorOut
from direktori.accounts.api_auth import BearerToken
from direktori.areas.models import Area
from direktori.verification.api import ProblemsOut

from . import auditing, permissions, selectors, services
from .models import Referral
from .models import Status as ReferralStatus
from .permissions import View
from .schemas import (
    MAX_PAGE,
    CreatedOut,
    DetailOut,
    EventsOut,
    ListOut,
    MovedOut,
    ReferralIn,
    StatusCode,
    SubjectIn,
    TransitionIn,
)
from .submission import Submission
from .workflow import actions_from

router = Router(auth=BearerToken())

#: The referral's own fields in each view (the rest are built below).
COMMON_FIELDS = ("id", "reference", "status", "target_group", "urgency", "created_at")
ENDING_FIELDS = ("acknowledged_at", "closed_at", "outcome", "referred_to")
REPORTER_FIELDS = (*COMMON_FIELDS, *ENDING_FIELDS, "rejection_reason")
SUMMARY_FIELDS = (*COMMON_FIELDS, "due_at", *ENDING_FIELDS)


def _not_found() -> Status[dict[str, str]]:
    return Status(404, {"detail": "Not found."})


def _problems(error: ValidationError) -> Status[dict[str, Any]]:
    errors = error.message_dict if hasattr(error, "error_dict") else {"request": error.messages}
    return Status(400, {"detail": " ".join(error.messages), "errors": errors})


def _reporter_out(referral: Referral, *, history: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "view": View.REPORTER.value,
        **{name: getattr(referral, name) for name in REPORTER_FIELDS},
    }
    if history:
        out["history"] = [
            {"action": event.action, "status": event.to_status, "at": event.at}
            for event in selectors.shared_history(referral)
        ]
    return out


def _officer_summary(referral: Referral) -> dict[str, Any]:
    return {
        "view": View.OFFICER.value,
        **{name: getattr(referral, name) for name in SUMMARY_FIELDS},
        "district": referral.district.code,
        "office": referral.assigned_office.code,
        "assigned_officer": (
            referral.assigned_officer.get_username() if referral.assigned_officer else None
        ),
        "overdue": referral.status == ReferralStatus.SUBMITTED and referral.due_at < timezone.now(),
    }


def _officer_out(referral: Referral, user: Any) -> dict[str, Any]:
    return {
        **_officer_summary(referral),
        "area": referral.area.code,
        "summary": referral.concern,
        "address_or_landmark": referral.address_or_landmark,
        "subject": {
            "name_or_description": referral.subject_description,
            "age": referral.subject_age,
            "age_band": referral.subject_age_band,
            "sex": referral.subject_sex,
            "mykad": referral.subject_mykad,
        },
        "consent": {
            "given": referral.consent_given,
            "by": referral.consent_by,
            "reason": referral.consent_reason,
        },
        "reporter": referral.reporter.get_username() if referral.reporter else None,
        "reporter_phone": referral.reporter_phone,
        "rejection_reason": referral.rejection_reason,
        "anonymised_at": referral.anonymised_at,
        "actions": [
            action
            for action in actions_from(referral.status)
            if not referral.is_anonymised and permissions.may_do(user, referral, action)
        ],
    }


def _detail(referral: Referral, user: Any) -> dict[str, Any] | None:
    view = permissions.view_of(user, referral)
    if view == View.OFFICER:
        return _officer_out(referral, user)
    if view == View.REPORTER:
        return _reporter_out(referral, history=True)
    return None


def _visible(request: HttpRequest, id: uuid.UUID) -> Referral | None:
    return (
        Referral.objects.visible_to(request.user)
        .select_related("area", "district", "assigned_office", "assigned_officer", "reporter")
        .filter(pk=id)
        .first()
    )


def _area(code: str | None, *kinds: str) -> Area | None:
    if not code:
        return None
    return Area.objects.filter(code=code.strip(), kind__in=kinds).first()


@router.post(
    "/referrals",
    response={200: CreatedOut, 201: CreatedOut, 400: ProblemsOut, 404: ErrorOut, 429: ErrorOut},
    summary="Refer a person at risk to the district welfare office",
    description="CBO members and chairs and officers, for any district; anyone else: 404. "
    "The referral goes to the office of `district`; its officers are told (email, SMS) "
    "without the person's details. 201 for a new referral; 200 with the same referral when "
    "`client_token` was sent before by the same caller. 429 when the caller has sent "
    "`REFERRAL_SUBMISSIONS_PER_HOUR` referrals in the last hour (a retry with a `client_token` "
    "already used is never refused).",
)
def referral_create(request: HttpRequest, payload: ReferralIn) -> Any:
    if not permissions.may_submit(request.user):
        return _not_found()
    district = _area(payload.district, Area.Kind.DISTRICT)
    if district is None:
        return _problems(ValidationError({"district": _("Give a district's DOSM code.")}))
    area: Area | None = district
    if payload.area:
        area = _area(payload.area, Area.Kind.MUKIM, Area.Kind.LOCALITY)
        if area is None or not area.path.startswith(district.path):
            return _problems(
                ValidationError({"area": _("Not a mukim or locality in this district.")})
            )
    subject = payload.subject or SubjectIn.model_validate({})
    submission = Submission(
        target_group=payload.target_group,
        concern=payload.summary,
        urgency=payload.urgency,
        area=area,
        consent_given=payload.consent.given,
        consent_by=payload.consent.by or "",
        consent_reason=payload.consent.reason,
        address_or_landmark=payload.address_or_landmark,
        subject_description=subject.name_or_description,
        subject_age=subject.age,
        subject_age_band=subject.age_band or "",
        subject_sex=subject.sex,
        subject_mykad=subject.mykad,
        reporter_phone=payload.reporter_phone,
    )
    try:
        referral, created = services.referral_submit(
            reporter=request.user,
            submission=submission,
            client_token=payload.client_token,
            request=request,
        )
    except PermissionDenied:
        return _not_found()
    except ValidationError as error:
        return _problems(error)
    except services.TooManyReferrals as error:
        return Status(429, {"detail": str(error)})
    body = {"id": referral.pk, "reference": referral.reference, "status": referral.status}
    return Status(201 if created else 200, body)


@router.get(
    "/referrals",
    response={200: ListOut},
    summary="The referrals the caller may see",
    description="Officers: those assigned to offices in their area (and areas opened to them "
    "by break the glass), in the officer's view; everyone: those they reported, in the "
    "reporter's view. Most urgent first, then the oldest. `overdue=true`: only those not "
    "acknowledged by their target.",
)
def referral_list(
    request: HttpRequest,
    status: StatusCode | None = None,
    overdue: bool = False,
    limit: Annotated[int, Field(ge=1, le=MAX_PAGE)] = 20,
    offset: Annotated[int, Field(ge=0)] = 0,
) -> Any:
    found = selectors.listing(request.user, status=status or "", overdue_only=overdue)
    page = list(found.select_related("assigned_officer")[offset : offset + limit])
    view_of = permissions.viewer(request.user)
    results = [
        _officer_summary(referral) if view_of(referral) == View.OFFICER else _reporter_out(referral)
        for referral in page
    ]
    auditing.referral_record_read(user=request.user, request=request, shown=len(results))
    return {"count": found.count(), "results": results}


@router.get(
    "/referrals/{uuid:id}",
    response={200: DetailOut, 404: ErrorOut},
    summary="One referral",
    description="In the officer's or the reporter's view; 404 when the caller may not see it.",
)
def referral_detail(request: HttpRequest, id: uuid.UUID) -> Any:
    referral = _visible(request, id)
    body = _detail(referral, request.user) if referral else None
    if referral is None or body is None:
        return _not_found()
    auditing.referral_record_read(user=request.user, request=request, referral=referral)
    return body


@router.post(
    "/referrals/{uuid:id}/transitions",
    url_name="referral_transition",
    response={200: MovedOut, 400: ProblemsOut, 404: ErrorOut},
    summary="Move a referral: acknowledge, start, close, reject, withdraw, transfer, note",
    description="Officers over its office make every move but `withdraw`, which is the "
    "reporter's. close needs `outcome` (and `referred_to` for referred_on); reject and "
    "transfer need `reason`; transfer needs `district`. 404 when the caller may not see the "
    "referral or make this move; 400 when the state machine does not allow it now. The answer "
    "is the referral as the caller sees it after the move; after a transfer to an office they "
    "do not oversee, only `view: transferred` with its id, reference, status and new office.",
)
def referral_transition_make(request: HttpRequest, id: uuid.UUID, payload: TransitionIn) -> Any:
    referral = _visible(request, id)
    if referral is None:
        return _not_found()
    extra: dict[str, Any] = {
        "outcome": payload.outcome,
        "referred_to": payload.referred_to,
        "reason": payload.reason,
    }
    if payload.action == "transfer" or payload.district:
        extra["district"] = _area(payload.district, Area.Kind.DISTRICT) or payload.district
    try:
        moved = services.referral_transition(
            referral=referral,
            action=payload.action,
            actor=request.user,
            note=payload.note,
            request=request,
            **extra,
        )
    except PermissionDenied:
        return _not_found()
    except ValidationError as error:
        return _problems(error)
    fresh = _visible(request, id)
    body = _detail(fresh, request.user) if fresh else None
    if body is None:
        return {
            "view": "transferred",
            "id": moved.pk,
            "reference": moved.reference,
            "status": moved.status,
            "office": moved.assigned_office.code,
        }
    return body


@router.get(
    "/referrals/{uuid:id}/events",
    response={200: EventsOut, 404: ErrorOut},
    summary="A referral's history, with the officers' notes",
    description="Officers over its office (and break the glass, reading); anyone else: 404.",
)
def referral_events(request: HttpRequest, id: uuid.UUID) -> Any:
    referral = _visible(request, id)
    if referral is None or not permissions.may_read_events(request.user, referral):
        return _not_found()
    events = referral.events.select_related("actor", "from_office", "to_office").order_by(
        "at", "pk"
    )
    results = [
        {
            "action": event.action,
            "from_status": event.from_status,
            "to_status": event.to_status,
            "actor": event.actor.get_username() if event.actor else None,
            "at": event.at,
            "note": event.note,
            "visibility": event.visibility,
            "from_office": event.from_office.code if event.from_office else None,
            "to_office": event.to_office.code if event.to_office else None,
        }
        for event in events
    ]
    auditing.referral_record_read(
        user=request.user, request=request, referral=referral, what="events"
    )
    return {"count": len(results), "results": results}
