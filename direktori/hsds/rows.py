"""Directory records as flat HSDS 3.0 rows (docs/hsds-profile.md), one function per HSDS table.

Every row has exactly the fields of its table in `spec/datapackage.json`, with JSON-ready values;
a field the directory does not know is None. The export writes these rows as CSV and the API nests
them, so both say the same thing. Build rows only from the querysets of `published.py`.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from direktori.areas.models import Area
from direktori.directory.models import (
    Accessibility,
    Address,
    Contact,
    Language,
    Location,
    Organization,
    OrganizationIdentifier,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

from . import profile
from .models import ChangeRecord
from .profile import Term

Row = dict[str, Any]

# The profile taxonomy has no row in the database; its terms name it by this code.
PROFILE_TAXONOMY_CODE = "direktori-cbo-profile"
PROFILE_TAXONOMY_DESCRIPTION = (
    "Terms of the Direktori CBO profile of HSDS 3.0: what HSDS has no field for travels as an "
    "attribute linked to one of these terms. See the profile document."
)


def _text(value: str | None) -> str | None:
    return value or None


def _id(value: uuid.UUID | None) -> str | None:
    return str(value) if value is not None else None


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _datetime(value: datetime.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value is not None else None


def _time(value: datetime.time | None) -> str | None:
    return value.strftime("%H:%M:%S") if value is not None else None


def _area_of_kind(area: Area | None, kind: str) -> Area | None:
    """The area itself or its nearest ancestor of that kind; walks the select_related parents."""
    while area is not None:
        if area.kind == kind:
            return area
        area = area.parent
    return None


def organization_row(organization: Organization) -> Row:
    return {
        "id": str(organization.id),
        "name": organization.name,
        "alternate_name": _text(organization.alternate_name),
        # HSDS requires a description; the profile repeats the name when there is none.
        "description": organization.description_ms or organization.name,
        "email": _text(organization.email),
        "website": _text(organization.website),
        "tax_status": None,
        "tax_id": None,
        "year_incorporated": None,
        "legal_status": None,
        "logo": None,
        "uri": None,
        "parent_organization_id": _id(organization.parent_organization_id),
    }


def service_row(service: Service) -> Row:
    return {
        "id": str(service.id),
        "organization_id": str(service.organization_id),
        "program_id": None,
        "name": service.name,
        "alternate_name": _text(service.alternate_name),
        "description": _text(service.description_ms),
        "url": _text(service.url),
        "email": _text(service.email),
        "status": service.status,
        "interpretation_services": None,
        "application_process": _text(service.application_process_ms),
        "fees_description": _text(service.fees_ms),
        "wait_time": None,
        "fees": None,
        "accreditations": None,
        "eligibility_description": _text(service.eligibility_ms),
        "minimum_age": None,
        "maximum_age": None,
        "assured_date": _date(service.verified_on),
        "assurer_email": None,  # officers' addresses are not published
        "licenses": None,
        "alert": None,
        "last_modified": _datetime(service.updated_at),
    }


def location_row(location: Location) -> Row:
    return {
        "id": str(location.id),
        "location_type": location.location_type,
        "url": None,
        "organization_id": _id(location.organization_id),
        "name": _text(location.name),
        "alternate_name": None,
        "description": _text(location.description_ms),
        "transportation": _text(location.transportation_ms),
        "latitude": float(location.latitude) if location.latitude is not None else None,
        "longitude": float(location.longitude) if location.longitude is not None else None,
        "external_identifier": None,
        "external_identifier_type": None,
    }


def address_row(address: Address) -> Row | None:
    """None when the postcode is unknown: HSDS requires one, so such an address travels in an
    attribute of its location instead (`attribute_rows_for`)."""
    if not address.postal_code:
        return None
    area = address.location.area
    district = _area_of_kind(area, Area.Kind.DISTRICT)
    state = _area_of_kind(area, Area.Kind.STATE)
    city = address.city or (area.name_ms if area is not None else "") or address.region
    return {
        "id": str(address.id),
        "location_id": str(address.location_id),
        "attention": _text(address.attention),
        "address_1": address.address_1,
        "address_2": _text(address.address_2),
        "city": city or None,
        "region": address.region or (district.name_ms if district else None),
        "state_province": address.state_province or (state.name_ms if state else None),
        "postal_code": address.postal_code,
        "country": address.country,
        "address_type": address.address_type,
    }


def _extension(value: str) -> int | None:
    # HSDS types the extension as a number; a non-numeric one cannot travel.
    return int(value) if value.isdigit() else None


def phone_row(phone: Phone) -> Row:
    return {
        "id": str(phone.id),
        "location_id": _id(phone.location_id),
        "service_id": _id(phone.service_id),
        "organization_id": _id(phone.organization_id),
        "contact_id": _id(phone.contact_id),
        "service_at_location_id": None,
        "number": phone.number,
        "extension": _extension(phone.extension),
        "type": phone.kind,
        "description": _text(phone.description_ms),
    }


def contact_row(contact: Contact) -> Row:
    return {
        "id": str(contact.id),
        "organization_id": _id(contact.organization_id),
        "service_id": _id(contact.service_id),
        "service_at_location_id": None,
        "location_id": None,
        "name": _text(contact.name),
        "title": _text(contact.title),
        "department": _text(contact.department),
        "email": _text(contact.email),
    }


def schedule_row(schedule: Schedule) -> Row:
    opens_at: datetime.time | None
    closes_at: datetime.time | None
    if schedule.all_day:
        opens_at, closes_at = profile.ALL_DAY_OPENS, profile.ALL_DAY_CLOSES
    else:
        opens_at, closes_at = schedule.opens_at, schedule.closes_at
    return {
        "id": str(schedule.id),
        "service_id": _id(schedule.service_id),
        "location_id": _id(schedule.location_id),
        "service_at_location_id": None,
        "valid_from": _date(schedule.valid_from),
        "valid_to": _date(schedule.valid_to),
        "dtstart": None,
        "timezone": None,
        "until": None,
        "count": None,
        "wkst": None,
        "freq": "WEEKLY",
        "interval": None,
        "byday": profile.WEEKDAY_CODES[schedule.weekday],
        "byweekno": None,
        "bymonthday": None,
        "byyearday": None,
        "description": None,
        "opens_at": _time(opens_at),
        "closes_at": _time(closes_at),
        "schedule_link": None,
        "attending_type": None,
        "notes": None,
    }


def service_area_row(service_area: ServiceArea) -> Row:
    return {
        "id": str(service_area.id),
        "service_id": str(service_area.service_id),
        "name": service_area.area.name_ms,
        "description": _text(service_area.description),
        "extent": None,
        "extent_type": None,
        "uri": profile.area_urn(service_area.area.code),
    }


def language_row(language: Language) -> Row:
    return {
        "id": str(language.id),
        "service_id": _id(language.service_id),
        "location_id": _id(language.location_id),
        "phone_id": _id(language.phone_id),
        "name": _text(language.name),
        "code": _text(language.code),
        "note": _text(language.note),
    }


def accessibility_row(accessibility: Accessibility) -> Row:
    return {
        "id": str(accessibility.id),
        "location_id": str(accessibility.location_id),
        "description": _text(accessibility.description_ms),
        "details": _text(accessibility.details),
        "url": _text(accessibility.url),
    }


def service_at_location_row(service_at_location: ServiceAtLocation) -> Row:
    return {
        "id": str(service_at_location.id),
        "service_id": str(service_at_location.service_id),
        "location_id": str(service_at_location.location_id),
        "description": _text(service_at_location.description),
    }


def taxonomy_row(taxonomy: Taxonomy) -> Row:
    return {
        "id": str(taxonomy.id),
        "name": taxonomy.name_ms,
        "description": taxonomy.description_ms or taxonomy.name_ms,  # required by HSDS
        "uri": _text(taxonomy.uri),
        "version": _text(taxonomy.version),
    }


def taxonomy_term_row(term: TaxonomyTerm) -> Row:
    """Needs `taxonomy` selected."""
    return {
        "id": str(term.id),
        "code": term.code,
        "name": term.name_ms,
        "description": term.description_ms or term.name_ms,  # required by HSDS
        "parent_id": _id(term.parent_id),
        "taxonomy": term.taxonomy.code,
        "language": "ms",
        "taxonomy_id": str(term.taxonomy_id),
        "term_uri": None,
    }


def organization_identifier_row(identifier: OrganizationIdentifier) -> Row:
    return {
        "id": str(identifier.id),
        "organization_id": str(identifier.organization_id),
        "identifier_scheme": _text(identifier.identifier_scheme),
        "identifier_type": identifier.identifier_type,
        "identifier": identifier.identifier,
    }


def metadata_row(record: ChangeRecord) -> Row:
    empty = profile.EMPTY_METADATA_VALUE
    return {
        "id": str(record.id),
        "resource_id": str(record.resource_id),
        "resource_type": record.resource_type,
        "last_action_date": timezone.localtime(record.last_action_date).date().isoformat(),
        "last_action_type": record.last_action_type,
        "field_name": record.field_name,
        "previous_value": record.previous_value or empty,
        "replacement_value": record.replacement_value or empty,
        "updated_by": record.updated_by or empty,
    }


def profile_taxonomy_rows() -> list[Row]:
    return [
        {
            "id": str(profile.PROFILE_TAXONOMY_ID),
            "name": profile.PROFILE_TAXONOMY_NAME,
            "description": PROFILE_TAXONOMY_DESCRIPTION,
            "uri": None,
            "version": profile.HSDS_VERSION,
        }
    ]


def profile_term_rows() -> list[Row]:
    return [
        {
            "id": str(profile.TERM_IDS[term]),
            "code": term.value,
            "name": term.value,
            "description": profile.TERM_DESCRIPTIONS[term],
            "parent_id": None,
            "taxonomy": PROFILE_TAXONOMY_CODE,
            "language": "en",
            "taxonomy_id": str(profile.PROFILE_TAXONOMY_ID),
            "term_uri": None,
        }
        for term in Term
    ]


# Which English field of a record carries the English of which HSDS field.
ENGLISH_FIELDS: dict[str, dict[str, str]] = {
    "organization": {"name": "name_en", "description": "description_en"},
    "service": {
        "name": "name_en",
        "description": "description_en",
        "eligibility_description": "eligibility_en",
        "application_process": "application_process_en",
        "fees_description": "fees_en",
        "hours_note": "hours_note_en",
    },
    "location": {"description": "description_en", "transportation": "transportation_en"},
    "phone": {"description": "description_en"},
    "accessibility": {"description": "description_en"},
    "taxonomy": {"name": "name_en", "description": "description_en"},
    "taxonomy_term": {"name": "name_en", "description": "description_en"},
}


def _attribute(entity_name: str, link_id: uuid.UUID, term: Term, value: str) -> Row:
    return _attribute_to(entity_name, link_id, profile.TERM_IDS[term], term.value, value)


def _attribute_to(
    entity_name: str, link_id: uuid.UUID, term_id: uuid.UUID, link_type: str, value: str | None
) -> Row:
    return {
        "id": str(profile.attribute_id(link_id, term_id)),
        "link_id": str(link_id),
        "taxonomy_term_id": str(term_id),
        "link_type": link_type,
        "link_entity": entity_name,
        "value": value,
    }


def _translation(entity_name: str, obj: Any) -> str | None:
    english = {
        hsds_field: getattr(obj, field)
        for hsds_field, field in ENGLISH_FIELDS.get(entity_name, {}).items()
        if getattr(obj, field, "")
    }
    return json.dumps(english, ensure_ascii=False) if english else None


def _organization_facts(organization: Organization) -> Iterable[tuple[Term, str]]:
    yield Term.ORGANIZATION_KIND, organization.kind
    yield Term.ORGANIZATION_STATUS, organization.status
    yield Term.AREA, organization.area.code
    if organization.is_demo:
        yield Term.DEMO_DATA, "true"
    if organization.source:
        yield Term.SOURCE, organization.source
    if organization.verified_on:
        yield Term.VERIFIED_ON, organization.verified_on.isoformat()


def _facts(entity_name: str, obj: Any) -> Iterable[tuple[Term, str]]:
    if entity_name == "organization":
        yield from _organization_facts(obj)
    elif entity_name == "service" and obj.hours_note_ms:
        yield Term.HOURS_NOTE, obj.hours_note_ms
    elif entity_name == "location" and obj.area_id is not None:
        yield Term.AREA, obj.area.code
    elif entity_name == "contact" and obj.is_public:
        yield Term.LISTED_PUBLICLY, "true"


def _addresses_without_postcode(location: Location) -> list[Row]:
    """HSDS requires a postcode; an address without one travels in an attribute (the profile)."""
    term_id = profile.TERM_IDS[Term.ADDRESS_WITHOUT_POSTCODE]
    found = []
    addresses = getattr(location, "addresses_without_postcode", None)
    if addresses is None:
        addresses = location.addresses.filter(postal_code="").order_by("id")
    for address in addresses:
        value = {
            "id": str(address.id),
            "address_type": address.address_type,
            "attention": address.attention,
            "address_1": address.address_1,
            "address_2": address.address_2,
            "city": address.city,
            "region": address.region,
            "state_province": address.state_province,
            "country": address.country,
        }
        row = _attribute_to(
            "location",
            location.id,
            term_id,
            Term.ADDRESS_WITHOUT_POSTCODE.value,
            json.dumps(value, ensure_ascii=False),
        )
        row["id"] = str(profile.attribute_id(address.id, term_id))
        found.append(row)
    return found


def attribute_rows_for(entity_name: str, obj: Any) -> list[Row]:
    """The profile attributes of one record. Organisations and locations need `area` selected,
    locations their `addresses_without_postcode`; services need `terms` prefetched with their
    taxonomy (see published.py)."""
    rows = [
        _attribute(entity_name, obj.id, term, value) for term, value in _facts(entity_name, obj)
    ]
    if entity_name == "location":
        rows += _addresses_without_postcode(obj)
    if entity_name == "service":
        rows += [
            _attribute_to("service", obj.id, term.id, term.taxonomy.code, None)
            for term in sorted(obj.terms.all(), key=lambda term: str(term.id))
        ]
    translation = _translation(entity_name, obj)
    if translation is not None:
        rows.append(_attribute(entity_name, obj.id, Term.TRANSLATION_EN, translation))
    return rows
