"""`/api/v1/activities…`: outreach activity, with the same permissions and services as the pages
(CONVENTIONS 8; docs/security.md, "Outreach activity"). Records the caller may not see, and
operations they may not use, answer 404."""

from __future__ import annotations

import datetime
import uuid
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from direktori.accounts.api_auth import BearerToken
from direktori.accounts.models import User
from direktori.areas.models import Area
from direktori.directory.models import TaxonomyTerm

from . import services
from .forms import MONTH, filter_activities
from .models import DESCRIPTION_LENGTH, MAX_PEOPLE_REACHED, MAX_VOLUNTEERS, Activity
from .permissions import cbos_recordable_by, may_view_activities, may_view_summary
from .selectors import activity_summary, default_period

router = Router(auth=BearerToken())

MAX_LIMIT = 100


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


class NamedOut(Schema):
    code: str
    name: str


class CboOut(Schema):
    id: uuid.UUID
    name: str


class ActivityOut(Schema):
    id: uuid.UUID
    cbo: CboOut
    target_group: NamedOut
    kind: str
    date: datetime.date
    locality: NamedOut
    people_reached: int
    volunteers: int
    description: str
    created_at: datetime.datetime


class ActivityPageOut(Schema):
    count: int
    items: list[ActivityOut]


class ActivityIn(Schema):
    cbo: uuid.UUID = Field(..., description="The CBO's id (one the caller may record for)")
    target_group: str = Field(..., max_length=64, description="Target group code, e.g. `elderly`")
    kind: Activity.Kind
    date: datetime.date
    locality: str = Field(..., max_length=64, description="Area code at or below the CBO's area")
    people_reached: int = Field(..., ge=1, le=MAX_PEOPLE_REACHED)
    volunteers: int = Field(0, ge=0, le=MAX_VOLUNTEERS)
    description: str = Field(
        "",
        max_length=DESCRIPTION_LENGTH,
        description="No names, MyKad or phone numbers: individual cases belong to referrals",
    )


class ActivityFilters(Schema):
    target_group: str | None = Field(None, max_length=64, description="Target group code")
    month: str | None = Field(None, pattern=MONTH.pattern, description="YYYY-MM")
    locality: str | None = Field(None, max_length=64, description="Area code (and below)")
    limit: int = Field(25, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)


class SummaryCellOut(Schema):
    target_group: str
    people_reached: int
    activities: int


class SummaryRowOut(Schema):
    locality: NamedOut
    cells: list[SummaryCellOut]
    people_reached: int
    activities: int


class SummaryOut(Schema):
    date_from: datetime.date
    date_to: datetime.date
    rows: list[SummaryRowOut]
    people_reached: int
    activities: int


def _out(activity: Activity) -> dict[str, Any]:
    return {
        "id": activity.pk,
        "cbo": {"id": activity.cbo.pk, "name": str(activity.cbo)},
        "target_group": {"code": activity.target_group.code, "name": activity.target_group.name},
        "kind": activity.kind,
        "date": activity.date,
        "locality": {"code": activity.locality.code, "name": activity.locality.name},
        "people_reached": activity.people_reached,
        "volunteers": activity.volunteers,
        "description": activity.description,
        "created_at": activity.created_at,
    }


def _not_found() -> Status[dict[str, str]]:
    return Status(404, {"detail": _("Not found.")})


def _invalid(errors: dict[str, list[str]]) -> Status[dict[str, Any]]:
    return Status(400, {"detail": _("The activity was not recorded."), "errors": errors})


@router.get(
    "/activities",
    response={200: ActivityPageOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut},
    summary="Outreach activities the caller may see, newest first",
)
def activity_list(request: HttpRequest, filters: Query[ActivityFilters]) -> Any:
    if not may_view_activities(request.user):
        return _not_found()
    activities = Activity.objects.visible_to(request.user)
    target_group = locality = None
    if filters.target_group:
        target_group = (
            TaxonomyTerm.objects.target_groups().filter(code=filters.target_group).first()
        )
        if target_group is None:
            return Status(400, {"detail": _("Unknown target group.")})
    if filters.locality:
        locality = Area.objects.filter(code=filters.locality).first()
        if locality is None:
            return Status(400, {"detail": _("Unknown area.")})
    month = None
    if filters.month:
        year, number = filters.month.split("-")
        month = (int(year), int(number))
    activities = filter_activities(
        activities, target_group=target_group, month=month, locality=locality
    ).select_related("cbo", "target_group", "locality")
    page = activities[filters.offset : filters.offset + filters.limit]
    return {"count": activities.count(), "items": [_out(activity) for activity in page]}


@router.post(
    "/activities",
    response={201: ActivityOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut},
    summary="Record an outreach activity",
)
def activity_create(request: HttpRequest, payload: ActivityIn) -> Any:
    cbo = cbos_recordable_by(request.user).select_related("area").filter(pk=payload.cbo).first()
    if cbo is None:
        return _not_found()
    errors: dict[str, list[str]] = {}
    target_group = TaxonomyTerm.objects.target_groups().filter(code=payload.target_group).first()
    if target_group is None:
        errors["target_group"] = [_("Unknown target group.")]
    locality = Area.objects.filter(code=payload.locality).first()
    if locality is None:
        errors["locality"] = [_("Unknown area.")]
    if errors:
        return _invalid(errors)
    try:
        activity = services.activity_create(
            actor=cast(User, request.user),
            cbo=cbo,
            target_group=cast(TaxonomyTerm, target_group),
            kind=payload.kind,
            date=payload.date,
            locality=cast(Area, locality),
            people_reached=payload.people_reached,
            volunteers=payload.volunteers,
            description=payload.description,
            request=request,
        )
    except PermissionDenied:
        return _not_found()
    except ValidationError as error:
        return _invalid({k: [str(m) for m in v] for k, v in error.message_dict.items()})
    return Status(201, _out(activity))


@router.get(
    "/activities/summary",
    response={200: SummaryOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut},
    summary="People reached and activities per locality and target group (officers)",
    url_name="activity_summary",
)
def activity_summary_api(
    request: HttpRequest,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> Any:
    if not may_view_summary(request.user):
        return _not_found()
    default_start, default_end = default_period(timezone.localdate())
    start, end = date_from or default_start, date_to or default_end
    if start > end:
        return Status(400, {"detail": _("The start date is after the end date.")})
    summary = activity_summary(user=request.user, start=start, end=end)
    return {
        "date_from": start,
        "date_to": end,
        "rows": [
            {
                "locality": {"code": row.locality.code, "name": row.locality.name},
                "cells": [
                    {
                        "target_group": group.code,
                        "people_reached": cell.people,
                        "activities": cell.activities,
                    }
                    for group, cell in zip(summary.target_groups, row.cells, strict=True)
                    if cell.activities
                ],
                "people_reached": row.total.people,
                "activities": row.total.activities,
            }
            for row in summary.rows
        ],
        "people_reached": summary.total.people,
        "activities": summary.total.activities,
    }
