"""The directory's own rules for one row of each HSDS table, beyond the official package's:
lengths of our columns, web addresses Django accepts, postcodes, phone numbers, coordinates,
weekly opening hours. Pass one also notes here what pass two needs to place locations."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from direktori.directory.models import Phone

from . import profile
from .reader import RecordName, Row
from .validation import (
    check_latitude_longitude,
    check_postcode,
    is_web_address,
    normalise_phone,
    parse_coordinate,
    parse_uuid,
    too_long,
)

if TYPE_CHECKING:
    from .checking import Checked


def pair_key(first: uuid.UUID, second: uuid.UUID | int) -> int:
    """A (service, location) or (service, area id) pair as one int: pairs are kept for every
    row, and one int costs less than a tuple of two."""
    return first.int << 128 | (second.int if isinstance(second, uuid.UUID) else second)


RowCheck = Callable[["Checked", str, RecordName, Row, uuid.UUID, set[str]], None]

MAX_LENGTHS: dict[str, dict[str, int]] = {
    "organization": {"name": 250, "alternate_name": 250},
    "service": {"name": 250, "alternate_name": 250, "fees_description": 250},
    "location": {"name": 250},
    "address": {"attention": 200, "address_1": 250, "address_2": 250, "city": 120}
    | {"region": 120, "state_province": 120},
    "phone": {"description": 200},
    "contact": {"name": 200, "title": 200, "department": 200},
    "service_area": {"description": 250},
    "language": {"code": 8, "name": 100, "note": 250},
    "accessibility": {"description": 250},
    "organization_identifier": {"identifier_scheme": 64, "identifier_type": 120}
    | {"identifier": 120},
    "taxonomy": {"name": 200, "version": 32},
    "taxonomy_term": {"name": 200},
    "metadata": {"resource_type": 40, "field_name": 64, "updated_by": 200},
}
WEB_ADDRESSES = {
    "organization": ["website"],
    "service": ["url"],
    "accessibility": ["url"],
    "taxonomy": ["uri"],
}
PHONE_KINDS = set(Phone.Kind.values)
ACTIONS = {"create", "update", "delete"}


def _lengths_and_addresses(
    checked: Checked, table: str, file: str, row_name: RecordName, row: Row, bad: set[str]
) -> None:
    for name, limit in MAX_LENGTHS.get(table, {}).items():
        reason = too_long(row.get(name, ""), limit)
        if reason is not None and name not in bad:
            checked.findings.problem(file, row_name, name, reason)
    for name in WEB_ADDRESSES.get(table, []):
        value = row.get(name, "")
        if value and name not in bad and not is_web_address(value):
            checked.findings.problem(
                file,
                row_name,
                name,
                _(
                    "“%(value)s” is not a web address the directory can keep (it starts with "
                    "http:// or https:// and has at most 200 characters)"
                )
                % {"value": value},
            )


def _generic(table: str) -> RowCheck:
    def check(
        checked: Checked, file: str, row_name: RecordName, row: Row, _id: uuid.UUID, bad: set[str]
    ) -> None:
        _lengths_and_addresses(checked, table, file, row_name, row, bad)

    return check


def _location(
    checked: Checked, file: str, row_name: RecordName, row: Row, record_id: uuid.UUID, bad: set[str]
) -> None:
    _lengths_and_addresses(checked, "location", file, row_name, row, bad)
    latitude, longitude = row.get("latitude", ""), row.get("longitude", "")
    wrong = check_latitude_longitude(latitude, longitude)
    for name, reason in wrong:
        checked.findings.problem(file, row_name, name, reason)
    organization_id = parse_uuid(row.get("organization_id", ""))
    if organization_id is not None:
        checked.first_location.setdefault(organization_id.int, record_id.int)
    placement = checked.placement
    lat, lon = parse_coordinate(latitude), parse_coordinate(longitude)
    if lat is not None and lon is not None and not wrong and not bad & {"latitude", "longitude"}:
        district = checked.areas.district_at(float(lat), float(lon))
        if district is not None:
            placement.district[record_id.int] = district.id
            return
        placement.outside.add(record_id.int)
    placement.unplaced.add(record_id.int)


def _service_at_location(
    checked: Checked, file: str, row_name: RecordName, row: Row, record_id: uuid.UUID, bad: set[str]
) -> None:
    service_id = parse_uuid(row.get("service_id", ""))
    location_id = parse_uuid(row.get("location_id", ""))
    if service_id is None or location_id is None:
        return
    checked.sal_service[record_id.int] = service_id.int
    if location_id.int in checked.placement.unplaced:
        checked.placement.services_of.setdefault(location_id.int, []).append(service_id.int)
        checked.placement.wanted_services.add(service_id.int)
    _unique_pair(
        checked,
        "service_at_location",
        file,
        row_name,
        "location_id",
        record_id,
        pair_key(service_id, location_id),
    )


def _unique_pair(
    checked: Checked,
    table: str,
    file: str,
    row_name: RecordName,
    name: str,
    record_id: uuid.UUID,
    pair: int,
) -> None:
    pairs = checked.pairs.setdefault(table, {})
    checked.pair_fields[table] = name
    if pair in pairs and pairs[pair] != record_id.int:
        checked.findings.problem(
            file,
            row_name,
            name,
            _("repeats %(id)s, which links the same two records")
            % {"id": uuid.UUID(int=pairs[pair])},
        )
        return
    pairs[pair] = record_id.int


def _address(
    checked: Checked, file: str, row_name: RecordName, row: Row, record_id: uuid.UUID, bad: set[str]
) -> None:
    _lengths_and_addresses(checked, "address", file, row_name, row, bad)
    country = row.get("country", "")
    if country and (len(country) != 2 or not country.isalpha()):
        checked.findings.problem(
            file,
            row_name,
            "country",
            _("“%(value)s” is not a two-letter country code (MY)") % {"value": country},
        )
    reason = check_postcode(row.get("postal_code", ""), country or "MY")
    if reason is not None:
        checked.findings.problem(file, row_name, "postal_code", reason)
    location_id = parse_uuid(row.get("location_id", ""))
    if location_id is None:
        checked.findings.note(
            file, row_name, "location_id", _("an address of no location is not kept")
        )
    elif location_id.int in checked.placement.unplaced:
        area = checked.areas.from_address(row.get("region", ""), row.get("state_province", ""))
        if area is not None:
            checked.placement.address_area.setdefault(location_id.int, area.id)


def _phone(
    checked: Checked, file: str, row_name: RecordName, row: Row, _id: uuid.UUID, bad: set[str]
) -> None:
    _lengths_and_addresses(checked, "phone", file, row_name, row, bad)
    kind = row.get("type", "").lower()
    if kind and kind not in PHONE_KINDS:
        checked.findings.problem(
            file,
            row_name,
            "type",
            _("“%(value)s” is not one of the allowed values: %(allowed)s")
            % {"value": row.get("type"), "allowed": ", ".join(sorted(PHONE_KINDS))},
        )
    number = row.get("number", "")
    if number:
        _stored, reason = normalise_phone(number, kind)
        if reason is not None:
            checked.findings.problem(file, row_name, "number", reason)
    extension = row.get("extension", "")
    if extension and "extension" not in bad:
        reason = too_long(_extension_text(extension), 10)
        if reason is not None:
            checked.findings.problem(file, row_name, "extension", reason)
    owners = (
        "organization_id",
        "service_id",
        "location_id",
        "contact_id",
        "service_at_location_id",
    )
    if not any(row.get(name) for name in owners):
        checked.findings.problem(
            file,
            row_name,
            "service_id",
            _("a phone number must belong to an organisation, a service, a location or a contact"),
        )


def _extension_text(value: str) -> str:
    number = float(value)
    return str(int(number)) if number.is_integer() else value


def _contact(
    checked: Checked, file: str, row_name: RecordName, row: Row, _id: uuid.UUID, bad: set[str]
) -> None:
    _lengths_and_addresses(checked, "contact", file, row_name, row, bad)
    if not any(row.get(name) for name in ("name", "title", "department")):
        checked.findings.problem(
            file, row_name, "name", _("a contact needs a name, a job title or a department")
        )


def _schedule(
    checked: Checked, file: str, row_name: RecordName, row: Row, _id: uuid.UUID, bad: set[str]
) -> None:
    if row.get("freq") != "WEEKLY" or not row.get("byday"):
        checked.findings.note(
            file, row_name, "freq", _("opening hours that are not weekly by day are not kept")
        )
        return
    for code in row["byday"].split(","):
        if code.strip() not in profile.WEEKDAYS_BY_CODE:
            checked.findings.problem(
                file,
                row_name,
                "byday",
                _("“%(value)s” is not a day (MO, TU, WE, TH, FR, SA, SU)") % {"value": code},
            )
    if not (row.get("opens_at") and row.get("closes_at")):
        checked.findings.note(
            file, row_name, "opens_at", _("opening hours without both times are not kept")
        )
    if not any(row.get(name) for name in ("service_id", "location_id", "service_at_location_id")):
        checked.findings.note(
            file, row_name, "service_id", _("opening hours of no service or location are not kept")
        )


def _service_area(
    checked: Checked, file: str, row_name: RecordName, row: Row, record_id: uuid.UUID, bad: set[str]
) -> None:
    _lengths_and_addresses(checked, "service_area", file, row_name, row, bad)
    service_id = parse_uuid(row.get("service_id", ""))
    area = checked.areas.service_area(row.get("uri", ""), row.get("name", ""))
    if area is None:
        checked.findings.note(
            file, row_name, "uri", _("names no DOSM area the directory knows; not kept")
        )
        return
    if service_id is None:
        checked.findings.note(
            file, row_name, "service_id", _("a service area of no service is not kept")
        )
        return
    if service_id.int in checked.placement.wanted_services:
        checked.placement.service_areas.setdefault(service_id.int, []).append(area.id)
    _unique_pair(
        checked, "service_area", file, row_name, "uri", record_id, pair_key(service_id, area.id)
    )


def _language(
    checked: Checked, file: str, row_name: RecordName, row: Row, _id: uuid.UUID, bad: set[str]
) -> None:
    _lengths_and_addresses(checked, "language", file, row_name, row, bad)
    if not row.get("name") and not row.get("code"):
        checked.findings.note(
            file, row_name, "name", _("a language without name or code is not kept")
        )


def _accessibility(
    checked: Checked, file: str, row_name: RecordName, row: Row, _id: uuid.UUID, bad: set[str]
) -> None:
    _lengths_and_addresses(checked, "accessibility", file, row_name, row, bad)
    if not row.get("location_id"):
        checked.findings.note(
            file, row_name, "location_id", _("accessibility of no location is not kept")
        )


def _taxonomy_term(
    checked: Checked, file: str, row_name: RecordName, row: Row, _id: uuid.UUID, bad: set[str]
) -> None:
    _lengths_and_addresses(checked, "taxonomy_term", file, row_name, row, bad)
    taxonomy_id = parse_uuid(row.get("taxonomy_id", ""))
    if taxonomy_id is None and "taxonomy_id" not in bad:
        checked.findings.problem(
            file, row_name, "taxonomy_id", _("the directory keeps a term only with its taxonomy")
        )
    elif taxonomy_id is not None and row.get("taxonomy"):
        checked.taxonomy_code_hint.setdefault(taxonomy_id.int, row["taxonomy"])


def _metadata(
    checked: Checked, file: str, row_name: RecordName, row: Row, _id: uuid.UUID, bad: set[str]
) -> None:
    _lengths_and_addresses(checked, "metadata", file, row_name, row, bad)
    action = row.get("last_action_type", "")
    if action and action.lower() not in ACTIONS:
        checked.findings.problem(
            file,
            row_name,
            "last_action_type",
            _("“%(value)s” is not one of the allowed values: %(allowed)s")
            % {"value": action, "allowed": ", ".join(sorted(ACTIONS))},
        )


ROW_CHECKS: dict[str, RowCheck] = {
    "organization": _generic("organization"),
    "service": _generic("service"),
    "location": _location,
    "service_at_location": _service_at_location,
    "address": _address,
    "phone": _phone,
    "contact": _contact,
    "schedule": _schedule,
    "service_area": _service_area,
    "language": _language,
    "accessibility": _accessibility,
    "organization_identifier": _generic("organization_identifier"),
    "taxonomy": _generic("taxonomy"),
    "taxonomy_term": _taxonomy_term,
    "metadata": _metadata,
}
