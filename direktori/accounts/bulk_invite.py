"""Inviting the members of CBOs from a spreadsheet (docs/security.md, "Managing accounts").

An officer uploads a CSV or XLSX file with the columns of `COLUMNS`. `read` turns it into rows
(the file itself is never stored), `check` lists every problem by row and column, and `invite_all`
creates every account or none. Between the preview and the confirmation the rows travel as a
signed, time-limited token in the form (`dump`/`load`), bound to the officer who uploaded them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from direktori.core.spreadsheets import Problem, Refused, Row, read_upload, rows_below_header
from direktori.directory import phones
from direktori.directory.models import Organization

from . import permissions, services
from .models import Role, User

COLUMNS = ("username", "full_name", "phone", "email", "role", "organisation_id")
REQUIRED = ("username", "full_name", "role", "organisation_id")
CBO_ROLES = (Role.CBO_MEMBER.value, Role.CBO_CHAIR.value)
MAX_ROWS = 500
PREVIEW_SALT = "direktori.accounts.bulk_invite"
PREVIEW_MAX_AGE = 30 * 60
#: Where the model's field errors are reported, as columns of the file.
FIELD_COLUMNS = {
    "username": "username",
    "first_name": "full_name",
    "phone": "phone",
    "email": "email",
    "role": "role",
    "organisation": "organisation_id",
    "area": "organisation_id",
}


@dataclass(frozen=True)
class Invitation:
    row: int
    username: str
    full_name: str
    phone: str
    email: str
    role: str
    organisation: Organization

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)


# Reading ---------------------------------------------------------------------------------------


def read(upload: Any) -> list[Row]:
    """The rows of an uploaded CSV or XLSX file. Raises ValidationError when the file as a whole
    cannot be used (unreadable, too large, columns missing)."""
    return _rows(read_upload(upload, max_rows=MAX_ROWS, max_columns=len(COLUMNS) + 10))


def _rows(table: Iterable[list[str]]) -> list[Row]:
    return rows_below_header(
        table,
        columns=COLUMNS,
        max_rows=MAX_ROWS,
        too_many=_("A file may hold at most %(count)d people."),
        none_below=_("The file has no one to invite below its first row."),
    )


# Checking --------------------------------------------------------------------------------------


def check(rows: list[Row], *, actor: User) -> tuple[list[Invitation], list[Problem]]:
    """Every problem of every row, and the invitations when there are none."""
    numbers = {row.number: _phone(row.values["phone"]) for row in rows}
    context = _Context(
        actor=actor,
        cbos=_cbos(rows),
        taken_usernames=_taken_usernames(rows),
        taken_phones=set(
            User.objects.filter(
                phone__in=[n for n in numbers.values() if isinstance(n, str) and n]
            ).values_list("phone", flat=True)
        ),
    )
    invitations: list[Invitation] = []
    problems: list[Problem] = []
    for row in rows:
        found = _Found(row.number)
        invitation = _check_row(row, numbers[row.number], context, found)
        if invitation is not None and not found.problems:
            found.problems += _model_problems(invitation)
            if not found.problems:
                invitations.append(invitation)
        problems += found.problems
    return (invitations if not problems else []), problems


@dataclass
class _Context:
    actor: User
    cbos: dict[str, Organization]
    taken_usernames: set[str]
    taken_phones: set[str]
    seen_usernames: dict[str, int] = field(default_factory=dict)
    seen_phones: dict[str, int] = field(default_factory=dict)


@dataclass
class _Found:
    row: int
    problems: list[Problem] = field(default_factory=list)

    def add(self, column: str, message: str) -> None:
        self.problems.append(Problem(row=self.row, column=column, message=message))


def _check_row(
    row: Row, phone: str | ValidationError, context: _Context, found: _Found
) -> Invitation | None:
    values = row.values
    for column in REQUIRED:
        if not values[column]:
            found.add(column, _("This is required."))
    username = values["username"].lower()
    if username:
        taken = _("An account with this username exists already.")
        _repeated(username, "username", row, context.seen_usernames, context.taken_usernames,
                  taken, found)  # fmt: skip
    if isinstance(phone, ValidationError):
        found.add("phone", " ".join(phone.messages))
        phone = ""
    elif phone:
        taken = _("An account with this mobile number exists already.")
        _repeated(phone, "phone", row, context.seen_phones, context.taken_phones, taken, found)
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            found.add("email", _("This is not an email address."))
    role = values["role"]
    if role and role not in CBO_ROLES:
        found.add("role", _("Give cbo_member or cbo_chair."))
    organisation = _organisation(values["organisation_id"], context, found)
    if organisation is None or role not in CBO_ROLES:
        return None
    if not permissions.may_grant(context.actor, role=role, area=organisation.area):
        found.add("role", _("You may not give this role in this CBO's area."))
        return None
    return Invitation(
        row=row.number,
        username=values["username"],
        full_name=values["full_name"],
        phone=phone,
        email=values["email"],
        role=role,
        organisation=organisation,
    )


def _repeated(
    value: str,
    column: str,
    row: Row,
    seen: dict[str, int],
    taken: set[str],
    taken_message: str,
    found: _Found,
) -> None:
    """A value that must be unique: earlier in the file, or held by an account already."""
    if value in seen:
        found.add(column, _("Also in row %(row)d of this file.") % {"row": seen[value]})
    elif value in taken:
        found.add(column, taken_message)
    seen.setdefault(value, row.number)


def _cbos(rows: list[Row]) -> dict[str, Organization]:
    ids = {key for row in rows if (key := _uuid(row.values["organisation_id"]))}
    found = Organization.objects.filter(pk__in=ids).select_related("area")
    return {str(organisation.pk): organisation for organisation in found}


def _uuid(text: str) -> str | None:
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return None


def _organisation(text: str, context: _Context, found: _Found) -> Organization | None:
    if not text:
        return None
    key = _uuid(text)
    if key is None:
        found.add("organisation_id", _("This is not a CBO id."))
        return None
    organisation = context.cbos.get(key)
    if organisation is None or organisation.kind != Organization.Kind.CBO:
        found.add("organisation_id", _("No CBO has this id."))
        return None
    if not permissions.in_scope(context.actor, organisation.area, with_grants=False):
        found.add("organisation_id", _("This CBO is outside your area."))
        return None
    return organisation


def _taken_usernames(rows: list[Row]) -> set[str]:
    names = {row.values["username"].lower() for row in rows if row.values["username"]}
    return set(
        User.objects.annotate(lower=Lower("username"))
        .filter(lower__in=names)
        .values_list("lower", flat=True)
    )


def _phone(text: str) -> str | ValidationError:
    if not text:
        return ""
    try:
        number = phones.normalise(text)
    except ValidationError as error:
        return error
    if not number.startswith("+601"):
        return ValidationError(_("Give a Malaysian mobile number (01x)."))
    return number


def _model_problems(invitation: Invitation) -> list[Problem]:
    """What the account's own rules say (username characters, lengths), uniqueness aside."""
    user = User(
        username=invitation.username,
        first_name=invitation.full_name,
        phone=invitation.phone,
        email=invitation.email,
        role=invitation.role,
        area=invitation.organisation.area,
        organisation=invitation.organisation,
    )
    try:
        user.full_clean(exclude=["password"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return _as_problems(error, invitation.row)
    return []


def _as_problems(error: ValidationError, row: int) -> list[Problem]:
    if not hasattr(error, "error_dict"):
        return [Problem(row=row, column="", message=message) for message in error.messages]
    return [
        Problem(row=row, column=FIELD_COLUMNS.get(field, ""), message=message)
        for field, messages in error.message_dict.items()
        for message in messages
    ]


# Between preview and confirmation ---------------------------------------------------------------


def dump(rows: list[Row], *, actor: User) -> str:
    return dump_rows(rows, actor=actor, salt=PREVIEW_SALT)


def load(token: str, *, actor: User) -> list[Row]:
    return load_rows(token, actor=actor, salt=PREVIEW_SALT)[0]


def dump_rows(
    rows: list[Row], *, actor: Any, salt: str, extra: dict[str, Any] | None = None
) -> str:
    """An uploaded file's rows as a signed, compressed token bound to `actor`, for the form
    between a preview and its confirmation (any upload page; `salt` names the page)."""
    payload = {"by": actor.pk, "rows": [[row.number, row.values] for row in rows]}
    if extra:
        payload["extra"] = extra
    return signing.dumps(payload, salt=salt, compress=True)


def load_rows(
    token: str, *, actor: Any, salt: str, max_age: int = PREVIEW_MAX_AGE
) -> tuple[list[Row], dict[str, Any]]:
    """The rows (and extra values) of `dump_rows`' token; ValidationError when it is not
    `actor`'s, was changed, or is older than `max_age` seconds."""
    expired = _("This preview has expired or was changed. Upload the file again.")
    try:
        payload = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature as error:  # includes SignatureExpired
        raise ValidationError(expired) from error
    if payload.get("by") != actor.pk:
        raise ValidationError(expired)
    rows = [Row(number=number, values=values) for number, values in payload["rows"]]
    return rows, payload.get("extra") or {}


# Creating --------------------------------------------------------------------------------------


def invite_all(rows: list[Row], *, actor: User, language: str) -> list[tuple[User, str]]:
    """Creates every account, or none: checks again (the database may have changed since the
    preview) inside one transaction. Raises `Refused` with the problems."""
    with transaction.atomic():
        invitations, problems = check(rows, actor=actor)
        if problems:
            raise Refused(problems)
        invited = []
        for invitation in invitations:
            try:
                invited.append(
                    services.user_invite(
                        username=invitation.username,
                        role=invitation.role,
                        area=invitation.organisation.area,
                        organisation=invitation.organisation,
                        first_name=invitation.full_name,
                        email=invitation.email,
                        phone=invitation.phone,
                        language=language,
                    )
                )
            except ValidationError as error:
                raise Refused(_as_problems(error, invitation.row)) from error
        return invited
