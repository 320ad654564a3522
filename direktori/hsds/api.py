"""The HSDS 3.0 API at /api/hsds/: every operation of the official openapi.json, read-only, public.

Everything read goes through published.py (via documents.py), so confidential places never leave.
Lists are ordered by id; `format=ndjson` streams every match without pagination.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.cache import patch_cache_control
from ninja import NinjaAPI, Query
from ninja.errors import ValidationError

from direktori.directory.models import Organization, Service, ServiceAtLocation

from . import documents, openapi, profile, published, selectors
from .documents import Document
from .params import ListParams, OrganizationParams, ServiceParams, TermParams

CACHE_SECONDS = 300
NDJSON_CHUNK = 500


class HsdsApi(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        # The official HSDS document is the contract consumers code against (ADR 0008); a schema
        # generated from our handlers would be a second, drifting copy. /openapi.json serves it.
        return openapi.official_document()


api = HsdsApi(
    title="Direktori CBO — HSDS 3.0 API",
    version=profile.HSDS_VERSION,
    urls_namespace="hsds",
    openapi_url=None,
    docs_url=None,
)


@api.exception_handler(ValidationError)
def invalid_parameters(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems = []
    for error in exc.errors:
        name = ".".join(str(part) for part in error.get("loc", ())[1:]) or "request"
        problems.append(f"Invalid value for '{name}': {error.get('msg', 'invalid')}.")
    return _json({"detail": " ".join(problems)}, status=400, cache=False)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _json({"detail": str(exc) or "Not found."}, status=404, cache=False)


def _json(data: Any, *, status: int = 200, cache: bool = True) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False), status=status, content_type="application/json"
    )
    if cache:
        patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


def _ndjson(documents_: Iterable[Document]) -> StreamingHttpResponse:
    lines = (json.dumps(document, ensure_ascii=False) + "\n" for document in documents_)
    response = StreamingHttpResponse(lines, content_type="application/x-ndjson")
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


def page_envelope(
    *, total: int, page: int, per_page: int, contents: Sequence[Document]
) -> Document:
    total_pages = -(-total // per_page)
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not contents,
        "contents": list(contents),
    }


def _batches[M: Model](queryset: QuerySet[M]) -> Iterator[list[M]]:
    # iterator(chunk_size=…) keeps the prefetches, one round per chunk.
    records = queryset.iterator(chunk_size=NDJSON_CHUNK)
    while batch := list(islice(records, NDJSON_CHUNK)):
        yield batch


def _listing[M: Model](
    queryset: QuerySet[M], params: ListParams, build: Callable[[list[M]], list[Document]]
) -> HttpResponseBase:
    if params.format == "ndjson":
        return _ndjson(doc for batch in _batches(queryset) for doc in build(batch))
    start = (params.page - 1) * params.per_page
    # Deep pages: skip rows on the primary-key index alone, then fetch only the page's records
    # (at 100,000 services, OFFSET over the joined rows is what made the middle pages slow).
    page_ids = list(
        queryset.prefetch_related(None).values_list("pk", flat=True)[
            start : start + params.per_page
        ]
    )
    contents = build(list(queryset.filter(pk__in=page_ids)))
    total = queryset.count()
    return _json(
        page_envelope(total=total, page=params.page, per_page=params.per_page, contents=contents)
    )


def _row_listing(found: list[dict[str, Any]], params: ListParams) -> HttpResponseBase:
    contents = [documents.compact(row) for row in found]
    if params.format == "ndjson":
        return _ndjson(contents)
    start = (params.page - 1) * params.per_page
    return _json(
        page_envelope(
            total=len(contents),
            page=params.page,
            per_page=params.per_page,
            contents=contents[start : start + params.per_page],
        )
    )


def _full_services(services: list[Service]) -> list[Document]:
    metadata = documents.metadata_by_resource(service.id for service in services)
    return [documents.service_document(service, metadata) for service in services]


def _list_services(services: list[Service]) -> list[Document]:
    return [documents.service_list_item(service) for service in services]


def _organizations_builder(
    *, full: bool, full_service: bool
) -> Callable[[list[Organization]], list[Document]]:
    def build(organizations: list[Organization]) -> list[Document]:
        if not full:
            return [documents.organization_summary(org) for org in organizations]
        ids = [org.id for org in organizations]
        if full_service:
            ids += [service.id for org in organizations for service in org.services.all()]
        metadata = documents.metadata_by_resource(ids)
        return [
            documents.organization_document(org, metadata, full_service=full_service)
            for org in organizations
        ]

    return build


def _full_links(links: list[ServiceAtLocation]) -> list[Document]:
    metadata = documents.metadata_by_resource(
        [link.id for link in links] + [link.service_id for link in links]
    )
    return [documents.service_at_location_document(link, metadata) for link in links]


def _list_links(links: list[ServiceAtLocation]) -> list[Document]:
    return [documents.service_at_location_list_item(link) for link in links]


def _one[M: Model](queryset: QuerySet[M], record_id: uuid.UUID, kind: str) -> M:
    record = queryset.filter(pk=record_id).first()
    if record is None:
        raise Http404(f"No published {kind} has the id {record_id}.")
    return record


@api.get("/", include_in_schema=False)
def meta(request: HttpRequest) -> HttpResponse:
    return _json(
        {
            "version": profile.HSDS_VERSION,
            "profile": request.build_absolute_uri(reverse("hsds:profile")),
            "openapi_url": request.build_absolute_uri(reverse("hsds:openapi")),
        }
    )


@api.get("/profile", url_name="profile", include_in_schema=False)
def profile_document(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(openapi.profile_text(), content_type="text/markdown; charset=utf-8")
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


@api.get("/openapi.json", url_name="openapi", include_in_schema=False)
def openapi_document(request: HttpRequest) -> HttpResponse:
    api_root = request.build_absolute_uri(reverse("hsds:meta")).rstrip("/")
    profile_url = request.build_absolute_uri(reverse("hsds:profile"))
    return _json(openapi.served_document(api_root=api_root, profile_url=profile_url))


@api.get("/services", include_in_schema=False)
def service_list(request: HttpRequest, params: Query[ServiceParams]) -> HttpResponseBase:
    filters = params.filters()
    if params.minimal:
        matches = selectors.services_filter(published.services(), filters)
        minimal = [
            documents.service_minimal(service_id, modified)
            for service_id, modified in matches.values_list("id", "updated_at")
        ]
        if params.format == "ndjson":
            return _ndjson(minimal)
        envelope = page_envelope(
            total=len(minimal), page=1, per_page=max(len(minimal), 1), contents=minimal
        )
        return _json(envelope)
    if params.full:
        services = selectors.services_filter(documents.full_services(), filters)
        return _listing(services, params, _full_services)
    services = selectors.services_filter(documents.list_services(), filters)
    return _listing(services, params, _list_services)


@api.get("/services/{id}", include_in_schema=False)
def service_detail(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    return _json(_full_services([_one(documents.full_services(), id, "service")])[0])


@api.get("/organizations", include_in_schema=False)
def organization_list(request: HttpRequest, params: Query[OrganizationParams]) -> HttpResponseBase:
    queryset = (
        documents.full_organizations(full_service=params.full_service)
        if params.full
        else published.organizations()
    )
    organizations = selectors.organizations_filter(queryset, params.search)
    build = _organizations_builder(full=params.full, full_service=params.full_service)
    return _listing(organizations, params, build)


@api.get("/organizations/{id}", include_in_schema=False)
def organization_detail(
    request: HttpRequest, id: uuid.UUID, full_service: bool = False
) -> HttpResponse:
    queryset = documents.full_organizations(full_service=full_service)
    organization = _one(queryset, id, "organization")
    return _json(_organizations_builder(full=True, full_service=full_service)([organization])[0])


@api.get("/service_at_locations", include_in_schema=False)
def service_at_location_list(
    request: HttpRequest, params: Query[ServiceParams]
) -> HttpResponseBase:
    if params.full:
        links = selectors.service_at_locations_filter(
            documents.full_service_at_locations(), params.filters()
        )
        return _listing(links, params, _full_links)
    links = selectors.service_at_locations_filter(
        documents.list_service_at_locations(), params.filters()
    )
    return _listing(links, params, _list_links)


@api.get("/service_at_locations/{id}", include_in_schema=False)
def service_at_location_detail(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    link = _one(documents.full_service_at_locations(), id, "service_at_location")
    return _json(_full_links([link])[0])


@api.get("/taxonomies", include_in_schema=False)
def taxonomy_list(request: HttpRequest, params: Query[ListParams]) -> HttpResponseBase:
    return _row_listing(selectors.taxonomy_rows(search=params.search), params)


def _row_detail(found: Iterable[dict[str, Any]], id: uuid.UUID, what: str) -> HttpResponse:
    for row in found:
        if row["id"] == str(id):
            return _json(documents.compact(row))
    raise Http404(f"No {what} has the id {id}.")


@api.get("/taxonomies/{id}", include_in_schema=False)
def taxonomy_detail(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    return _row_detail(selectors.taxonomy_rows(), id, "taxonomy")


@api.get("/taxonomy_terms", include_in_schema=False)
def taxonomy_term_list(request: HttpRequest, params: Query[TermParams]) -> HttpResponseBase:
    found = selectors.taxonomy_term_rows(
        search=params.search,
        taxonomy_id=params.taxonomy_id,
        parent_id=params.parent_id,
        top_only=params.top_only,
    )
    return _row_listing(found, params)


@api.get("/taxonomy_terms/{id}", include_in_schema=False)
def taxonomy_term_detail(request: HttpRequest, id: uuid.UUID) -> HttpResponse:
    return _row_detail(selectors.taxonomy_term_rows(), id, "taxonomy term")
