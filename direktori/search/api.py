"""`GET /api/v1/search` (CONTRACT): public, relevance order with words, else nearest first."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from typing import Any

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from direktori.areas.models import Area
from direktori.core.api_params import state_and_district
from direktori.core.models import in_language
from direktori.directory.models import Phone, Service, TaxonomyTerm
from direktori.directory.models.organisations import Status
from direktori.directory.phones import tel_uri

from . import reference, versions
from .engine import search
from .query import MAX_RADIUS_KM, Hit, SearchQuery

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


def to_query(params: SearchParams) -> SearchQuery:
    if (params.lat is None) != (params.lon is None):
        raise HttpError(400, "Give both 'lat' and 'lon', or neither.")
    if params.radius_km is not None and params.lat is None:
        raise HttpError(400, "'radius_km' needs 'lat' and 'lon'.")
    state, district = state_and_district(
        params.state, params.district, find=reference.area, status=400
    )
    target_group = params.target_group.strip()
    if target_group and reference.target_group(target_group) is None:
        codes = ", ".join(TaxonomyTerm.objects.target_groups().values_list("code", flat=True))
        raise HttpError(400, f"Unknown target group '{target_group}': one of {codes}.")
    if params.taxonomy_term_id and not reference.term_exists(params.taxonomy_term_id):
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


def _area_out(path: str, lineage: dict[str, Area], chosen: Area | None) -> dict[str, str | None]:
    """The state and district the service is in; the chosen one when it serves it from outside."""
    if chosen is not None and not path.startswith(chosen.path):
        path = chosen.path
    codes = [code for code in path.split("/") if code]
    found = [lineage[code] for code in codes if code in lineage]
    state = next((a.name_ms for a in found if a.kind == Area.Kind.STATE), None)
    district = next((a.name_ms for a in found if a.kind == Area.Kind.DISTRICT), None)
    return {"state": state, "district": district}


def _results(
    request: HttpRequest, hits: list[Hit], lineage: dict[str, Area], chosen: Area | None
) -> list[dict[str, Any]]:
    """`ResultOut` of each hit still active, in two queries of plain values: a service's public
    phones, or its organisation's when it has none (as `ServiceQuerySet.with_contact` gives)."""
    ids = [hit.service_id for hit in hits]
    # Active again: a bulk update that bypassed the signals must still not show a closed service.
    rows = {
        row[0]: row
        for row in Service.objects.filter(pk__in=ids).values_list(*SERVICE_VALUES)
        if row[3] == row[7] == Status.ACTIVE
    }
    organisations = {row[4] for row in rows.values()}
    of_service: dict[uuid.UUID, list[dict[str, str]]] = defaultdict(list)
    of_organisation: dict[uuid.UUID, list[dict[str, str]]] = defaultdict(list)
    phones = Phone.objects.public().filter(
        Q(service_id__in=rows) | Q(organization_id__in=organisations)
    )
    for service_id, organisation_id, number, kind in phones.values_list(
        "service_id", "organization_id", "number", "kind"
    ):
        phone = {"number": number, "kind": kind, "tel": tel_uri(number)}
        if service_id in rows:
            of_service[service_id].append(phone)
        if organisation_id in organisations:
            of_organisation[organisation_id].append(phone)
    found = []
    for hit in hits:
        row = rows.get(hit.service_id)
        if row is None:
            continue
        pk, name, name_en, _, organisation_id, organisation, organisation_en, _, path = row
        url = reverse("directory:service_detail", kwargs={"pk": pk})
        found.append(
            {
                "id": str(pk),
                "name": in_language(name, name_en),
                "organization": {
                    "id": str(organisation_id),
                    "name": in_language(organisation, organisation_en),
                },
                "distance_km": hit.distance_km,
                "phones": of_service[pk] or of_organisation[organisation_id],
                "area": _area_out(path, lineage, chosen),
                "url": request.build_absolute_uri(url),
            }
        )
    return found


SERVICE_VALUES = (
    "pk", "name", "name_en", "status", "organization_id", "organization__name",
    "organization__name_en", "organization__status", "organization__area__path",
)  # fmt: skip


@router.get("/search", response=SearchOut, summary="Search services")
def search_services(request: HttpRequest, params: Query[SearchParams]) -> HttpResponse:
    """Services matching the words (Malay or English, typos and abbreviations forgiven) inside
    the filters. Relevance order when `q` is given, otherwise nearest first with `lat`/`lon`."""
    with versions.snapshot():  # what the lookups and the search remember, read once
        query = to_query(params)
        results = search(query, offset=(params.page - 1) * params.per_page, limit=params.per_page)
        lineage = reference.states_and_districts()
    body = {
        "count": results.count,
        "page": params.page,
        "per_page": params.per_page,
        "did_you_mean": results.did_you_mean,
        "results": _results(request, results.hits, lineage, query.area),
    }
    # Written as SearchOut documents it (a test checks that it validates), without building
    # and validating a schema object per value: a third of the view's time.
    return HttpResponse(json.dumps(body), content_type="application/json; charset=utf-8")
