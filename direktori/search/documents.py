"""From services to search rows: what each active service contributes to the index.

Only public fields are read: never a confidential location, address or phone. The text is
normalised by `text.index_text`, the same rules the query goes through.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils import translation

from direktori.areas.models import Area
from direktori.directory.models import Location, Phone, Schedule, Service, TaxonomyTerm
from direktori.directory.models.organisations import Status

from . import text
from .models import SearchDocument, SearchFacet, SearchHours, SearchPlace

MINUTES_PER_DAY = 24 * 60


def area_facet(code: str) -> str:
    return f"a:{code}"


def term_facet(term_id: object) -> str:
    return f"t:{term_id}"


@dataclass
class Rows:
    documents: list[SearchDocument] = field(default_factory=list)
    facets: list[SearchFacet] = field(default_factory=list)
    places: list[SearchPlace] = field(default_factory=list)
    hours: list[SearchHours] = field(default_factory=list)
    words: set[str] = field(default_factory=set)  # surface words of the text
    stems: set[str] = field(default_factory=set)


class AreaNames:
    """Every area by path, loaded once per batch: names and ancestors without more queries."""

    def __init__(self) -> None:
        self.by_path = {
            area.path: area for area in Area.objects.only("code", "path", "name_ms", "name_en")
        }

    def lineage(self, path: str | None) -> list[Area]:
        if not path:
            return []
        codes = [code for code in path.split("/") if code]
        paths = ["/" + "/".join(codes[: depth + 1]) + "/" for depth in range(len(codes))]
        return [self.by_path[p] for p in paths if p in self.by_path]


def services_to_index(ids: Iterable[Any] | None = None):
    services = Service.objects.select_related(
        "organization", "organization__area", "organization__parent_organization"
    ).prefetch_related(
        Prefetch("terms", queryset=TaxonomyTerm.objects.only("id", "name_ms", "name_en", "code")),
        Prefetch("phones", queryset=Phone.objects.public().only("number", "service_id")),
        Prefetch(
            "organization__phones",
            queryset=Phone.objects.public().only("number", "organization_id"),
        ),
        Prefetch("service_areas__area", queryset=Area.objects.only("path")),
        Prefetch("schedules", queryset=Schedule.objects.all()),
        Prefetch(
            "service_at_locations__location",
            queryset=Location.objects.prefetch_related(
                "addresses", "schedules", Prefetch("phones", queryset=Phone.objects.public())
            ).select_related("area"),
        ),
        Prefetch(
            "organization__locations",
            queryset=Location.objects.public()
            .prefetch_related(
                "addresses", "schedules", Prefetch("phones", queryset=Phone.objects.public())
            )
            .select_related("area"),
            to_attr="public_locations",
        ),
    )
    if ids is not None:
        services = services.filter(pk__in=list(ids))
    return services


def _public_locations(service: Service) -> list[Location]:
    """Where the service is given, or else where its organisation is (as the service page says)."""
    own = [
        link.location
        for link in service.service_at_locations.all()
        if not link.location.is_confidential
    ]
    return own or list(service.organization.public_locations)  # type: ignore[attr-defined]


def _both_languages(choice: object) -> list[str]:
    labels = []
    for language in ("ms", "en"):
        with translation.override(language):
            labels.append(str(choice))
    return labels


def add_service(rows: Rows, service: Service, areas: AreaNames) -> None:
    organization = service.organization
    locations = _public_locations(service)
    terms = list(service.terms.all())
    served = [link.area for link in service.service_areas.all()]

    area_paths = [organization.area.path]
    area_paths += [loc.area.path for loc in locations if loc.area is not None]
    area_paths += [area.path for area in served]
    place_names: list[str] = []
    codes: set[str] = set()
    for path in area_paths:
        for area in areas.lineage(path):
            codes.add(area.code)
            place_names += [area.name_ms, area.name_en]
    for location in locations:
        place_names.append(location.name)
        for address in location.addresses.all():
            place_names += [address.address_1, address.address_2, address.city, address.postal_code]

    numbers = [phone.number for phone in service.phones.all()]
    numbers += [phone.number for phone in organization.phones.all()]
    for location in locations:
        numbers += [phone.number for phone in location.phones.all()]

    parent = organization.parent_organization
    document = SearchDocument(
        service=service,
        name=text.index_text(service.name, service.name_en, service.alternate_name),
        organisation=text.index_text(
            organization.name,
            organization.name_en,
            organization.alternate_name,
            parent.name if parent else "",
        ),
        keywords=text.index_text(
            *(name for term in terms for name in (term.name_ms, term.name_en)),
            *_both_languages(organization.get_kind_display()),
        ),
        places=text.index_text(*(name for name in place_names if name)),
        body=text.index_text(
            service.description_ms,
            service.description_en,
            service.eligibility_ms,
            service.eligibility_en,
            service.application_process_ms,
            service.application_process_en,
            organization.description_ms,
            organization.description_en,
        ),
        phones=" ".join(dict.fromkeys(text.phone_digits(number) for number in numbers)),
        title=text.fold(service.name)[:250],
        heading=_words(service.name, service.name_en, service.alternate_name),
        subtitle=_words(organization.name, organization.name_en, organization.alternate_name),
        base_path=organization.area.path,
        verified_on=service.verified_on or organization.verified_on,
        active=service.status == Status.ACTIVE and organization.status == Status.ACTIVE,
    )
    rows.documents.append(document)
    rows.facets += [SearchFacet(service=service, key=area_facet(code)) for code in sorted(codes)]
    rows.facets += [SearchFacet(service=service, key=term_facet(term.pk)) for term in terms]
    seen: set[tuple[float, float]] = set()
    for location in locations:
        if location.latitude is None or location.longitude is None:
            continue
        position = (float(location.latitude), float(location.longitude))
        if position not in seen:
            seen.add(position)
            rows.places.append(
                SearchPlace(service=service, latitude=position[0], longitude=position[1])
            )
    schedules = list(service.schedules.all()) or [
        schedule for location in locations for schedule in location.schedules.all()
    ]
    for schedule in schedules:
        rows.hours += _hours_rows(service, schedule)
    for value in (
        document.name,
        document.organisation,
        document.keywords,
        document.places,
        document.body,
    ):
        for term in value.split():
            rows.stems.add(term)
    for source in (
        service.name,
        service.name_en,
        service.alternate_name,
        organization.name,
        organization.name_en,
        organization.alternate_name,
        service.description_ms,
        service.description_en,
        *place_names,
        *(name for term in terms for name in (term.name_ms, term.name_en)),
    ):
        if source:
            rows.words.update(word for word in text.content_words(source) if not word.isdigit())


def _words(*names: str) -> str:
    return " ".join(word for name in names for word in text.content_words(name))


def _minutes(value: datetime.time) -> int:
    return value.hour * 60 + value.minute


def _hours_rows(service: Service, schedule: Schedule) -> list[SearchHours]:
    def row(weekday: int, opens: int, closes: int) -> SearchHours:
        return SearchHours(
            service=service,
            weekday=weekday,
            opens=opens,
            closes=closes,
            valid_from=schedule.valid_from,
            valid_to=schedule.valid_to,
        )

    if schedule.all_day or schedule.opens_at is None or schedule.closes_at is None:
        return [row(schedule.weekday, 0, MINUTES_PER_DAY)]
    opens, closes = _minutes(schedule.opens_at), _minutes(schedule.closes_at)
    if closes > opens:
        return [row(schedule.weekday, opens, closes)]
    # Past midnight: the evening, then the small hours of the next day.
    next_day = schedule.weekday % 7 + 1
    return [row(schedule.weekday, opens, MINUTES_PER_DAY), row(next_day, 0, closes)]
