"""What an HSDS row must satisfy before the import may save it.

The official `spec/datapackage.json` says which fields are required, their types, formats and
enumerations; the directory's models add lengths, postcodes, phone numbers and coordinates. Every
check here mirrors a model constraint, so that a package that passes never fails half-way through
saving (Django's full_clean per row is far too slow for 100,000 services).
"""

from __future__ import annotations

import datetime
import json
import math
import re
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _

from direktori.directory import phones

SPEC_PATH = Path(__file__).resolve().parent / "spec" / "datapackage.json"
UUID_PATTERN = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
POSTCODE = re.compile(r"^\d{5}$")
URL_MAX_LENGTH = 200  # Django's URLField
EMAIL_MAX_LENGTH = 254  # Django's EmailField
COORDINATE_PLACES = Decimal("0.000001")  # Location.latitude/longitude: 6 decimal places

_email = EmailValidator()
_url = URLValidator()


@dataclass(frozen=True)
class Problem:
    """One reason the package is refused. `row` is the CSV line as a spreadsheet numbers it
    (the header is row 1), or the record's place in a JSON file (`services[3].phones[0]`)."""

    file: str
    row: int | str
    field: str
    reason: str

    def __str__(self) -> str:
        place = _("row %(row)s") % {"row": self.row} if isinstance(self.row, int) else self.row
        return f"{self.file}, {place}, {self.field}: {self.reason}"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str
    format: str
    required: bool
    enum: tuple[str, ...]


@dataclass(frozen=True)
class TableSpec:
    name: str
    path: str
    fields: dict[str, FieldSpec]
    foreign_keys: dict[str, str]  # field -> referenced table


@cache
def official_tables() -> dict[str, TableSpec]:
    """The tables of the official HSDS 3.0 tabular package, by resource name."""
    package = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    tables: dict[str, TableSpec] = {}
    for resource in package["resources"]:
        schema = resource["schema"]
        fields = {
            field["name"]: FieldSpec(
                name=field["name"],
                type=field.get("type", "string"),
                format=field.get("format", ""),
                required=bool(field.get("constraints", {}).get("required")),
                enum=tuple(field.get("constraints", {}).get("enum", ())),
            )
            for field in schema["fields"]
        }
        foreign_keys = {
            key["fields"]: key["reference"]["resource"] for key in schema.get("foreignKeys", [])
        }
        tables[resource["name"]] = TableSpec(
            resource["name"], resource["path"], fields, foreign_keys
        )
    return tables


def parse_uuid(value: str) -> uuid.UUID | None:
    return uuid.UUID(value) if UUID_PATTERN.match(value) else None


def parse_number(value: str) -> float | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def parse_date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def parse_datetime(value: str) -> datetime.datetime | None:
    try:
        return datetime.datetime.fromisoformat(value)
    except ValueError:
        return None


def parse_time(value: str) -> datetime.time | None:
    try:
        return datetime.time.fromisoformat(value)
    except ValueError:
        return None


def parse_coordinate(value: str) -> Decimal | None:
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    return number.quantize(COORDINATE_PLACES) if number.is_finite() else None


def is_email(value: str) -> bool:
    try:
        _email(value)
    except ValidationError:
        return False
    return len(value) <= EMAIL_MAX_LENGTH


def is_web_address(value: str) -> bool:
    """What Django's URLField accepts: http(s)/ftp(s), at most 200 characters."""
    try:
        _url(value)
    except ValidationError:
        return False
    return len(value) <= URL_MAX_LENGTH


def is_uri(value: str) -> bool:
    return bool(urlsplit(value).scheme) and " " not in value


def check_field(spec: FieldSpec, value: str) -> str | None:
    """The reason a value breaks the official package's rules for its field, or None."""
    if not value:
        return _("is required and may not be empty") if spec.required else None
    if spec.format == "uuid" and parse_uuid(value) is None:
        return _("“%(value)s” is not an identifier (a UUID such as %(example)s)") % {
            "value": value,
            "example": "3a19ff88-4620-4d17-9830-ac1d859eb5d5",
        }
    if spec.enum and value not in spec.enum:
        return _("“%(value)s” is not one of the allowed values: %(allowed)s") % {
            "value": value,
            "allowed": ", ".join(spec.enum),
        }
    if spec.format == "email" and not is_email(value):
        return _("“%(value)s” is not an email address") % {"value": value}
    if spec.format == "uri" and not is_uri(value):
        return _("“%(value)s” is not a web address") % {"value": value}
    parsers: dict[str, tuple[Any, str]] = {
        "number": (parse_number, _("“%(value)s” is not a number")),
        "date": (parse_date, _("“%(value)s” is not a date (write it as 2024-12-31)")),
        "datetime": (
            parse_datetime,
            _("“%(value)s” is not a date and time (write it as 2024-12-31T09:30:00Z)"),
        ),
        "time": (parse_time, _("“%(value)s” is not a time (write it as 09:30:00)")),
    }
    if spec.type in parsers:
        parse, message = parsers[spec.type]
        if parse(value) is None:
            return message % {"value": value}
    return None


def too_long(value: str, limit: int) -> str | None:
    if len(value) > limit:
        return _("is %(length)d characters long; at most %(limit)d fit") % {
            "length": len(value),
            "limit": limit,
        }
    return None


def check_latitude_longitude(latitude: str, longitude: str) -> list[tuple[str, str]]:
    """(field, reason) for coordinates the directory cannot store."""
    found: list[tuple[str, str]] = []
    for field, value, limit, word in (
        ("latitude", latitude, 90, _("a latitude")),
        ("longitude", longitude, 180, _("a longitude")),
    ):
        if not value:
            continue
        number = parse_coordinate(value)
        if number is None:
            continue  # the type check already reported it
        if not -limit <= number <= limit:
            found.append(
                (
                    field,
                    _("%(value)s is not %(word)s (must be between -%(limit)d and %(limit)d)")
                    % {"value": value, "word": word, "limit": limit},
                )
            )
    if bool(latitude) != bool(longitude):
        missing = "longitude" if latitude else "latitude"
        found.append((missing, _("give both latitude and longitude, or neither")))
    return found


def normalise_phone(number: str, kind: str) -> tuple[str | None, str | None]:
    """(stored number, None) or (None, reason). Short codes (999, 15999) are kept as digits."""
    digits = re.sub(r"[\s-]", "", number)
    # 999 and 15999 are short codes whatever type the package gives; 03-123 is a broken number.
    short = kind == "short_code" or (
        bool(phones.SHORT_CODE.match(digits)) and not digits.startswith("0")
    )
    try:
        return phones.normalise(number.strip('"'), short_code=short), None
    except ValidationError as error:
        return None, " ".join(error.messages)


def check_postcode(value: str, country: str) -> str | None:
    if country.upper() == "MY" and value and not POSTCODE.match(value):
        return _("“%(value)s” is not a Malaysian postcode (five digits, for example 43900)") % {
            "value": value
        }
    return too_long(value, 5)
