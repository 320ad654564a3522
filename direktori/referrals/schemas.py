"""Input and output schemas of `/api/v1/referrals…` (`api.py`): each lists its fields (no mass
assignment). A referral comes out in the officer's or the reporter's view, told apart by `view`."""

from __future__ import annotations

import datetime
import uuid
from typing import Annotated, Literal

from ninja import Field, Schema

from .services import NOTE_MAX_LENGTH, REASON_MAX_LENGTH
from .submission import (
    ADDRESS_MAX_LENGTH,
    CONCERN_MAX_LENGTH,
    CONSENT_REASON_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
)

TargetGroupCode = Literal["children", "disability", "elderly", "domestic_violence", "other"]
UrgencyCode = Literal["immediate", "urgent", "routine"]
StatusCode = Literal["submitted", "acknowledged", "in_progress", "closed", "rejected", "withdrawn"]
OutcomeCode = Literal["helped_by_jkm", "referred_on", "no_action_needed", "not_reached"]
ReferredToCode = Literal["police", "hospital", "ngo", "other"]
ActionCode = Literal["acknowledge", "start", "close", "reject", "withdraw", "transfer", "note"]
MAX_PAGE = 100


class ConsentIn(Schema):
    given: bool
    by: Literal["subject", "guardian"] | None = Field(None, description="When given: who gave it")
    reason: str = Field(
        "",
        max_length=CONSENT_REASON_MAX_LENGTH,
        description="When not given: why it could not be had. Accepted only for urgency "
        "immediate or urgent, or target group children or domestic_violence.",
    )


class SubjectIn(Schema):
    name_or_description: str = Field("", max_length=DESCRIPTION_MAX_LENGTH)
    age: int | None = Field(None, ge=0, le=130)
    age_band: Literal["0_5", "6_12", "13_17", "18_59", "60_plus"] | None = Field(
        None, description="When the age is not known; set from `age` when it is"
    )
    sex: Literal["female", "male", "unknown"] = "unknown"
    mykad: str = Field("", max_length=20, description="Optional; must be a valid MyKad number")


class ReferralIn(Schema):
    target_group: TargetGroupCode
    district: str = Field(..., max_length=64, description="DOSM district code, e.g. 10_7")
    area: str | None = Field(
        None, max_length=64, description="Optional: the code of a mukim or locality in it"
    )
    urgency: UrgencyCode
    summary: str = Field(..., max_length=CONCERN_MAX_LENGTH, description="What was seen")
    consent: ConsentIn
    address_or_landmark: str = Field("", max_length=ADDRESS_MAX_LENGTH)
    subject: SubjectIn | None = Field(None, description="As little as is needed; all optional")
    reporter_phone: str = Field("", max_length=40, description="A number to reach the reporter")
    client_token: uuid.UUID | None = Field(
        None,
        description="Any UUID the client makes for this referral. Sending it again (a double "
        "submit, a retry) returns the referral it made, with status 200 instead of 201.",
    )


class CreatedOut(Schema):
    id: uuid.UUID
    reference: str
    status: StatusCode


class HistoryOut(Schema):
    action: str
    status: str
    at: datetime.datetime


class ReporterOut(Schema):
    view: Literal["reporter"]
    id: uuid.UUID
    reference: str
    status: StatusCode
    target_group: TargetGroupCode
    urgency: UrgencyCode
    created_at: datetime.datetime
    acknowledged_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    outcome: str = Field(
        ...,
        description="When closed: helped_by_jkm, referred_on, no_action_needed, not_reached",
    )
    referred_to: str = Field(..., description="When referred on: police, hospital, ngo, other")
    rejection_reason: str
    history: list[HistoryOut] | None = Field(None, description="In the detail only")


class OfficerSummaryOut(Schema):
    view: Literal["officer"]
    id: uuid.UUID
    reference: str
    status: StatusCode
    target_group: TargetGroupCode
    urgency: UrgencyCode
    district: str = Field(..., description="DOSM code of the district")
    office: str = Field(..., description="DOSM code of the district office it is assigned to")
    assigned_officer: str | None
    created_at: datetime.datetime
    due_at: datetime.datetime = Field(..., description="The acknowledgement target")
    overdue: bool = Field(..., description="Not acknowledged and past its target")
    acknowledged_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    outcome: str
    referred_to: str


class SubjectOut(Schema):
    name_or_description: str
    age: int | None
    age_band: str
    sex: str
    mykad: str


class ConsentOut(Schema):
    given: bool
    by: str
    reason: str


class OfficerOut(OfficerSummaryOut):
    area: str = Field(..., description="Code of the district, mukim or locality")
    summary: str
    address_or_landmark: str
    subject: SubjectOut
    consent: ConsentOut
    reporter: str | None
    reporter_phone: str
    rejection_reason: str
    anonymised_at: datetime.datetime | None
    actions: list[str] = Field(..., description="The moves the caller may make now")


class ListOut(Schema):
    count: int
    results: list[Annotated[OfficerSummaryOut | ReporterOut, Field(discriminator="view")]]


DetailOut = Annotated[OfficerOut | ReporterOut, Field(discriminator="view")]


class TransferredOut(Schema):
    """After a transfer to an office the caller does not oversee: they no longer see it."""

    view: Literal["transferred"]
    id: uuid.UUID
    reference: str
    status: StatusCode
    office: str


MovedOut = Annotated[OfficerOut | ReporterOut | TransferredOut, Field(discriminator="view")]


class TransitionIn(Schema):
    action: ActionCode
    note: str = Field("", max_length=NOTE_MAX_LENGTH, description="Officers only")
    outcome: OutcomeCode | None = Field(None, description="close: required")
    referred_to: ReferredToCode | None = Field(None, description="close, referred_on: required")
    reason: str = Field("", max_length=REASON_MAX_LENGTH, description="reject, transfer: required")
    district: str = Field("", max_length=64, description="transfer: the DOSM district code")


class EventOut(Schema):
    action: str
    from_status: str
    to_status: str
    actor: str | None
    at: datetime.datetime
    note: str
    visibility: str
    from_office: str | None
    to_office: str | None


class EventsOut(Schema):
    count: int
    results: list[EventOut]
