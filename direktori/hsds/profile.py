"""The Malaysian HSDS profile (docs/hsds-profile.md) as constants both directions share.

Everything HSDS 3.0 has no field for (the kind of organisation, its DOSM area, English text, demo
data, …) travels as an `attribute` whose `taxonomy_term_id` is one of the profile terms below and
whose `value` carries the data. The ids are fixed uuid5s, so every export names them the same way.
"""

from __future__ import annotations

import uuid
from datetime import time
from enum import StrEnum

HSDS_VERSION = "3.0"
PROFILE_PATH = "/api/hsds/profile"

PROFILE_NAMESPACE = uuid.UUID("b1d6c1f0-5a3e-5c57-9f3e-7d2a0e4c9b61")


def profile_uuid(*parts: object) -> uuid.UUID:
    """A stable id for a record the profile itself defines or derives."""
    return uuid.uuid5(PROFILE_NAMESPACE, "/".join(str(part) for part in parts))


PROFILE_TAXONOMY_ID = profile_uuid("taxonomy")
PROFILE_TAXONOMY_NAME = "Direktori CBO profile attributes"


class Term(StrEnum):
    """Profile attribute terms. The value column of the attribute holds the data."""

    ORGANIZATION_KIND = "organization-kind"  # organization: cbo | government | ngo | hotline
    ORGANIZATION_STATUS = "organization-status"  # organization: active | inactive | …
    AREA = "area"  # organization, location: DOSM area code (10_7, 10_7:dengkil, …)
    DEMO_DATA = "demo-data"  # organization: "true" for fictional demo records
    SOURCE = "source"  # organization: where the information comes from
    VERIFIED_ON = "verified-on"  # organization: ISO date last confirmed true
    HOURS_NOTE = "hours-note"  # service: opening-hours note in Malay
    TRANSLATION_EN = "translation-en"  # any entity: JSON object of HSDS field -> English text
    LISTED_PUBLICLY = "listed-publicly"  # contact: "true" = the person agreed to be listed
    CONFIDENTIAL = "confidential"  # location, phone: "true"; import only, never exported
    APPOINTED_BY = "appointed-by"  # organization (CBO): KPWKM | MPKK | JPKK | JKM | lain
    ADDRESS_WITHOUT_POSTCODE = "address-without-postcode"  # location: JSON of an address row


TERM_IDS: dict[Term, uuid.UUID] = {term: profile_uuid("term", term.value) for term in Term}
TERMS_BY_ID: dict[uuid.UUID, Term] = {term_id: term for term, term_id in TERM_IDS.items()}

TERM_DESCRIPTIONS: dict[Term, str] = {
    Term.ORGANIZATION_KIND: "Kind of organisation: cbo, government, ngo or hotline.",
    Term.ORGANIZATION_STATUS: "Status of the organisation: active, inactive, defunct or "
    "temporarily closed.",
    Term.AREA: "DOSM area code of the organisation's home area or the location's area "
    "(state 10, district 10_7, mukim or locality 10_7:dengkil).",
    Term.DEMO_DATA: "true when the record is fictional demonstration data.",
    Term.SOURCE: "Where the information about the organisation comes from.",
    Term.VERIFIED_ON: "ISO date on which the organisation's entry was last confirmed true.",
    Term.HOURS_NOTE: "A note on the service's opening hours, in Malay.",
    Term.TRANSLATION_EN: "JSON object mapping HSDS field names of the linked record to their "
    "English text; the HSDS fields themselves hold Malay.",
    Term.LISTED_PUBLICLY: "true when the contact person agreed to be listed publicly.",
    Term.CONFIDENTIAL: "true for a location or phone that must never be published "
    "(shelters, safe houses). Read on import; such records are never exported.",
    Term.APPOINTED_BY: "Body that appointed the CBO: KPWKM, MPKK, JPKK, JKM or lain.",
    Term.ADDRESS_WITHOUT_POSTCODE: "An address of the location whose postcode is not known, "
    "which the HSDS address table cannot hold: a JSON object with the fields of an address row "
    "(id, address_type, attention, address_1, address_2, city, region, state_province, country).",
}


def attribute_id(link_id: uuid.UUID | str, term_id: uuid.UUID | str) -> uuid.UUID:
    """The id of the attribute linking a record to a term: one per (record, term)."""
    return profile_uuid("attribute", link_id, term_id)


# Service areas name their DOSM area by this URI; the code is the Area.code (10_7, 10_7:dengkil).
AREA_URN_PREFIX = "urn:x-my-dosm:area:"


def area_urn(code: str) -> str:
    return f"{AREA_URN_PREFIX}{code}"


def area_code_from_urn(uri: str) -> str | None:
    return uri.removeprefix(AREA_URN_PREFIX) if uri.startswith(AREA_URN_PREFIX) else None


# A day open around the clock is written as this pair of times.
ALL_DAY_OPENS = time(0, 0, 0)
ALL_DAY_CLOSES = time(23, 59, 59)

# Schedule.weekday (Monday 1 … Sunday 7) <-> the RRULE day codes of HSDS `byday`.
WEEKDAY_CODES: dict[int, str] = {1: "MO", 2: "TU", 3: "WE", 4: "TH", 5: "FR", 6: "SA", 7: "SU"}
WEEKDAYS_BY_CODE: dict[str, int] = {code: day for day, code in WEEKDAY_CODES.items()}

# HSDS requires both values of a metadata row; an empty one is written as this word.
EMPTY_METADATA_VALUE = "null"
