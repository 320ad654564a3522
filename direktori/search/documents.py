"""From services to search rows: what each service contributes to the index.

Only public facts are read (`sources`): never a confidential location, address or phone. The text
is normalised by `text.index_text`, the same rules the query goes through. Rows are plain tuples in
the order of the `*_COLUMNS` below; `indexing` writes them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.utils import translation

from direktori.directory.models import Organization
from direktori.directory.models.organisations import Status

from . import text, tokens
from .sources import AreaNames, Opening, ServiceFacts

MINUTES_PER_DAY = 24 * 60
NAMES = 16384  # names of areas, places and terms remembered once worked out (`_index_names`)
KIND_LABELS = dict(Organization.Kind.choices)

DOCUMENT_COLUMNS = (
    "service_id",
    "name",
    "organisation",
    "keywords",
    "places",
    "body",
    "phones",
    "title",
    "heading",
    "subtitle",
    "base_path",
    "verified_on",
    "active",
    "facets",
)
FACET_COLUMNS = ("service_id", "key")
PLACE_COLUMNS = ("service_id", "latitude", "longitude")
HOURS_COLUMNS = ("service_id", "weekday", "opens", "closes", "valid_from", "valid_to")


def area_facet(code: str) -> str:
    return f"a:{code}"


def term_facet(term_id: object) -> str:
    return f"t:{term_id}"


@dataclass
class Rows:
    documents: list[tuple[Any, ...]] = field(default_factory=list)
    facets: list[tuple[Any, str]] = field(default_factory=list)
    places: list[tuple[Any, float, float]] = field(default_factory=list)
    hours: list[tuple[Any, ...]] = field(default_factory=list)
    words: set[str] = field(default_factory=set)  # surface words of the text
    stems: set[str] = field(default_factory=set)


def add_service(rows: Rows, facts: ServiceFacts, areas: AreaNames) -> None:
    service, organization = facts.row, facts.organization.row
    service_id = service["id"]
    places = facts.public_places
    term_names = [name for _, name_ms, name_en in facts.terms for name in (name_ms, name_en)]
    codes, place_names = _place_names(facts, areas)
    texts = _full_texts(facts, term_names, place_names)
    active = service["status"] == Status.ACTIVE and organization["status"] == Status.ACTIVE
    term_ids = [term_id for term_id, *_ in facts.terms]
    positions = list(
        dict.fromkeys(
            (float(place.latitude), float(place.longitude))
            for place in places
            if place.latitude is not None and place.longitude is not None
        )
    )
    numbers = [*facts.phones, *facts.organization.phones]
    numbers += [number for place in places for number in place.phones]
    rows.documents.append(
        (
            service_id,
            *texts,
            " ".join(dict.fromkeys(text.phone_digits(number) for number in numbers)),
            text.fold(service["name"])[:250],
            _words(service["name"], service["name_en"], service["alternate_name"]),
            _words(organization["name"], organization["name_en"], organization["alternate_name"]),
            areas.path_of[organization["area_id"]],
            service["verified_on"] or organization["verified_on"],
            active,
            tokens.document(codes, term_ids, positions, active=active),
        )
    )
    rows.facets += [(service_id, area_facet(code)) for code in sorted(codes)]
    rows.facets += [(service_id, term_facet(term_id)) for term_id in term_ids]
    rows.places += [(service_id, *position) for position in positions]
    openings = facts.openings or [opening for place in places for opening in place.openings]
    for opening in openings:
        rows.hours += _hours_rows(service_id, opening)
    for value in texts:
        rows.stems.update(value.split())
    for source in (
        service["name"],
        service["name_en"],
        service["alternate_name"],
        organization["name"],
        organization["name_en"],
        organization["alternate_name"],
        service["description_ms"],
        service["description_en"],
    ):
        rows.words.update(_surface_words(source))
    for name in dict.fromkeys([*place_names, *term_names]):
        rows.words.update(_name_words(name))


def _full_texts(facts: ServiceFacts, term_names: list[str], place_names: list[str]) -> list[str]:
    """The fields the full-text index reads: name, organisation, keywords, places, body."""
    service, organization = facts.row, facts.organization.row
    return [
        text.index_text(service["name"], service["name_en"], service["alternate_name"]),
        text.index_text(
            organization["name"],
            organization["name_en"],
            organization["alternate_name"],
            organization["parent_organization__name"] or "",
        ),
        _index_names([*term_names, *_both_languages(_kind_display(organization["kind"]))]),
        _index_names(name for name in place_names if name),
        text.index_text(
            service["description_ms"],
            service["description_en"],
            service["eligibility_ms"],
            service["eligibility_en"],
            service["application_process_ms"],
            service["application_process_en"],
            organization["description_ms"],
            organization["description_en"],
        ),
    ]


def _place_names(facts: ServiceFacts, areas: AreaNames) -> tuple[set[str], list[str]]:
    """The codes of every area the service is in or serves (with their ancestors), and the
    names of those areas and of its public places and addresses."""
    places = facts.public_places
    area_ids = [facts.organization.row["area_id"]]
    area_ids += [place.area_id for place in places if place.area_id is not None]
    area_ids += facts.served_area_ids
    codes: set[str] = set()
    names: list[str] = []
    for area_id in area_ids:
        for code, name_ms, name_en in areas.lineage(areas.path_of[area_id]):
            codes.add(code)
            names += [name_ms, name_en]
    for place in places:
        names.append(place.name)
        for address in place.addresses:
            names += address
    return codes, names


def _index_names(names: Iterable[str]) -> str:
    """`text.index_text(*names)`, each name worked out once: the same names of areas, places and
    terms come back service after service."""
    return " ".join(indexed for indexed in map(_index_name, names) if indexed)


@lru_cache(maxsize=NAMES)
def _index_name(name: str) -> str:
    return text.index_text(name)


def _surface_words(source: str) -> list[str]:
    return [word for word in text.content_words(source) if not word.isdigit()]


@lru_cache(maxsize=NAMES)
def _name_words(name: str) -> tuple[str, ...]:
    return tuple(_surface_words(name))


def _both_languages(choice: object) -> list[str]:
    labels = []
    for language in ("ms", "en"):
        with translation.override(language):
            labels.append(str(choice))
    return labels


def _kind_display(kind: str) -> object:
    """The kind's label not yet translated, so that `_both_languages` gives it in each (a str
    here indexed one language twice, whichever was active)."""
    return KIND_LABELS.get(kind, kind)


def _words(*names: str) -> str:
    return " ".join(word for name in names for word in text.content_words(name))


def _minutes(value: datetime.time) -> int:
    return value.hour * 60 + value.minute


def _hours_rows(service_id: Any, opening: Opening) -> list[tuple[Any, ...]]:
    def row(weekday: int, opens: int, closes: int) -> tuple[Any, ...]:
        return (service_id, weekday, opens, closes, opening.valid_from, opening.valid_to)

    if opening.all_day or opening.opens_at is None or opening.closes_at is None:
        return [row(opening.weekday, 0, MINUTES_PER_DAY)]
    opens, closes = _minutes(opening.opens_at), _minutes(opening.closes_at)
    if closes > opens:
        return [row(opening.weekday, opens, closes)]
    # Past midnight: the evening, then the small hours of the next day.
    next_day = opening.weekday % 7 + 1
    return [row(opening.weekday, opens, MINUTES_PER_DAY), row(next_day, 0, closes)]
