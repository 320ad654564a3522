"""Attributes of an imported package: the profile's facts (kind, area, English text, …) and the
taxonomy terms of services, checked and indexed by the record they describe."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import TypeVar, cast

from django.utils.translation import gettext as _

from direktori.directory.models import Organization
from direktori.directory.models.organisations import Status

from . import profile
from .places import AreaIndex
from .profile import Term
from .validation import parse_date, parse_uuid

# HSDS field -> longest English text the directory keeps for it, per record.
ENGLISH_LIMITS: dict[str, dict[str, int | None]] = {
    "organization": {"name": 250, "description": None},
    "service": {
        "name": 250,
        "description": None,
        "eligibility_description": None,
        "application_process": None,
        "fees_description": 250,
        "hours_note": 250,
    },
    "location": {"description": None, "transportation": None},
    "phone": {"description": 200},
    "accessibility": {"description": 250},
    "taxonomy": {"name": 200, "description": None},
    "taxonomy_term": {"name": 200, "description": None},
}

# Which records each profile term may describe.
TERM_ENTITIES: dict[Term, set[str]] = {
    Term.ORGANIZATION_KIND: {"organization"},
    Term.ORGANIZATION_STATUS: {"organization"},
    Term.AREA: {"organization", "location"},
    Term.DEMO_DATA: {"organization"},
    Term.SOURCE: {"organization"},
    Term.VERIFIED_ON: {"organization"},
    Term.HOURS_NOTE: {"service"},
    Term.TRANSLATION_EN: set(ENGLISH_LIMITS),
    Term.LISTED_PUBLICLY: {"contact"},
    Term.CONFIDENTIAL: {"location", "phone"},
    Term.APPOINTED_BY: set(),  # reserved for the CBO register; not kept yet
    Term.ADDRESS_WITHOUT_POSTCODE: {"location"},
}
ADDRESS_FIELDS = {
    "id": None,
    "address_type": None,
    "attention": 200,
    "address_1": 250,
    "address_2": 250,
    "city": 120,
    "region": 120,
    "state_province": 120,
    "country": 2,
}
ADDRESS_TYPES = {"physical", "postal", "virtual"}
BOOLEAN_TERMS = {Term.DEMO_DATA, Term.LISTED_PUBLICLY, Term.CONFIDENTIAL}
BOOLEAN_VALUES = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}
Shared = TypeVar("Shared")


# A fact's key is its record's id (uuid.int) and its term's number in these low bits: one flat
# dict of ints holds a package's facts in far less memory than a dict per record keyed by UUIDs.
TERM_NUMBERS = {term: number for number, term in enumerate(Term)}
TERM_BITS = 4
assert len(TERM_NUMBERS) <= 1 << TERM_BITS  # noqa: S101 (an invariant of constants, not of input)
# Values of these terms come from short vocabularies: each distinct value is kept once.
SHARED_VALUES = {Term.ORGANIZATION_KIND, Term.ORGANIZATION_STATUS, Term.AREA} | BOOLEAN_TERMS


def _fact_key(link_id: uuid.UUID, term: Term) -> int:
    return link_id.int << TERM_BITS | TERM_NUMBERS[term]


@dataclass
class AttributeIndex:
    """(link_id, term) -> the profile fact, and service -> its taxonomy terms."""

    facts: dict[int, str] = field(default_factory=dict)
    # service (uuid.int) -> its terms; equal tuples are one object, shared by the services
    service_terms: dict[int, tuple[uuid.UUID, ...]] = field(default_factory=dict)
    # (location id as uuid.int, address row) of the addresses whose postcode is not known
    postcode_less: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    _shared: dict[object, object] = field(default_factory=dict)

    def fact(self, link_id: uuid.UUID, term: Term) -> str | None:
        return self.facts.get(_fact_key(link_id, term))

    def terms(self, service_id: uuid.UUID) -> list[uuid.UUID]:
        return list(self.service_terms.get(service_id.int, ()))

    def shared(self, value: Shared) -> Shared:
        """The one object equal to value (a term id, a tuple of term ids, a short value)."""
        return cast(Shared, self._shared.setdefault(value, value))

    def flag(self, link_id: uuid.UUID, term: Term) -> bool | None:
        value = self.fact(link_id, term)
        return None if value is None else BOOLEAN_VALUES[value.strip().lower()]

    def english(self, link_id: uuid.UUID) -> dict[str, str]:
        value = self.fact(link_id, Term.TRANSLATION_EN)
        return json.loads(value) if value else {}


def check_attribute(
    *,
    entity: str,
    link_id: uuid.UUID,
    term_id: uuid.UUID,
    value: str,
    areas: AreaIndex,
    index: AttributeIndex,
) -> tuple[str, str] | None:
    """Index one attribute. Returns ("problem" | "note", reason) when it is wrong or not kept."""
    term = profile.TERMS_BY_ID.get(term_id)
    if term is None:
        if entity != "service":
            return "note", _(
                "terms linked to a %(entity)s are not kept (only services have terms)"
            ) % {"entity": entity}
        terms = index.service_terms.get(link_id.int, ())
        if term_id not in terms:
            index.service_terms[link_id.int] = index.shared((*terms, index.shared(term_id)))
        return None
    if entity not in TERM_ENTITIES[term]:
        return "note", _("the profile term “%(term)s” on a %(entity)s is not kept") % {
            "term": term.value,
            "entity": entity,
        }
    reason = _check_value(term, entity, value, areas)
    if reason is not None:
        return "problem", reason
    if term == Term.ADDRESS_WITHOUT_POSTCODE:
        index.postcode_less.append((link_id.int, json.loads(value)))
        return None
    value = value.strip()
    if term in SHARED_VALUES:
        value = index.shared(value)
    index.facts[_fact_key(link_id, term)] = value
    return None


def _check_value(term: Term, entity: str, value: str, areas: AreaIndex) -> str | None:
    value = value.strip()
    if term in BOOLEAN_TERMS:
        if value.lower() not in BOOLEAN_VALUES:
            return _("“%(value)s” is neither true nor false") % {"value": value}
        return None
    if term == Term.ORGANIZATION_KIND and value not in Organization.Kind.values:
        return _("“%(value)s” is not a kind of organisation: %(allowed)s") % {
            "value": value,
            "allowed": ", ".join(Organization.Kind.values),
        }
    if term == Term.ORGANIZATION_STATUS and value not in Status.values:
        return _("“%(value)s” is not a status: %(allowed)s") % {
            "value": value,
            "allowed": ", ".join(Status.values),
        }
    if term == Term.AREA and value not in areas.by_code:
        return _("“%(value)s” is not the code of a DOSM area the directory knows") % {
            "value": value
        }
    if term == Term.VERIFIED_ON and parse_date(value) is None:
        return _("“%(value)s” is not a date (write it as 2024-12-31)") % {"value": value}
    limits = {Term.SOURCE: 400, Term.HOURS_NOTE: 250}
    if term in limits and len(value) > limits[term]:
        return _("is %(length)d characters long; at most %(limit)d fit") % {
            "length": len(value),
            "limit": limits[term],
        }
    if term == Term.TRANSLATION_EN:
        return _check_translation(entity, value)
    if term == Term.ADDRESS_WITHOUT_POSTCODE:
        return _check_address(value)
    return None


def _check_address(value: str) -> str | None:
    try:
        address = json.loads(value)
    except ValueError:
        address = None
    if not isinstance(address, dict) or not all(isinstance(v, str) for v in address.values()):
        return _("the address must be a JSON object of the fields of an address row")
    if parse_uuid(address.get("id", "")) is None:
        return _("the address needs an id (a UUID)")
    if not address.get("address_1"):
        return _("the address needs address_1")
    if address.get("address_type", "physical") not in ADDRESS_TYPES:
        return _("“%(value)s” is not one of the allowed values: %(allowed)s") % {
            "value": address["address_type"],
            "allowed": ", ".join(sorted(ADDRESS_TYPES)),
        }
    for name, text in address.items():
        if name not in ADDRESS_FIELDS:
            return _("“%(field)s” is not a field of an address without postcode") % {"field": name}
        limit = ADDRESS_FIELDS[name]
        if limit is not None and len(text) > limit:
            return _("the %(field)s is %(length)d characters long; at most %(limit)d fit") % {
                "field": name,
                "length": len(text),
                "limit": limit,
            }
    return None


def _check_translation(entity: str, value: str) -> str | None:
    try:
        english = json.loads(value)
    except ValueError:
        english = None
    if not isinstance(english, dict) or not all(isinstance(text, str) for text in english.values()):
        return _(
            "the English text must be a JSON object from field name to text, for example "
            '{"name": "Sepang District Welfare Office"}'
        )
    limits = ENGLISH_LIMITS[entity]
    for hsds_field, text in english.items():
        if hsds_field not in limits:
            return _("“%(field)s” has no English version in the directory") % {"field": hsds_field}
        limit = limits[hsds_field]
        if limit is not None and len(text) > limit:
            return _(
                "the English %(field)s is %(length)d characters long; at most %(limit)d fit"
            ) % {"field": hsds_field, "length": len(text), "limit": limit}
    return None
