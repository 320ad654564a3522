"""Writes to the membership register (CONVENTIONS 3): appointing, and a person's own contact."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from direktori.audit.models import Action
from direktori.audit.services import audit_record
from direktori.directory import phones
from direktori.directory.models import Organization

from .models import ConsentSource, Membership, MembershipTerm, Person

TERM_FIELDS = ("role", "appointed_by", "appointed_on", "term_ends_on", "status", "ended_on")


@dataclass(frozen=True)
class Appointment:
    """One appointment as a list gives it (a row of `import_members`)."""

    cbo: Organization
    full_name: str
    phone: str  # E.164 or empty
    email: str
    role: str
    appointed_by: str
    appointed_on: datetime.date
    term_ends_on: datetime.date | None
    listed_publicly: bool


def person_match(*, phone: str, full_name: str, cbo: Organization) -> Person | None:
    """The same person: by phone, else by full name among the CBO's members."""
    if phone:
        found = Person.objects.filter(phone=phone).first()
        if found is not None:
            return found
    return Person.objects.filter(full_name__iexact=full_name.strip(), memberships__cbo=cbo).first()


def appointment_outcome(appointment: Appointment) -> str:
    """What saving the appointment would do: "created", "updated" or "unchanged"."""
    person = person_match(
        phone=appointment.phone, full_name=appointment.full_name, cbo=appointment.cbo
    )
    if person is None:
        return "created"
    membership = Membership.objects.filter(person=person, cbo=appointment.cbo).first()
    if membership is None:
        return "created"
    unchanged = not _term_changes(membership, appointment) and not _person_changes(
        person, appointment
    )
    return "unchanged" if unchanged else "updated"


def membership_appoint(*, appointment: Appointment, actor: Any = None) -> tuple[Membership, str]:
    """Appoints (or re-appoints) the person; returns the membership and the outcome."""
    outcome = appointment_outcome(appointment)
    if outcome == "unchanged":
        person = person_match(
            phone=appointment.phone, full_name=appointment.full_name, cbo=appointment.cbo
        )
        return Membership.objects.get(person=person, cbo=appointment.cbo), outcome
    with transaction.atomic():
        person = person_match(
            phone=appointment.phone, full_name=appointment.full_name, cbo=appointment.cbo
        ) or Person(full_name=appointment.full_name.strip())
        for name, value in _person_changes(person, appointment).items():
            setattr(person, name, value)
        person.full_clean(validate_unique=False)
        person.save()
        person_link_account(person=person)
        membership = Membership.objects.filter(person=person, cbo=appointment.cbo).first()
        if membership is None:
            membership = Membership(person=person, cbo=appointment.cbo)
        elif _term_changes(membership, appointment):
            MembershipTerm.objects.create(
                membership=membership, **{name: getattr(membership, name) for name in TERM_FIELDS}
            )
        changed = _term_changes(membership, appointment) if membership.pk else {}
        for name, value in _term_values(appointment).items():
            setattr(membership, name, value)
        membership.full_clean()
        membership.save()
        audit_record(
            action=Action.RECORD_CREATED if outcome == "created" else Action.RECORD_CHANGED,
            actor=actor,
            target=membership,
            area=appointment.cbo.area,
            detail={"fields": sorted(changed), "role": appointment.role},
        )
    return membership, outcome


def _term_values(appointment: Appointment) -> dict[str, Any]:
    return {
        "role": appointment.role,
        "appointed_by": appointment.appointed_by,
        "appointed_on": appointment.appointed_on,
        "term_ends_on": appointment.term_ends_on,
        "status": Membership.Status.ACTIVE,
        "ended_on": None,
    }


def _term_changes(membership: Membership, appointment: Appointment) -> dict[str, Any]:
    return {
        name: value
        for name, value in _term_values(appointment).items()
        if getattr(membership, name) != value
    }


def _person_changes(person: Person, appointment: Appointment) -> dict[str, Any]:
    """A list adds a phone or email the register lacks and records consent, but never overrides
    the choice a member made themselves, nor withdraws contact details."""
    changes: dict[str, Any] = {}
    if appointment.phone and not person.phone:
        changes["phone"] = appointment.phone
    if appointment.email and not person.email:
        changes["email"] = appointment.email
    if person.consent_source != ConsentSource.MEMBER and (
        person.pk is None or person.listed_publicly != appointment.listed_publicly
    ):
        changes.update(
            listed_publicly=appointment.listed_publicly,
            consent_on=timezone.localdate(),
            consent_source=ConsentSource.IMPORT,
        )
    return changes


def person_update_contact(
    *, person: Person, phone: str, email: str, listed_publicly: bool, actor: Any = None
) -> Person:
    """A member correcting their own contact details and consent."""
    number = phones.normalise(phone) if phone.strip() else ""
    if number and Person.objects.filter(phone=number).exclude(pk=person.pk).exists():
        raise ValidationError(
            {"phone": _("Another member of the register has this number. Ask your officer.")}
        )
    changed = []
    for name, value in (("phone", number), ("email", email.strip())):
        if getattr(person, name) != value:
            setattr(person, name, value)
            changed.append(name)
    if person.listed_publicly != listed_publicly or person.consent_source != ConsentSource.MEMBER:
        person.listed_publicly = listed_publicly
        person.consent_on = timezone.localdate()
        person.consent_source = ConsentSource.MEMBER
        changed.append("listed_publicly")
    with transaction.atomic():
        person.full_clean(validate_unique=False)
        person.save()
        audit_record(
            action=Action.RECORD_CHANGED,
            actor=actor,
            target=person,
            object_type="members.person",
            object_id=str(person.pk),
            area=_area_of(person),
            detail={"fields": changed},
        )
    return person


def _area_of(person: Person) -> Any:
    membership = person.memberships.select_related("cbo__area").first()
    return membership.cbo.area if membership else None


def person_link_account(*, person: Person) -> bool:
    """Links the register's person to the account with the same mobile number, when neither is
    linked yet: the number is what both an appointment list and an account know of a volunteer.
    Returns whether a link was made."""
    from direktori.accounts.models import User

    if person.user_id is not None or not person.phone:
        return False
    account = User.objects.filter(phone=person.phone, person__isnull=True).first()
    if account is None:
        return False
    person.user = account
    person.save(update_fields=["user"])
    return True
