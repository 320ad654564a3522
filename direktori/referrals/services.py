"""Every write to referrals (CONVENTIONS 3); reads are recorded by `auditing.py`.

`referral_submit` makes a referral; one function per move of `workflow.MOVES` changes it, each in
one transaction that locks the referral (`select_for_update`), checks who may (`PermissionDenied`)
and from which status (`ValidationError`), and writes one `ReferralEvent` and one audit event.
`referral_transition` dispatches by the action's name (the API's `transitions` endpoint).
Notifications go out after commit (`notifications.py`).
"""

from __future__ import annotations

import datetime
import secrets
import uuid
from collections.abc import Callable
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from direktori.accounts.models import User
from direktori.areas.models import Area
from direktori.audit.models import Action
from direktori.audit.services import audit_record

from . import permissions, workflow
from .models import (
    EventAction,
    Outcome,
    Referral,
    ReferralEvent,
    ReferredTo,
    Status,
    Visibility,
)
from .notifications import Notice, office_notify
from .submission import Submission, district_of, validated
from .targets import due_at

NOTE_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 1000
#: Letters and digits that cannot be mistaken for each other when read out on the phone.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 5
DEFAULT_SUBMISSIONS_PER_HOUR = 30


class TooManyReferrals(Exception):
    """The reporter reached `REFERRAL_SUBMISSIONS_PER_HOUR`: the API answers 429, the form says
    so. A retry of a referral already made (the same `client_token`) is never refused."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(
            _(
                "You have sent %(count)d referrals in the last hour, the most one account may "
                "send. If someone is in danger now, call 999 or Talian Kasih 15999; otherwise "
                "try again later or ask your district officer."
            )
            % {"count": limit}
        )


def submissions_per_hour() -> int:
    """How many referrals one account may submit in any hour; 0: no limit."""
    return int(getattr(settings, "REFERRAL_SUBMISSIONS_PER_HOUR", DEFAULT_SUBMISSIONS_PER_HOUR))


def _check_rate(reporter: Any) -> None:
    """Inside the submit's transaction. The reporter's row is locked (PostgreSQL; SQLite's
    IMMEDIATE transactions already serialise writers), so parallel submits count each other."""
    limit = submissions_per_hour()
    if limit <= 0:
        return
    list(User.objects.select_for_update().filter(pk=reporter.pk).values_list("pk", flat=True))
    since = timezone.now() - datetime.timedelta(hours=1)
    if Referral.objects.filter(reporter=reporter, created_at__gte=since).count() >= limit:
        raise TooManyReferrals(limit)


def new_reference(*, district_code: str, year: int) -> str:
    """`RJ-10_7-2026-7K3QX`: the district it was first sent to, the year, and 5 random
    characters (31⁵ ≈ 28 million a district a year), so a reference says nothing about the
    person and the next one cannot be guessed from it."""
    suffix = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
    return f"RJ-{district_code}-{year}-{suffix}"


# Submitting --------------------------------------------------------------------------------------


def referral_submit(
    *,
    reporter: Any,
    submission: Submission,
    client_token: uuid.UUID | None = None,
    request: HttpRequest | None = None,
    now: datetime.datetime | None = None,
) -> tuple[Referral, bool]:
    """Makes a referral, routed to the district office of its area; returns it and whether it
    is new. The same `client_token` from the same reporter again (a double submit, a retry after
    a lost connection) returns the referral it made the first time, whatever else it carries.
    Raises `TooManyReferrals` past the reporter's hourly limit."""
    if not permissions.may_submit(reporter):
        raise PermissionDenied
    if client_token is not None:
        earlier = Referral.objects.filter(reporter=reporter, client_token=client_token).first()
        if earlier is not None:
            return earlier, False
    fields = validated(submission)
    now = now or timezone.now()
    district = district_of(submission.area)
    for _attempt in range(5):
        referral = Referral(
            **fields,
            reference=new_reference(district_code=district.code, year=timezone.localdate(now).year),
            district=district,
            assigned_office=district,
            created_month=timezone.localdate(now).replace(day=1),
            reporter=reporter,
            client_token=client_token,
            status=Status.SUBMITTED,
            due_at=due_at(urgency=submission.urgency, office=district, start=now),
        )
        try:
            with transaction.atomic():
                _check_rate(reporter)
                referral.save(force_insert=True)
                _record_submit(referral=referral, reporter=reporter, request=request, now=now)
        except IntegrityError:
            if client_token is not None:  # the same submit, committed meanwhile by another request
                earlier = Referral.objects.filter(
                    reporter=reporter, client_token=client_token
                ).first()
                if earlier is not None:
                    return earlier, False
            continue  # the reference was taken: draw another
        return referral, True
    raise IntegrityError("no free referral reference after 5 attempts")


def _record_submit(
    *, referral: Referral, reporter: Any, request: HttpRequest | None, now: datetime.datetime
) -> None:
    ReferralEvent.objects.create(
        referral=referral,
        action=EventAction.SUBMIT,
        to_status=Status.SUBMITTED,
        actor=reporter,
        at=now,
        visibility=Visibility.SHARED,
        to_office=referral.assigned_office,
    )
    audit_record(
        action=Action.RECORD_CREATED,
        request=request,
        actor=reporter,
        target=referral,
        area=referral.assigned_office,
        detail={"status": Status.SUBMITTED.value, "office": referral.assigned_office.code},
    )
    transaction.on_commit(
        partial(office_notify, referral_id=referral.pk, notice=Notice.NEW), robust=True
    )


# Moving through the state machine ----------------------------------------------------------------


def _text(value: str, *, field: str, required: str, limit: int) -> str:
    value = (value or "").strip()
    if not value and required:
        raise ValidationError({field: required})
    if len(value) > limit:
        raise ValidationError({field: _("Keep it under %(count)d characters.") % {"count": limit}})
    return value


def _move(
    *,
    referral: Referral,
    action: EventAction,
    actor: Any,
    note: str,
    request: HttpRequest | None,
    now: datetime.datetime | None,
    change: Callable[[Referral, datetime.datetime], dict[str, Any]] | None = None,
    note_required: str = "",
) -> Referral:
    """The one way a referral changes: lock; check who may (`PermissionDenied`, before anything
    else), then the status and the input (`ValidationError`); change; record the event and the
    audit. `change` checks the move's own input, sets its fields and returns extra facts for the
    event and the audit."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if not permissions.may_do(actor, locked, action):
            raise PermissionDenied
        if locked.is_anonymised:
            raise ValidationError(_("This referral's details were removed; it cannot change."))
        if not workflow.allowed_from(action, locked.status):
            raise ValidationError(
                _("A referral that is “%(status)s” cannot be “%(action)s”.")
                % {"status": Status(locked.status).label, "action": EventAction(action).label}
            )
        note = _text(note, field="note", required=note_required, limit=NOTE_MAX_LENGTH)
        from_status = locked.status
        facts = change(locked, now) if change else {}
        locked.status = workflow.target_status(action, from_status)
        locked.save()
        ReferralEvent.objects.create(
            referral=locked,
            action=action,
            from_status=from_status,
            to_status=locked.status,
            actor=actor,
            at=now,
            note=facts.pop("event_note", note),
            visibility=Visibility.OFFICERS if action == EventAction.NOTE else Visibility.SHARED,
            from_office=facts.pop("from_office", None),
            to_office=facts.pop("to_office", None),
        )
        audit_record(
            action=Action.RECORD_CHANGED,
            request=request,
            actor=actor,
            target=locked,
            area=locked.assigned_office,
            detail={"action": action.value, "from": from_status, "to": locked.status, **facts},
        )
    referral.refresh_from_db()
    return locked


def _take(referral: Referral, actor: Any) -> None:
    if referral.assigned_officer_id is None:
        referral.assigned_officer = actor


def referral_acknowledge(
    *,
    referral: Referral,
    actor: Any,
    note: str = "",
    request: HttpRequest | None = None,
    now: datetime.datetime | None = None,
) -> Referral:
    """The office has seen it; the acknowledging officer takes it unless someone has."""

    def change(locked: Referral, moment: datetime.datetime) -> dict[str, Any]:
        locked.acknowledged_at = moment
        _take(locked, actor)
        return {}

    return _move(
        referral=referral,
        action=EventAction.ACKNOWLEDGE,
        actor=actor,
        note=note,
        request=request,
        now=now,
        change=change,
    )


def referral_start(
    *,
    referral: Referral,
    actor: Any,
    note: str = "",
    request: HttpRequest | None = None,
    now: datetime.datetime | None = None,
) -> Referral:
    """Work on it begins; the officer takes it unless someone has."""

    def change(locked: Referral, moment: datetime.datetime) -> dict[str, Any]:
        _take(locked, actor)
        return {}

    return _move(
        referral=referral,
        action=EventAction.START,
        actor=actor,
        note=note,
        request=request,
        now=now,
        change=change,
    )


def referral_close(
    *,
    referral: Referral,
    actor: Any,
    outcome: str,
    referred_to: str = "",
    note: str = "",
    request: HttpRequest | None = None,
    now: datetime.datetime | None = None,
) -> Referral:
    """Closed with an outcome; "referred on" says to whom (police, hospital, NGO, other)."""

    def change(locked: Referral, moment: datetime.datetime) -> dict[str, Any]:
        if outcome not in Outcome.values:
            raise ValidationError({"outcome": _("Choose the outcome.")})
        if outcome == Outcome.REFERRED_ON and referred_to not in ReferredTo.values:
            raise ValidationError({"referred_to": _("Say to whom it was referred on.")})
        if outcome != Outcome.REFERRED_ON and referred_to:
            raise ValidationError(
                {"referred_to": _("Only a referral referred on names an agency.")}
            )
        locked.outcome, locked.referred_to, locked.closed_at = outcome, referred_to, moment
        return {"outcome": outcome}

    return _move(
        referral=referral,
        action=EventAction.CLOSE,
        actor=actor,
        note=note,
        request=request,
        now=now,
        change=change,
    )


def referral_reject(
    *,
    referral: Referral,
    actor: Any,
    reason: str,
    note: str = "",
    request: HttpRequest | None = None,
    now: datetime.datetime | None = None,
) -> Referral:
    """Rejected with a reason the reporter sees (`note` stays among the officers)."""

    def change(locked: Referral, moment: datetime.datetime) -> dict[str, Any]:
        locked.rejection_reason = _text(
            reason,
            field="reason",
            required=_("Say why the referral is rejected; the reporter sees it."),
            limit=REASON_MAX_LENGTH,
        )
        locked.closed_at = moment
        return {}

    return _move(
        referral=referral,
        action=EventAction.REJECT,
        actor=actor,
        note=note,
        request=request,
        now=now,
        change=change,
    )


def referral_withdraw(
    *,
    referral: Referral,
    actor: Any,
    note: str = "",
    request: HttpRequest | None = None,
    now: datetime.datetime | None = None,
) -> Referral:
    """The reporter takes it back (before it is closed)."""

    def change(locked: Referral, moment: datetime.datetime) -> dict[str, Any]:
        locked.closed_at = moment
        return {}

    return _move(
        referral=referral,
        action=EventAction.WITHDRAW,
        actor=actor,
        note=note,
        request=request,
        now=now,
        change=change,
    )


def referral_transfer(
    *,
    referral: Referral,
    actor: Any,
    district: Area | None,
    reason: str,
    note: str = "",
    request: HttpRequest | None = None,
    now: datetime.datetime | None = None,
) -> Referral:
    """To another district's office: back to `submitted` there, with a new acknowledgement
    target and nobody assigned; the new office is notified after commit. Its area becomes that
    district unless it already lies in it (the event keeps where it came from)."""

    def change(locked: Referral, moment: datetime.datetime) -> dict[str, Any]:
        why = _text(
            reason,
            field="reason",
            required=_("Say why the referral goes to another district."),
            limit=REASON_MAX_LENGTH,
        )
        if not isinstance(district, Area) or district.kind != Area.Kind.DISTRICT:
            raise ValidationError({"district": _("Choose the district to send it to.")})
        previous = locked.assigned_office
        if district.pk == previous.pk:
            raise ValidationError({"district": _("The referral is already with this district.")})
        if not locked.area.path.startswith(district.path):
            locked.area = district
        locked.assigned_office = locked.district = district
        locked.assigned_officer = None
        locked.acknowledged_at = None
        locked.due_at = due_at(urgency=locked.urgency, office=district, start=moment)
        transaction.on_commit(
            partial(office_notify, referral_id=locked.pk, notice=Notice.TRANSFERRED), robust=True
        )
        return {
            "event_note": "\n\n".join(part for part in (why, note.strip()) if part),
            "from_office": previous,
            "to_office": district,
            "office": {"from": previous.code, "to": district.code},
        }

    return _move(
        referral=referral,
        action=EventAction.TRANSFER,
        actor=actor,
        note=note,
        request=request,
        now=now,
        change=change,
    )


def referral_add_note(
    *,
    referral: Referral,
    actor: Any,
    note: str,
    request: HttpRequest | None = None,
    now: datetime.datetime | None = None,
) -> Referral:
    """An officer's note: officers only, never the reporter."""
    return _move(
        referral=referral,
        action=EventAction.NOTE,
        actor=actor,
        note=note,
        request=request,
        now=now,
        note_required=_("Write the note."),
    )


#: The moves by name, and the extra arguments each takes besides `note`.
SERVICES: dict[str, tuple[Callable[..., Referral], tuple[str, ...]]] = {
    "acknowledge": (referral_acknowledge, ()),
    "start": (referral_start, ()),
    "close": (referral_close, ("outcome", "referred_to")),
    "reject": (referral_reject, ("reason",)),
    "withdraw": (referral_withdraw, ()),
    "transfer": (referral_transfer, ("district", "reason")),
    "note": (referral_add_note, ()),
}


def referral_transition(
    *,
    referral: Referral,
    action: str,
    actor: Any,
    note: str = "",
    request: HttpRequest | None = None,
    now: datetime.datetime | None = None,
    **kwargs: Any,
) -> Referral:
    """`action` by name (`workflow.ACTIONS`) with the arguments it takes; arguments it does not
    take must be empty. Raises like the move itself."""
    if action not in SERVICES:
        raise ValidationError({"action": _("Unknown action.")})
    service, takes = SERVICES[action]
    unexpected = sorted(name for name, value in kwargs.items() if value and name not in takes)
    if unexpected:
        raise ValidationError(
            {
                name: _("This action does not take “%(name)s”.") % {"name": name}
                for name in unexpected
            }
        )
    extra = {name: kwargs.get(name) or "" for name in takes}
    if action == "transfer":
        extra["district"] = kwargs.get("district")
    return service(referral=referral, actor=actor, note=note, request=request, now=now, **extra)
