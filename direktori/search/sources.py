"""The public facts of a batch of services, read with a few flat queries for `documents`.

Flat rows, not model instances: building instances through prefetches was a third of the time a
full rebuild took. Only public facts are read, by the models' own rules
(`Location.objects.public()`, `Phone.objects.public()`). The queries keep the models' default
orderings, so the words come out in the order the pages show them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import Q, QuerySet

from direktori.areas.models import Area
from direktori.directory.models import (
    Address,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
)

SERVICE_FIELDS = (
    "id",
    "name",
    "name_en",
    "alternate_name",
    "description_ms",
    "description_en",
    "eligibility_ms",
    "eligibility_en",
    "application_process_ms",
    "application_process_en",
    "verified_on",
    "status",
    "organization_id",
)
ORGANIZATION_FIELDS = (
    "kind",
    "name",
    "name_en",
    "alternate_name",
    "description_ms",
    "description_en",
    "verified_on",
    "status",
    "area_id",
    "parent_organization__name",
)
ADDRESS_FIELDS = ("address_1", "address_2", "city", "postal_code")


class AreaNames:
    """Every area, loaded once per run: names and ancestors without more queries."""

    def __init__(self) -> None:
        rows = Area.objects.values_list("id", "path", "code", "name_ms", "name_en")
        self.path_of: dict[int, str] = {}
        self.by_path: dict[str, tuple[str, str, str]] = {}
        for pk, path, *names in rows:
            self.path_of[pk] = path
            self.by_path[path] = (names[0], names[1], names[2])
        self._lineages: dict[str, list[tuple[str, str, str]]] = {}

    def lineage(self, path: str | None) -> list[tuple[str, str, str]]:
        """(code, Malay name, English name) of the area and its ancestors, from the top."""
        if not path:
            return []
        if path not in self._lineages:
            codes = [code for code in path.split("/") if code]
            paths = ["/" + "/".join(codes[: depth + 1]) + "/" for depth in range(len(codes))]
            self._lineages[path] = [self.by_path[p] for p in paths if p in self.by_path]
        return self._lineages[path]


class Opening(NamedTuple):
    weekday: int
    all_day: bool
    opens_at: datetime.time | None
    closes_at: datetime.time | None
    valid_from: datetime.date | None
    valid_to: datetime.date | None


@dataclass
class Place:
    """A public location with its addresses, public phones and opening hours."""

    name: str
    latitude: Decimal | None
    longitude: Decimal | None
    area_id: int | None
    organization_id: Any
    addresses: list[tuple[str, str, str, str]] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    openings: list[Opening] = field(default_factory=list)


@dataclass
class OrganizationFacts:
    row: dict[str, Any]  # ORGANIZATION_FIELDS
    phones: list[str] = field(default_factory=list)  # public
    places: list[Place] = field(default_factory=list)  # public, in name order


@dataclass
class ServiceFacts:
    """What one service shows publicly, as `documents.add_service` needs it."""

    row: dict[str, Any]  # SERVICE_FIELDS (and the organisation's, which `organization` has)
    organization: OrganizationFacts
    terms: list[tuple[Any, str, str]] = field(default_factory=list)  # id, Malay, English
    phones: list[str] = field(default_factory=list)  # public
    served_area_ids: list[int] = field(default_factory=list)
    openings: list[Opening] = field(default_factory=list)
    own_places: list[Place] = field(default_factory=list)  # public places it is given at

    @property
    def public_places(self) -> list[Place]:
        """Where the service is given, or else where its organisation is (as its page says)."""
        return self.own_places or self.organization.places


def services_to_index(ids: Sequence[Any]) -> list[ServiceFacts]:
    """The public facts of those of these services that exist."""
    # The organisations in the same statement: one that goes meanwhile cannot go missing.
    joined = [f"organization__{name}" for name in ORGANIZATION_FIELDS]
    services: dict[Any, ServiceFacts] = {}
    organizations: dict[Any, OrganizationFacts] = {}
    for row in Service.objects.filter(pk__in=ids).values(*SERVICE_FIELDS, *joined):
        organization = organizations.get(row["organization_id"])
        if organization is None:
            own = {name: row[f"organization__{name}"] for name in ORGANIZATION_FIELDS}
            organization = organizations[row["organization_id"]] = OrganizationFacts(row=own)
        services[row["id"]] = ServiceFacts(row=row, organization=organization)
    _add_public_details(organizations)
    _add_terms(services)
    for service_id, number in _public_numbers(Q(service_id__in=ids)):
        services[service_id].phones.append(number)
    for service_id, area_id in _links(ServiceArea, ids, "area_id"):
        services[service_id].served_area_ids.append(area_id)
    for service_id, opening in _openings(Q(service_id__in=ids)):
        services[service_id].openings.append(opening)
    links = _links(ServiceAtLocation, ids, "location_id")
    places = _places(Q(pk__in={location_id for _, location_id in links}))
    for service_id, location_id in links:
        if location_id in places:  # not confidential
            services[service_id].own_places.append(places[location_id])
    return list(services.values())


def _links(
    model: type[ServiceArea | ServiceAtLocation], ids: Sequence[Any], other: str
) -> list[tuple[Any, Any]]:
    """(service id, other id) in the order the links were made, as a prefetch reads them. The
    link's own id is read so that the database does not answer from the (service, other) unique
    index alone, which would give them in the order of the other's id."""
    rows = model.objects.filter(service_id__in=ids).values_list("id", "service_id", other)
    return [(service_id, other_id) for _, service_id, other_id in rows]


def _add_public_details(organizations: dict[Any, OrganizationFacts]) -> None:
    ids = list(organizations)
    for organization_id, number in _public_numbers(Q(organization_id__in=ids), "organization_id"):
        organizations[organization_id].phones.append(number)
    for place in _places(Q(organization_id__in=ids)).values():
        organizations[place.organization_id].places.append(place)


def _add_terms(services: dict[Any, ServiceFacts]) -> None:
    through = Service.terms.through.objects.filter(service_id__in=list(services))
    # TaxonomyTerm's own order (taxonomy, position, code), as a prefetch of `terms` gives.
    rows = through.order_by(
        "taxonomyterm__taxonomy__code", "taxonomyterm__position", "taxonomyterm__code"
    ).values_list("service_id", "taxonomyterm_id", "taxonomyterm__name_ms", "taxonomyterm__name_en")
    for service_id, term_id, name_ms, name_en in rows:
        services[service_id].terms.append((term_id, name_ms, name_en))


def _public_numbers(where: Q, owner: str = "service_id") -> QuerySet[Phone, tuple[Any, str]]:
    return Phone.objects.public().filter(where).values_list(owner, "number")


def _openings(where: Q, owner: str = "service_id") -> Iterable[tuple[Any, Opening]]:
    rows = Schedule.objects.filter(where).values_list(owner, *Opening._fields)
    return ((row[0], Opening(*row[1:])) for row in rows)


def _places(where: Q) -> dict[Any, Place]:
    """Public locations by id in name order, with addresses, public phones and opening hours."""
    rows = (
        Location.objects.public()
        .filter(where)
        .values_list("id", "name", "latitude", "longitude", "area_id", "organization_id")
    )
    places = {row[0]: Place(*row[1:]) for row in rows}
    ids = list(places)
    for location_id, *address in Address.objects.filter(location_id__in=ids).values_list(
        "location_id", *ADDRESS_FIELDS
    ):
        places[location_id].addresses.append((address[0], address[1], address[2], address[3]))
    for location_id, number in _public_numbers(Q(location_id__in=ids), "location_id"):
        places[location_id].phones.append(number)
    for location_id, opening in _openings(Q(location_id__in=ids), "location_id"):
        places[location_id].openings.append(opening)
    return places
