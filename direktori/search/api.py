"""`GET /api/v1/search` (CONTRACT): public, relevance order with words, else nearest first."""

from __future__ import annotations

import uuid

from django.db.models import Q
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from direktori.areas.models import Area
from direktori.directory.models import Service, TaxonomyTerm

from .engine import search, services_for
from .query import MAX_RADIUS_KM, SearchQuery

router = Router()
MAX_PER_PAGE = 100


class SearchParams(Schema):
    q: str = Field("", max_length=200, description="What the person needs, in Malay or English")
    lat: float | None = Field(None, ge=-90, le=90, description="Latitude of the person")
    lon: float | None = Field(None, ge=-180, le=180, description="Longitude of the person")
    radius_km: float | None = Field(None, gt=0, le=MAX_RADIUS_KM, description="With lat/lon")
    taxonomy_term_id: uuid.UUID | None = None
    target_group: str = Field("", max_length=64, description="children, disability, elderly …")
    state: str = Field("", max_length=120, description="DOSM name (any case) or code, e.g. 10")
    district: str = Field("", max_length=120, description="DOSM name or code, e.g. Sepang, 10_7")
    open_now: bool = False
    exact: bool = Field(False, description="Take the words as typed: no typo correction")
    page: int = Field(1, ge=1, le=10_000)
    per_page: int = Field(20, ge=1, le=MAX_PER_PAGE)


class OrganizationOut(Schema):
    id: uuid.UUID
    name: str


class PhoneOut(Schema):
    number: str
    kind: str
    tel: str


class AreaOut(Schema):
    state: str | None
    district: str | None


class ResultOut(Schema):
    id: uuid.UUID
    name: str
    organization: OrganizationOut
    distance_km: float | None = None
    phones: list[PhoneOut]
    area: AreaOut
    url: str


class SearchOut(Schema):
    count: int
    page: int
    per_page: int
    did_you_mean: str = ""
    results: list[ResultOut]


def _area(value: str, kind: str, label: str, within: Area | None = None) -> Area | None:
    if not value.strip():
        return None
    areas = Area.objects.by_code_or_name(value).filter(kind=kind)
    if within is not None:
        areas = areas.filter(path__startswith=within.path)
    area = areas.first()
    if area is None:
        where = f" in {within.name_ms}" if within else ""
        raise HttpError(400, f"Unknown {label} '{value}'{where}: give a DOSM name or code.")
    return area


def to_query(params: SearchParams) -> SearchQuery:
    if (params.lat is None) != (params.lon is None):
        raise HttpError(400, "Give both 'lat' and 'lon', or neither.")
    if params.radius_km is not None and params.lat is None:
        raise HttpError(400, "'radius_km' needs 'lat' and 'lon'.")
    state = _area(params.state, Area.Kind.STATE, "state")
    district = _area(params.district, Area.Kind.DISTRICT, "district", within=state)
    target_group = params.target_group.strip()
    if target_group and not TaxonomyTerm.objects.target_groups().filter(code=target_group).exists():
        codes = ", ".join(TaxonomyTerm.objects.target_groups().values_list("code", flat=True))
        raise HttpError(400, f"Unknown target group '{target_group}': one of {codes}.")
    if (
        params.taxonomy_term_id
        and not TaxonomyTerm.objects.filter(pk=params.taxonomy_term_id).exists()
    ):
        raise HttpError(400, f"Unknown taxonomy term '{params.taxonomy_term_id}'.")
    near = (params.lat, params.lon) if params.lat is not None and params.lon is not None else None
    return SearchQuery(
        text=params.q,
        target_group=target_group,
        term_id=params.taxonomy_term_id,
        area=district or state,
        open_now=params.open_now,
        near=near,
        radius_km=params.radius_km,
        exact=params.exact,
    )


def _area_out(service: Service, lineage: dict[str, Area], chosen: Area | None) -> AreaOut:
    """The state and district the service is in; the chosen one when it serves it from outside."""
    path = service.organization.area.path
    if chosen is not None and not path.startswith(chosen.path):
        path = chosen.path
    codes = [code for code in path.split("/") if code]
    found = [lineage[code] for code in codes if code in lineage]
    state = next((a.name_ms for a in found if a.kind == Area.Kind.STATE), None)
    district = next((a.name_ms for a in found if a.kind == Area.Kind.DISTRICT), None)
    return AreaOut(state=state, district=district)


@router.get("/search", response=SearchOut, summary="Search services")
def search_services(request: HttpRequest, params: Query[SearchParams]) -> SearchOut:
    """Services matching the words (Malay or English, typos and abbreviations forgiven) inside
    the filters. Relevance order when `q` is given, otherwise nearest first with `lat`/`lon`."""
    query = to_query(params)
    results = search(query, offset=(params.page - 1) * params.per_page, limit=params.per_page)
    services = services_for(results.hits, listing=False)
    codes = {
        code for service in services for code in service.organization.area.path.split("/") if code
    }
    if query.area is not None:
        codes.update(code for code in query.area.path.split("/") if code)
    lineage = {
        area.code: area
        for area in Area.objects.filter(
            Q(code__in=codes), kind__in=[Area.Kind.STATE, Area.Kind.DISTRICT]
        )
    }
    results_out = []
    for service in services:
        phones = list(service.public_phones) or list(service.organization.public_phones)  # type: ignore[attr-defined]
        results_out.append(
            ResultOut(
                id=service.pk,
                name=service.display_name,
                organization=OrganizationOut(
                    id=service.organization.pk, name=service.organization.display_name
                ),
                distance_km=getattr(service, "distance_km", None),
                phones=[PhoneOut(number=p.number, kind=p.kind, tel=p.tel_uri) for p in phones],
                area=_area_out(service, lineage, query.area),
                url=request.build_absolute_uri(service.get_absolute_url()),
            )
        )
    return SearchOut(
        count=results.count,
        page=params.page,
        per_page=params.per_page,
        did_you_mean=results.did_you_mean,
        results=results_out,
    )
