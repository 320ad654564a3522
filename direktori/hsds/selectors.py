"""The filters of the HSDS API (docs/hsds-profile.md, "The API") on the published querysets.

Every filter given narrows the result (they combine with AND). Filters on many-valued relations use
EXISTS, so a record never appears twice and counting a page stays one simple query.
"""

from __future__ import annotations

import datetime
import math
import uuid
from dataclasses import dataclass

from django.db.models import Exists, FloatField, OuterRef, Q, QuerySet
from django.db.models.functions import ASin, Cast, Cos, Power, Radians, Sin, Sqrt

from direktori.areas.models import Area
from direktori.directory.models import (
    Address,
    Location,
    Organization,
    Service,
    ServiceArea,
    ServiceAtLocation,
)
from direktori.directory.models.organisations import ServiceQuerySet
from direktori.search import engine as search_engine

from . import published, rows

EARTH_RADIUS_METRES = 6_371_000
METRES_PER_DEGREE = 111_320


@dataclass(frozen=True)
class ServiceFilters:
    search: str | None = None
    taxonomy_term_id: uuid.UUID | None = None
    taxonomy_id: uuid.UUID | None = None
    organization_id: uuid.UUID | None = None
    modified_after: datetime.datetime | None = None
    postcode: str | None = None
    proximity: float | None = None


@dataclass(frozen=True)
class Postcode:
    """What the directory knows of a postcode: the areas it lies in, and where its places are."""

    area_codes: frozenset[str]
    centre: tuple[float, float] | None

    @property
    def is_known(self) -> bool:
        return bool(self.area_codes) or self.centre is not None


def _path_codes(path: str | None) -> list[str]:
    return [code for code in (path or "").split("/") if code]


def postcode_lookup(postcode: str) -> Postcode:
    """Areas with this postcode and their ancestors; the centre is the mean position of the
    published locations with an address at this postcode."""
    codes: set[str] = set()
    for path in Area.objects.filter(postcode=postcode).values_list("path", flat=True):
        codes.update(_path_codes(path))
    # An IN over the postcode index, not a correlated EXISTS: SQLite would otherwise walk every
    # address at the postcode once per location (minutes at 100,000 locations).
    places = published.locations().filter(
        id__in=Address.objects.filter(postal_code=postcode).values("location_id")
    )
    positions = []
    for path, latitude, longitude in places.values_list("area__path", "latitude", "longitude"):
        codes.update(_path_codes(path))
        if latitude is not None and longitude is not None:
            positions.append((float(latitude), float(longitude)))
    centre = None
    if positions:
        centre = (
            sum(lat for lat, _ in positions) / len(positions),
            sum(lon for _, lon in positions) / len(positions),
        )
    return Postcode(area_codes=frozenset(codes), centre=centre)


def locations_near(centre: tuple[float, float], metres: float) -> QuerySet[Location]:
    """Published locations within `metres` of the centre, as one query: a bounding box the
    database can answer from its (latitude, longitude) index, then the haversine distance."""
    latitude, longitude = centre
    dlat = metres / METRES_PER_DEGREE
    dlon = metres / (METRES_PER_DEGREE * max(math.cos(math.radians(latitude)), 0.01))
    lat = Radians(Cast("latitude", FloatField()))
    lon = Radians(Cast("longitude", FloatField()))
    centre_lat, centre_lon = math.radians(latitude), math.radians(longitude)
    half_chord = Power(Sin((lat - centre_lat) / 2), 2) + math.cos(centre_lat) * Cos(lat) * Power(
        Sin((lon - centre_lon) / 2), 2
    )
    return (
        published.locations()
        .filter(
            latitude__range=(latitude - dlat, latitude + dlat),
            longitude__range=(longitude - dlon, longitude + dlon),
        )
        .annotate(distance_metres=2 * EARTH_RADIUS_METRES * ASin(Sqrt(half_chord)))
        .filter(distance_metres__lte=metres)
    )


def _covering(codes: frozenset[str]) -> Q:
    """Services serving an area that contains the postcode, or with no service area at all."""
    area_ids = list(Area.objects.filter(code__in=codes).values_list("id", flat=True))
    areas = ServiceArea.objects.filter(service=OuterRef("pk"))
    return Q(Exists(areas.filter(area_id__in=area_ids))) | ~Q(Exists(areas))


def services_filter(services: ServiceQuerySet, filters: ServiceFilters) -> ServiceQuerySet:
    if filters.search:
        services = search_engine.matching(services, filters.search)
    if filters.taxonomy_term_id:
        services = services.filter(
            Exists(
                Service.terms.through.objects.filter(
                    service=OuterRef("pk"), taxonomyterm_id=filters.taxonomy_term_id
                )
            )
        )
    if filters.taxonomy_id:
        services = services.filter(
            Exists(
                Service.terms.through.objects.filter(
                    service=OuterRef("pk"), taxonomyterm__taxonomy_id=filters.taxonomy_id
                )
            )
        )
    if filters.organization_id:
        services = services.filter(organization_id=filters.organization_id)
    if filters.modified_after:
        services = services.filter(updated_at__gte=filters.modified_after)
    if filters.postcode:
        place = postcode_lookup(filters.postcode)
        if not place.is_known:
            return services.none()
        services = services.filter(_covering(place.area_codes))
        if filters.proximity is not None:
            if place.centre is None:
                return services.none()
            # From the few near locations to their services, not from every service to the
            # near locations: a correlated EXISTS probed each (service, location) pair.
            near = locations_near(place.centre, filters.proximity).values("id")
            services = services.filter(
                pk__in=published.service_at_locations()
                .filter(location_id__in=near)
                .values("service_id")
            )
    return services


def service_at_locations_filter(
    links: QuerySet[ServiceAtLocation], filters: ServiceFilters
) -> QuerySet[ServiceAtLocation]:
    """As for services, with `proximity` asking for this link's own location to be near."""
    by_service = ServiceFilters(
        search=filters.search,
        taxonomy_term_id=filters.taxonomy_term_id,
        taxonomy_id=filters.taxonomy_id,
        organization_id=filters.organization_id,
        modified_after=filters.modified_after,
        postcode=filters.postcode,
    )
    if by_service != ServiceFilters():
        services = services_filter(published.services(), by_service)
        # A correlated EXISTS per link, not `service_id IN (…)`: combined with the location
        # filter below, SQLite would probe every (service, location) pair of the two lists.
        links = links.filter(Exists(services.order_by().filter(pk=OuterRef("service_id"))))
    if filters.postcode and filters.proximity is not None:
        place = postcode_lookup(filters.postcode)
        if place.centre is None:
            return links.none()
        near = locations_near(place.centre, filters.proximity).values("id")
        links = links.filter(location_id__in=near)
    return links


def organizations_filter(
    organizations: QuerySet[Organization], search: str | None
) -> QuerySet[Organization]:
    for word in (search or "").split():
        organizations = organizations.filter(
            Q(name__icontains=word) | Q(name_en__icontains=word) | Q(alternate_name__icontains=word)
        )
    return organizations


def _matches(row: rows.Row, search: str | None) -> bool:
    text = " ".join(str(row.get(field) or "") for field in ("name", "code")).casefold()
    return all(word.casefold() in text for word in (search or "").split())


def taxonomy_rows(*, search: str | None = None) -> list[rows.Row]:
    """Our taxonomies and the profile's, by id."""
    found = [rows.taxonomy_row(taxonomy) for taxonomy in published.taxonomies()]
    found += rows.profile_taxonomy_rows()
    return sorted((row for row in found if _matches(row, search)), key=lambda row: row["id"])


def taxonomy_term_rows(
    *,
    search: str | None = None,
    taxonomy_id: uuid.UUID | None = None,
    parent_id: uuid.UUID | None = None,
    top_only: bool = False,
) -> list[rows.Row]:
    """Our terms and the profile's, by id. Terms are few (tens), so they are filtered here."""
    found = [rows.taxonomy_term_row(term) for term in published.taxonomy_terms()]
    found += rows.profile_term_rows()
    kept = [
        row
        for row in found
        if _matches(row, search)
        and (taxonomy_id is None or row["taxonomy_id"] == str(taxonomy_id))
        and (parent_id is None or row["parent_id"] == str(parent_id))
        and (not top_only or row["parent_id"] is None)
    ]
    return sorted(kept, key=lambda row: row["id"])
