"""Loading appointment lists (CONTRACT `import_members`), for the command and the web preview.

`read` turns a CSV or XLSX file into rows, `check` lists every problem by row and column (or what
each row will do), `import_all` saves every row or none. Between the web preview and the
confirmation the rows travel as a signed token bound to the officer (`dump`/`load`), as in
`direktori.accounts.bulk_invite`; both read files with `direktori.core.spreadsheets`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from direktori.accounts.bulk_invite import (
    MAX_ROWS,
    Problem,
    Refused,
    Row,
    dump_rows,
    load_rows,
)
from direktori.core.spreadsheets import date_cell, read_upload, rows_below_header
from direktori.directory import phones
from direktori.directory.models import Organization

from . import permissions
from .models import AppointingBody, MemberRole
from .services import Appointment, appointment_outcome, membership_appoint

COLUMNS = (
    "organisation_id",
    "full_name",
    "phone",
    "email",
    "role",
    "appointed_by",
    "appointed_on",
    "term_ends_on",
    "listed_publicly",
)
REQUIRED = ("organisation_id", "full_name", "role", "appointed_by", "appointed_on")
CONSENT = {"ya": True, "tidak": False, "": False}
SALT = "direktori.members.importing"
MAX_AGE = 30 * 60

__all__ = ["COLUMNS", "Plan", "Problem", "Refused", "Row", "check", "import_all", "read"]


@dataclass(frozen=True)
class Plan:
    row: int
    appointment: Appointment
    outcome: str  # created, updated, unchanged

    @property
    def role_label(self) -> str:
        return str(MemberRole(self.appointment.role).label)


def read(upload: Any) -> list[Row]:
    return table_rows(read_upload(upload, max_rows=MAX_ROWS, max_columns=len(COLUMNS) + 10))


def table_rows(table: Iterable[list[str]]) -> list[Row]:
    return rows_below_header(
        table,
        columns=COLUMNS,
        max_rows=MAX_ROWS,
        too_many=_("A file may hold at most %(count)d rows."),
        none_below=_("The file has no appointments below its first row."),
    )


def check(rows: list[Row], *, actor: Any = None) -> tuple[list[Plan], list[Problem]]:
    """Every problem of every row; the plan of each row when there are none. Without `actor`
    (the command line) every CBO may be loaded."""
    ids = {pk for row in rows if (pk := _uuid(row.values["organisation_id"]))}
    cbos = {str(o.pk): o for o in Organization.objects.filter(pk__in=ids).select_related("area")}
    plans: list[Plan] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        found: list[Problem] = []

        def add(column: str, message: str, row: Row = row, found: list[Problem] = found) -> None:
            found.append(Problem(row=row.number, column=column, message=message))

        appointment = _appointment(row.values, cbos, actor, add)
        if appointment is not None:
            for key in _identities(appointment):
                if key in seen:
                    add(
                        "full_name",
                        _("The same person is also in row %(row)d.") % {"row": seen[key]},
                    )
                    break
            for key in _identities(appointment):
                seen.setdefault(key, row.number)
        if appointment is not None and not found:
            plans.append(Plan(row.number, appointment, appointment_outcome(appointment)))
        problems += found
    return (plans if not problems else []), problems


def _identities(appointment: Appointment) -> list[tuple[str, str]]:
    cbo = str(appointment.cbo.pk)
    keys = [(cbo, "name:" + appointment.full_name.casefold())]
    return keys + ([(cbo, appointment.phone)] if appointment.phone else [])


def _appointment(
    values: dict[str, str], cbos: dict[str, Organization], actor: Any, add: Any
) -> Appointment | None:
    for column in REQUIRED:
        if not values[column]:
            add(column, _("This is required."))
    cbo = _cbo(values["organisation_id"], cbos, actor, add)
    phone = ""
    if values["phone"]:
        try:
            phone = phones.normalise(values["phone"])
        except ValidationError as error:
            add("phone", " ".join(error.messages))
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            add("email", _("This is not an email address."))
    role = values["role"].lower()
    if role and role not in MemberRole.values:
        add("role", _("Give one of: %(values)s.") % {"values": ", ".join(MemberRole.values)})
    bodies = {value.lower(): value for value in AppointingBody.values}
    appointed_by = bodies.get(values["appointed_by"].lower(), "")
    if values["appointed_by"] and not appointed_by:
        add("appointed_by", _("Give one of: %(values)s.") % {"values": ", ".join(bodies.values())})
    starts = date_cell(values, "appointed_on", add)
    ends = date_cell(values, "term_ends_on", add)
    if starts and ends and ends <= starts:
        add("term_ends_on", _("The term must end after the appointment date."))
    consent = values["listed_publicly"].lower()
    if consent not in CONSENT:
        add("listed_publicly", _("Give ya or tidak."))
    if cbo is None or starts is None or role not in MemberRole.values or not appointed_by:
        return None
    return Appointment(
        cbo=cbo,
        full_name=" ".join(values["full_name"].split()),
        phone=phone,
        email=values["email"],
        role=role,
        appointed_by=appointed_by,
        appointed_on=starts,
        term_ends_on=ends,
        listed_publicly=CONSENT.get(consent, False),
    )


def _uuid(text: str) -> str | None:
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return None


def _cbo(text: str, cbos: dict[str, Organization], actor: Any, add: Any) -> Organization | None:
    if not text:
        return None
    key = _uuid(text)
    cbo = cbos.get(key) if key else None
    if cbo is None:
        add("organisation_id", _("No organisation has this id."))
    elif cbo.kind != Organization.Kind.CBO:
        add("organisation_id", _("This organisation is not a CBO."))
    elif actor is not None and not permissions.may_import_into(actor, cbo):
        add("organisation_id", _("This CBO is outside your area."))
    else:
        return cbo
    return None


def import_all(rows: list[Row], *, actor: Any = None, dry_run: bool = False) -> list[Plan]:
    """Saves every row or none (checked again: the database may have changed since a preview).
    Raises `Refused` with the problems."""
    with transaction.atomic():
        plans, problems = check(rows, actor=actor)
        if problems:
            raise Refused(problems)
        if not dry_run:
            for plan in plans:
                membership_appoint(appointment=plan.appointment, actor=actor)
    return plans


def dump(rows: list[Row], *, actor: Any) -> str:
    return dump_rows(rows, actor=actor, salt=SALT)


def load(token: str, *, actor: Any) -> list[Row]:
    return load_rows(token, actor=actor, salt=SALT, max_age=MAX_AGE)[0]
