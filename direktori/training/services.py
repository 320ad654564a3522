"""Writes of the Programme Pemerkasaan (CONVENTIONS 3): sessions, registering people, recording
attendance. Each checks the permission again, validates everything before saving anything, and
is audited."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from direktori.accounts.models import User
from direktori.areas.models import Area
from direktori.audit.models import Action
from direktori.audit.services import audit_record
from direktori.members.models import Person

from .models import Attendance, Topic, TrainingSession, certificate_number_new
from .permissions import may_manage_in, may_manage_session, people_registrable_by

#: The fields a change may touch; who created the session never changes.
CHANGEABLE = (
    "title",
    "starts_on",
    "ends_on",
    "place",
    "locality",
    "district",
    "topics",
    "trainer",
    "organiser",
    "notes",
)


def _audit(
    action: Action,
    *,
    actor: User,
    session: TrainingSession,
    request: HttpRequest | None,
    object_type: str = "",
    detail: dict[str, Any],
) -> None:
    audit_record(
        action=action,
        request=request,
        actor=actor,
        target=session,
        object_type=object_type,
        area=session.district,
        detail={"session": str(session.pk), **detail},
    )


def _check_topics(topics: Sequence[Topic]) -> None:
    if not topics:
        raise ValidationError({"topics": _("Choose at least one topic.")})


def session_create(
    *,
    actor: User,
    title: str,
    starts_on: datetime.date,
    place: str,
    district: Area,
    topics: Sequence[Topic],
    trainer: str,
    organiser: str,
    ends_on: datetime.date | None = None,
    locality: Area | None = None,
    notes: str = "",
    request: HttpRequest | None = None,
) -> TrainingSession:
    if not may_manage_in(actor, district):
        raise PermissionDenied
    session = TrainingSession(
        title=title.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        place=place.strip(),
        locality=locality,
        district=district,
        trainer=trainer.strip(),
        organiser=organiser,
        notes=notes.strip(),
        created_by=actor,
    )
    session.full_clean()
    _check_topics(topics)
    with transaction.atomic():
        session.save()
        session.topics.set(topics)
        _audit(
            Action.RECORD_CREATED,
            actor=actor,
            session=session,
            request=request,
            detail={"topics": sorted(topic.code for topic in topics)},
        )
    return session


def session_update(
    *,
    actor: User,
    session: TrainingSession,
    request: HttpRequest | None = None,
    **changes: Any,
) -> list[str]:
    """Applies `changes` (only CHANGEABLE fields); returns the names of the fields that changed.
    Moving a session to another district needs the right to manage both."""
    if not may_manage_session(actor, session):
        raise PermissionDenied
    unknown = set(changes) - set(CHANGEABLE)
    if unknown:
        raise TypeError(f"Not changeable: {', '.join(sorted(unknown))}")
    for name in ("title", "place", "trainer", "notes"):
        if isinstance(changes.get(name), str):
            changes[name] = changes[name].strip()
    if "district" in changes and not may_manage_in(actor, changes["district"]):
        raise PermissionDenied
    topics = changes.pop("topics", None)
    changed = [name for name, value in changes.items() if getattr(session, name) != value]
    for name in changed:
        setattr(session, name, changes[name])
    if topics is not None:
        _check_topics(topics)
        if {t.pk for t in topics} != set(session.topics.values_list("pk", flat=True)):
            changed.append("topics")
    if not changed:
        return []
    session.full_clean()
    with transaction.atomic():
        session.save()
        if topics is not None:
            session.topics.set(topics)
        _audit(
            Action.RECORD_CHANGED,
            actor=actor,
            session=session,
            request=request,
            detail={"fields": changed},
        )
    return changed


def _refuse_outsiders(actor: User, people: Iterable[Person]) -> None:
    """Only current members of CBOs in the actor's own area; the others are named by their id,
    never by name (the actor may not see them)."""
    wanted = {person.pk for person in people}
    allowed = set(people_registrable_by(actor).filter(pk__in=wanted).values_list("pk", flat=True))
    outsiders = sorted(str(pk) for pk in wanted - allowed)
    if outsiders:
        raise ValidationError(
            {
                "people": _(
                    "Only current members of a CBO in your area can be registered. Not "
                    "registered, nor anyone else of this list: %(ids)s."
                )
                % {"ids": ", ".join(outsiders)}
            }
        )


def attendance_register(
    *,
    actor: User,
    session: TrainingSession,
    people: Sequence[Person],
    request: HttpRequest | None = None,
) -> list[Attendance]:
    """Registers the people for the session, all or none; those already registered stay as
    they are. Returns the new registrations."""
    return attendance_record(
        actor=actor,
        session=session,
        marks=dict.fromkeys(people, Attendance.Status.REGISTERED),
        keep_existing=True,
        request=request,
    )


def attendance_record(
    *,
    actor: User,
    session: TrainingSession,
    marks: Mapping[Person, str],
    keep_existing: bool = False,
    request: HttpRequest | None = None,
) -> list[Attendance]:
    """Sets each person's attendance (registered, attended or absent), all or none: one person
    the actor may not register, or a status the session cannot have yet, and nothing is saved.
    People not yet registered are registered. Confirming attendance issues a certificate
    number; taking it back withdraws the certificate. Returns the attendances that changed."""
    if not may_manage_session(actor, session):
        raise PermissionDenied
    statuses = set(marks.values())
    if not statuses <= set(Attendance.Status.values):
        raise ValidationError({"status": _("Unknown attendance status.")})
    existing = {a.person_id: a for a in session.attendances.filter(person__in=list(marks))}
    _refuse_outsiders(actor, [person for person in marks if person.pk not in existing])
    if statuses - {Attendance.Status.REGISTERED} and not session.has_started:
        raise ValidationError(
            {"status": _("Attendance can be recorded from the day the session starts.")}
        )
    now = timezone.now()
    changed: list[Attendance] = []
    issued = withdrawn = 0
    with transaction.atomic():
        for person, status in marks.items():
            known = existing.get(person.pk)
            if known is not None and (keep_existing or known.status == status):
                continue
            attendance = known or Attendance(session=session, person=person)
            if status == Attendance.Status.ATTENDED and not attendance.certificate_number:
                attendance.certificate_number = certificate_number_unused(session)
                issued += 1
            elif status != Attendance.Status.ATTENDED and attendance.certificate_number:
                attendance.certificate_number = None
                withdrawn += 1
            attendance.status = status
            attendance.recorded_by = actor
            attendance.recorded_at = now
            attendance.full_clean(validate_unique=False)
            attendance.save()
            changed.append(attendance)
        if changed:
            counts = {s: sum(a.status == s for a in changed) for s in Attendance.Status.values}
            _audit(
                Action.RECORD_CHANGED,
                actor=actor,
                session=session,
                request=request,
                object_type="training.attendance",
                detail={
                    **counts,
                    "people": sorted(str(a.person_id) for a in changed),
                    "certificates_issued": issued,
                    "certificates_withdrawn": withdrawn,
                },
            )
    return changed


def certificate_number_unused(session: TrainingSession) -> str:
    """A certificate number of the session's year that no attendance has."""
    while True:
        number = certificate_number_new(session.starts_on.year)
        if not Attendance.objects.filter(certificate_number=number).exists():
            return number
