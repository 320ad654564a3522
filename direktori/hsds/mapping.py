"""Pass two of an import, the reading half: one checked HSDS row -> the directory record(s) it
describes, following docs/hsds-profile.md (Malay in HSDS fields, English and the profile's facts
in attributes, one schedule per day, DOSM areas)."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from direktori.directory.models import Organization, Taxonomy, TaxonomyTerm

from . import profile
from .checking import Checked
from .profile import Term
from .reader import RecordName, Row
from .validation import (
    normalise_phone,
    parse_coordinate,
    parse_date,
    parse_datetime,
    parse_time,
    parse_uuid,
)
from .writer import Record

CODE_LENGTH = 64  # Taxonomy.code and TaxonomyTerm.code


def _id(row: Row, name: str) -> uuid.UUID | None:
    return parse_uuid(row.get(name, ""))


def _date(row: Row, name: str) -> datetime.date | None:
    return parse_date(row[name]) if row.get(name) else None


def _unless_name(description: str, name: str) -> str:
    """HSDS requires a description; the profile repeats the name when there is none."""
    return "" if description == name else description


@dataclass
class Mapper:
    checked: Checked
    _taxonomy_codes: set[str] | None = None
    _term_codes: dict[uuid.UUID, set[str]] | None = None

    def records(self, table: str, file: str, row_name: RecordName, row: Row) -> list[Record]:
        mapper: Callable[[uuid.UUID, Row, Record], list[Record]] | None = getattr(
            self, f"_{table}", None
        )
        pk = _id(row, "id")
        if mapper is None or pk is None:
            return []
        return mapper(pk, row, Record(pk=pk, fields={}, file=file, row=row_name))

    # Organisations and services

    def _organization(self, pk: uuid.UUID, row: Row, record: Record) -> list[Record]:
        facts = self.checked.attributes
        english = facts.english(pk)
        verified_on = facts.fact(pk, Term.VERIFIED_ON)
        record.fields = {
            "name": row["name"],
            "name_en": english.get("name", ""),
            "alternate_name": row.get("alternate_name", ""),
            "description_ms": _unless_name(row.get("description", ""), row["name"]),
            "description_en": english.get("description", ""),
            "email": row.get("email", ""),
            "website": row.get("website", ""),
            "parent_organization_id": _id(row, "parent_organization_id"),
            "is_demo": bool(facts.flag(pk, Term.DEMO_DATA)),
            "source": facts.fact(pk, Term.SOURCE) or "",
            "verified_on": parse_date(verified_on) if verified_on else None,
        }
        kind = facts.fact(pk, Term.ORGANIZATION_KIND)
        if kind:
            record.fields["kind"] = kind
        else:
            record.defaults["kind"] = Organization.Kind.NGO
            record.notes_if_new.append(
                (
                    "id",
                    _(
                        "no organization-kind attribute: recorded as a non-governmental "
                        "organisation"
                    ),
                )
            )
        status = facts.fact(pk, Term.ORGANIZATION_STATUS)
        if status:
            record.fields["status"] = status
        area = self._organization_area(pk)
        if area is not None:
            record.fields["area_id"] = area
        else:
            country = self.checked.areas.country
            record.defaults["area_id"] = country.id if country else None
            record.notes_if_new.append(
                (
                    "id",
                    _("no area attribute and no placed location: recorded as serving all Malaysia"),
                )
            )
        return [record]

    def _organization_area(self, pk: uuid.UUID) -> int | None:
        code = self.checked.attributes.fact(pk, Term.AREA)
        if code:
            return self.checked.areas.by_code[code].id
        location_id = self.checked.first_location.get(pk.int)
        return self.location_area(uuid.UUID(int=location_id)) if location_id is not None else None

    def _service(self, pk: uuid.UUID, row: Row, record: Record) -> list[Record]:
        facts = self.checked.attributes
        english = facts.english(pk)
        record.fields = {
            "organization_id": _id(row, "organization_id"),
            "name": row["name"],
            "name_en": english.get("name", ""),
            "alternate_name": row.get("alternate_name", ""),
            "description_ms": row.get("description", ""),
            "description_en": english.get("description", ""),
            "eligibility_ms": row.get("eligibility_description", ""),
            "eligibility_en": english.get("eligibility_description", ""),
            "application_process_ms": row.get("application_process", ""),
            "application_process_en": english.get("application_process", ""),
            "fees_ms": row.get("fees_description", ""),
            "fees_en": english.get("fees_description", ""),
            "hours_note_ms": facts.fact(pk, Term.HOURS_NOTE) or "",
            "hours_note_en": english.get("hours_note", ""),
            "email": row.get("email", ""),
            "url": row.get("url", ""),
            "status": row["status"],
            "verified_on": _date(row, "assured_date"),
        }
        record.terms = facts.terms(pk)
        return [record]

    def _organization_identifier(self, pk: uuid.UUID, row: Row, record: Record) -> list[Record]:
        record.fields = {
            "organization_id": _id(row, "organization_id"),
            "identifier_scheme": row.get("identifier_scheme", ""),
            "identifier_type": row["identifier_type"],
            "identifier": row["identifier"],
        }
        return [record]

    def _contact(self, pk: uuid.UUID, row: Row, record: Record) -> list[Record]:
        service_id = _id(row, "service_id")
        organization_id = _id(row, "organization_id")
        if service_id is None and organization_id is None:
            service_id = self._service_of(row)
        record.fields = {
            "organization_id": organization_id,
            "service_id": service_id,
            "name": row.get("name") or row.get("title") or row.get("department", ""),
            "title": row.get("title", ""),
            "department": row.get("department", ""),
            "email": row.get("email", ""),
            "is_public": bool(self.checked.attributes.flag(pk, Term.LISTED_PUBLICLY)),
        }
        return [record]

    def _service_of(self, row: Row) -> uuid.UUID | None:
        sal = _id(row, "service_at_location_id")
        service = self.checked.sal_service.get(sal.int) if sal is not None else None
        return uuid.UUID(int=service) if service is not None else None

    # Places

    def location_area(self, location_id: uuid.UUID) -> int | None:
        # Not cached: placing is a few dict look-ups, and a cache would hold every location.
        code = self.checked.attributes.fact(location_id, Term.AREA)
        areas = self.checked.areas
        area, _how = self.checked.placement.place(
            location_id, areas.by_code[code] if code else None, areas
        )
        return area.id if area is not None else None

    def _location(self, pk: uuid.UUID, row: Row, record: Record) -> list[Record]:
        english = self.checked.attributes.english(pk)
        latitude = parse_coordinate(row["latitude"]) if row.get("latitude") else None
        longitude = parse_coordinate(row["longitude"]) if row.get("longitude") else None
        record.fields = {
            "organization_id": _id(row, "organization_id"),
            "location_type": row["location_type"],
            "name": row.get("name", ""),
            "description_ms": row.get("description", ""),
            "description_en": english.get("description", ""),
            "transportation_ms": row.get("transportation", ""),
            "transportation_en": english.get("transportation", ""),
            "latitude": latitude,
            "longitude": longitude,
            "is_confidential": bool(self.checked.attributes.flag(pk, Term.CONFIDENTIAL)),
        }
        area = self.location_area(pk)
        findings = self.checked.findings
        if pk.int in self.checked.placement.outside:
            findings.note(
                record.file, record.row, "latitude", _("the coordinates lie in no DOSM district")
            )
        if area is not None:
            record.fields["area_id"] = area
        else:
            findings.note(
                record.file,
                record.row,
                "id",
                _(
                    "location not placed in any DOSM area (no coordinates in a district, area "
                    "attribute, service area or address naming one)"
                ),
            )
        return [record]

    def _address(self, pk: uuid.UUID, row: Row, record: Record) -> list[Record]:
        location_id = _id(row, "location_id")
        if location_id is None:
            return []
        record.fields = {
            "location_id": location_id,
            "address_type": row["address_type"],
            "attention": row.get("attention", ""),
            "address_1": row["address_1"],
            "address_2": row.get("address_2", ""),
            "city": row.get("city", ""),
            "region": row.get("region", ""),
            "state_province": row.get("state_province", ""),
            "postal_code": row.get("postal_code", ""),
            "country": row["country"].upper(),
        }
        return [record]

    def postcode_less_addresses(self, file: str) -> list[Record]:
        """Addresses that travelled in a location's address-without-postcode attribute."""
        records = []
        for location_id, address in self.checked.attributes.postcode_less:
            pk = uuid.UUID(address["id"])
            fields = {
                "location_id": uuid.UUID(int=location_id),
                "address_type": address.get("address_type") or "physical",
                "attention": address.get("attention", ""),
                "address_1": address["address_1"],
                "address_2": address.get("address_2", ""),
                "city": address.get("city", ""),
                "region": address.get("region", ""),
                "state_province": address.get("state_province", ""),
                "postal_code": "",
                "country": (address.get("country") or "MY").upper(),
            }
            row = str(uuid.UUID(int=location_id))
            records.append(Record(pk=pk, fields=fields, file=file, row=row))
        return records

    def _service_at_location(self, pk: uuid.UUID, row: Row, record: Record) -> list[Record]:
        record.fields = {
            "service_id": _id(row, "service_id"),
            "location_id": _id(row, "location_id"),
            "description": row.get("description", ""),
        }
        return [record]

    def _accessibility(self, pk: uuid.UUID, row: Row, record: Record) -> list[Record]:
        location_id = _id(row, "location_id")
        if location_id is None:
            return []
        english = self.checked.attributes.english(pk)
        record.fields = {
            "location_id": location_id,
            "description_ms": row.get("description", ""),
            "description_en": english.get("description", ""),
            "details": row.get("details", ""),
            "url": row.get("url", ""),
        }
        return [record]

    def _service_area(self, pk: uuid.UUID, row: Row, record: Record) -> list[Record]:
        service_id = _id(row, "service_id")
        area = self.checked.areas.service_area(row.get("uri", ""), row.get("name", ""))
        if service_id is None or area is None:
            return []
        record.fields = {
            "service_id": service_id,
            "area_id": area.id,
            "description": row.get("description", ""),
        }
        return [record]

    # Phones, hours, languages

    def _phone(self, pk: uuid.UUID, row: Row, record: Record) -> list[Record]:
        facts = self.checked.attributes
        kind = row.get("type", "").lower()
        number, _reason = normalise_phone(row["number"], kind)
        if not kind:
            kind = "short_code" if number and number.isdigit() else "voice"
        owners = {
            name: _id(row, name)
            for name in ("organization_id", "service_id", "location_id", "contact_id")
        }
        if not any(owners.values()):
            owners["service_id"] = self._service_of(row)
        extension = row.get("extension", "")
        if extension and float(extension).is_integer():
            extension = str(int(float(extension)))
        record.fields = {
            **owners,
            "kind": kind,
            "number": number,
            "extension": extension,
            "description_ms": row.get("description", ""),
            "description_en": facts.english(pk).get("description", ""),
            "is_confidential": bool(facts.flag(pk, Term.CONFIDENTIAL)),
        }
        return [record]

    def _schedule(self, pk: uuid.UUID, row: Row, record: Record) -> list[Record]:
        if row.get("freq") != "WEEKLY" or not row.get("byday"):
            return []
        opens_at = parse_time(row.get("opens_at", ""))
        closes_at = parse_time(row.get("closes_at", ""))
        if opens_at is None or closes_at is None:
            return []
        service_id, location_id = _id(row, "service_id"), _id(row, "location_id")
        if service_id is None and location_id is None:
            service_id = self._service_of(row)
            if service_id is None:
                return []
        all_day = opens_at == profile.ALL_DAY_OPENS and closes_at == profile.ALL_DAY_CLOSES
        days = [code.strip() for code in row["byday"].split(",") if code.strip()]
        records = []
        for code in dict.fromkeys(days):
            day_pk = pk if len(days) == 1 else profile.profile_uuid("schedule", pk, code)
            fields = {
                "service_id": service_id,
                "location_id": location_id,
                "weekday": profile.WEEKDAYS_BY_CODE[code],
                "all_day": all_day,
                "opens_at": None if all_day else opens_at,
                "closes_at": None if all_day else closes_at,
                "valid_from": _date(row, "valid_from"),
                "valid_to": _date(row, "valid_to"),
            }
            records.append(Record(pk=day_pk, fields=fields, file=record.file, row=record.row))
        return records

    def _language(self, pk: uuid.UUID, row: Row, record: Record) -> list[Record]:
        if not row.get("name") and not row.get("code"):
            return []
        record.fields = {
            "service_id": _id(row, "service_id"),
            "location_id": _id(row, "location_id"),
            "phone_id": _id(row, "phone_id"),
            "code": row.get("code", ""),
            "name": row.get("name") or row.get("code", ""),
            "note": row.get("note", ""),
        }
        return [record]

    # Taxonomies

    def _taxonomy(self, pk: uuid.UUID, row: Row, record: Record) -> list[Record]:
        if pk == profile.PROFILE_TAXONOMY_ID:
            return []  # the profile's own vocabulary is recognised by its ids, never stored
        english = self.checked.attributes.english(pk)
        record.fields = {
            "name_ms": row["name"],
            "name_en": english.get("name", ""),
            "description_ms": _unless_name(row.get("description", ""), row["name"]),
            "description_en": english.get("description", ""),
            "uri": row.get("uri", ""),
            "version": row.get("version", ""),
        }
        hint = self.checked.taxonomy_code_hint.get(pk.int, "")
        record.defaults["code"] = lambda: self._taxonomy_code(hint or row["name"])
        return [record]

    def _taxonomy_code(self, wanted: str) -> str:
        if self._taxonomy_codes is None:
            self._taxonomy_codes = set(Taxonomy.objects.values_list("code", flat=True))
        return _unique_slug(wanted, self._taxonomy_codes)

    def _taxonomy_term(self, pk: uuid.UUID, row: Row, record: Record) -> list[Record]:
        taxonomy_id = _id(row, "taxonomy_id")
        if pk in profile.TERMS_BY_ID or taxonomy_id in (None, profile.PROFILE_TAXONOMY_ID):
            return []
        assert taxonomy_id is not None  # noqa: S101 (narrows the type: None returned above)
        english = self.checked.attributes.english(pk)
        record.fields = {
            "taxonomy_id": taxonomy_id,
            "name_ms": row["name"],
            "name_en": english.get("name", ""),
            "description_ms": _unless_name(row.get("description", ""), row["name"]),
            "description_en": english.get("description", ""),
            "parent_id": _id(row, "parent_id"),
        }
        wanted = row.get("code") or row["name"]
        record.defaults["code"] = lambda: self._term_code(taxonomy_id, wanted)
        return [record]

    def _term_code(self, taxonomy_id: uuid.UUID, wanted: str) -> str:
        if self._term_codes is None:
            self._term_codes = {}
            for owner, code in TaxonomyTerm.objects.values_list("taxonomy_id", "code"):
                self._term_codes.setdefault(owner, set()).add(code)
        return _unique_slug(wanted, self._term_codes.setdefault(taxonomy_id, set()))


def _unique_slug(wanted: str, taken: set[str]) -> str:
    base = (slugify(wanted) or "term")[:CODE_LENGTH]
    code, number = base, 1
    while code in taken:
        number += 1
        suffix = f"-{number}"
        code = base[: CODE_LENGTH - len(suffix)] + suffix
    taken.add(code)
    return code


def metadata_fields(row: Row) -> dict[str, Any]:
    """A metadata row as a ChangeRecord, kept with its id."""
    moment = parse_datetime(row["last_action_date"])
    assert moment is not None  # noqa: S101 (narrows the type: dates were checked before the import)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)

    def value(name: str) -> str:
        text = row.get(name, "")
        return "" if text == profile.EMPTY_METADATA_VALUE else text

    return {
        "resource_id": parse_uuid(row["resource_id"]),
        "resource_type": row["resource_type"],
        "last_action_date": moment,
        "last_action_type": row["last_action_type"].lower(),
        "field_name": row["field_name"],
        "previous_value": value("previous_value"),
        "replacement_value": value("replacement_value"),
        "updated_by": row["updated_by"],
    }
