"""Writes to the membership register (CONVENTIONS 3): appointing (from a list or by an officer,
the same service), ending and moving a membership, and a person's own contact. A term replaced
or ended is kept as a `MembershipTerm`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from direktori.accounts.models import Role, User
from direktori.accounts.services import user_change_role, user_set_active
from direktori.audit.models import Action
from direktori.audit.services import audit_record
from direktori.directory import phones
from direktori.directory.models import Organization

from . import permissions
from .models import ConsentSource, MemberRole, Membership, MembershipTerm, Person

TERM_FIELDS = ("role", "appointed_by", "appointed_on", "term_ends_on", "status", "ended_on")
REASON_MAX_LENGTH = 1000


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
    #: The person, when the register already knows who is meant (a re-appointment, a move):
    #: then neither the phone nor the name is used to find them.
    person: Person | None = None


def known_person_appointment(
    *,
    person: Person,
    cbo: Organization,
    role: str,
    appointed_by: str,
    appointed_on: datetime.date,
    term_ends_on: datetime.date | None,
) -> Appointment:
    """An appointment of someone the register knows, with their contact and consent as they
    are (a re-appointment, a move)."""
    return Appointment(
        cbo=cbo,
        full_name=person.full_name,
        phone=person.phone,
        email=person.email,
        role=role,
        appointed_by=appointed_by,
        appointed_on=appointed_on,
        term_ends_on=term_ends_on,
        listed_publicly=person.listed_publicly,
        person=person,
    )


def person_match(*, phone: str, full_name: str, cbo: Organization) -> Person | None:
    """The same person: by phone, else by full name among the CBO's members."""
    if phone:
        found = Person.objects.filter(phone=phone).first()
        if found is not None:
            return found
    return Person.objects.filter(full_name__iexact=full_name.strip(), memberships__cbo=cbo).first()


def _person_of(appointment: Appointment) -> Person | None:
    if appointment.person is not None:
        return appointment.person
    return person_match(
        phone=appointment.phone, full_name=appointment.full_name, cbo=appointment.cbo
    )


def appointment_outcome(appointment: Appointment) -> str:
    """What saving the appointment would do: "created", "updated" or "unchanged"."""
    person = _person_of(appointment)
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
        person = _person_of(appointment)
        return Membership.objects.get(person=person, cbo=appointment.cbo), outcome
    with transaction.atomic():
        person = _person_of(appointment) or Person(full_name=appointment.full_name.strip())
        for name, value in _person_changes(person, appointment).items():
            setattr(person, name, value)
        person.full_clean(validate_unique=False)
        person.save()
        person_link_account(person=person)
        membership = Membership.objects.filter(person=person, cbo=appointment.cbo).first()
        if membership is None:
            membership = Membership(person=person, cbo=appointment.cbo)
        elif _term_changes(membership, appointment):
            _keep_term(membership)
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
        account_follow_membership(membership)
    return membership, outcome


def account_follow_membership(
    membership: Membership, *, moved_from: Organization | None = None
) -> None:
    """The holder's CBO account follows their membership (a CBO role reads its own CBO only):
    a current membership gives the account that CBO, as chair for the pengerusi and as member
    for every other role; an ended one disables the account, unless the member moved to another
    CBO (`membership_move` passes the CBO they left). Officers' accounts and accounts held for
    another CBO are left alone. A change ends the account's sessions (`user_change_role`)."""
    user = membership.person.user
    allowed = {None, membership.cbo_id, moved_from.pk if moved_from else None}
    if user is None or not Role(user.role).is_cbo or user.organisation_id not in allowed:
        return
    if membership.status == Membership.Status.ACTIVE:
        role = Role.CBO_CHAIR if membership.role == MemberRole.PENGERUSI else Role.CBO_MEMBER
        if (user.role, user.organisation_id, user.is_active) != (role, membership.cbo_id, True):
            user_change_role(
                user=user, role=role, area=membership.cbo.area, organisation=membership.cbo
            )
    elif user.is_active and moved_from is None and user.organisation_id == membership.cbo_id:
        user_set_active(user=user, active=False)


def _keep_term(membership: Membership) -> None:
    """Keeps the membership's term as it stands in its history, once: ending it keeps the ended
    term already, so re-appointing after an end adds nothing."""
    term = {name: getattr(membership, name) for name in TERM_FIELDS}
    if not membership.terms.filter(**term).exists():
        MembershipTerm.objects.create(membership=membership, **term)


def membership_end(
    *,
    membership: Membership,
    ended_on: datetime.date,
    actor: User,
    reason: str = "",
    request: HttpRequest | None = None,
    moved_to: Organization | None = None,
) -> Membership:
    """An officer ends a membership: the term is kept in its history, ended on `ended_on`
    (not before the appointment, not after today); `reason` goes into the notes."""
    if not permissions.may_import_into(actor, membership.cbo):
        raise PermissionDenied
    reason = reason.strip()
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        _check_end(membership, ended_on, reason)
        membership.status = Membership.Status.ENDED
        membership.ended_on = ended_on
        changed = ["status", "ended_on"]
        if reason:
            note = f"{ended_on.isoformat()}: {reason}"
            membership.notes = f"{membership.notes}\n{note}" if membership.notes else note
            changed.append("notes")
        membership.full_clean()
        _keep_term(membership)
        membership.save()
        detail: dict[str, Any] = {"fields": changed, "status": "ended", "role": membership.role}
        if moved_to is not None:
            detail["moved_to"] = str(moved_to.pk)
        audit_record(
            action=Action.RECORD_CHANGED,
            request=request,
            actor=actor,
            target=membership,
            area=membership.cbo.area,
            detail=detail,
        )
        if moved_to is None:
            account_follow_membership(membership)
    return membership


def _check_end(membership: Membership, ended_on: datetime.date, reason: str) -> None:
    if membership.status == Membership.Status.ENDED:
        raise ValidationError(_("This membership has already ended."))
    if ended_on < membership.appointed_on:
        raise ValidationError(
            {
                "ended_on": _("The membership cannot end before the appointment (%(date)s).")
                % {"date": date_format(membership.appointed_on)}
            }
        )
    if ended_on > timezone.localdate():
        raise ValidationError({"ended_on": _("Give today's date or an earlier one.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("Keep it under %(count)d characters.") % {"count": REASON_MAX_LENGTH}}
        )


def membership_move(
    *,
    membership: Membership,
    to_cbo: Organization,
    moved_on: datetime.date,
    role: str,
    appointed_by: str,
    term_ends_on: datetime.date | None,
    actor: User,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Membership:
    """Moves the member to another CBO of the officer's own area, all or nothing: the
    membership here ends on `moved_on` (its term kept), and the same person is appointed there
    from that day. Returns the membership in `to_cbo`."""
    if not (
        permissions.may_import_into(actor, membership.cbo)
        and to_cbo.kind == Organization.Kind.CBO
        and permissions.may_import_into(actor, to_cbo)
    ):
        raise PermissionDenied
    if to_cbo.pk == membership.cbo_id:
        raise ValidationError({"cbo": _("Choose another CBO: the member is in this one.")})
    person = membership.person
    with transaction.atomic():
        membership_end(
            membership=membership,
            ended_on=moved_on,
            actor=actor,
            reason=reason,
            request=request,
            moved_to=to_cbo,
        )
        moved, _outcome = membership_appoint(
            appointment=known_person_appointment(
                person=person,
                cbo=to_cbo,
                role=role,
                appointed_by=appointed_by,
                appointed_on=moved_on,
                term_ends_on=term_ends_on,
            ),
            actor=actor,
        )
        account_follow_membership(moved, moved_from=membership.cbo)
    return moved


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
    if person.user_id is not None or not person.phone:
        return False
    account = User.objects.filter(phone=person.phone, person__isnull=True).first()
    if account is None:
        return False
    person.user = account
    person.save(update_fields=["user"])
    return True
