"""Public pages of the directory: anyone may read them, no account needed (docs/security.md).

They show only active entries and never a confidential location, address or phone.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from direktori.areas.models import Area
from direktori.search.engine import search as engine_search
from direktori.search.engine import services_for
from direktori.search.query import SearchQuery

from . import hours
from .forms import SearchForm
from .models import Location, Organization, Phone, Service, ServiceAtLocation, TaxonomyTerm
from .models.taxonomy import SERVICE_CATEGORIES
from .selectors import area_service_counts, helpline_services, target_groups_with_counts

PER_PAGE = 20
# When a search finds nothing in an area: the government services people turn to in a crisis.
LOCAL_HELP_CATEGORIES = ("police", "welfare", "crisis_centre")
LOCAL_HELP_LIMIT = 6
MAP_POINTS_PER_SERVICE = 5


def _page(request: HttpRequest, queryset: object) -> Page:
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))  # type: ignore[arg-type]


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    counts = area_service_counts()
    districts = [
        (district, counts.get(district.path, 0))
        for district in Area.objects.districts().select_related("parent")
        if counts.get(district.path)
    ]
    return render(
        request,
        "directory/home.html",
        {
            "target_groups": target_groups_with_counts(),
            "districts": districts,
            "helplines": helpline_services(),
            "form": SearchForm(),
        },
    )


@dataclass
class ResultsPage:
    """One page of the engine's results. The engine pages (offset, limit), so Django's Paginator
    over a queryset does not apply; `_pagination.html` reads this like a Django Page."""

    number: int
    per_page: int
    count: int
    object_list: list[Service]

    @property
    def paginator(self) -> ResultsPage:
        return self

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.count / self.per_page))

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.per_page

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def start_index(self) -> int:
        return self.offset + 1 if self.count else 0


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    context: dict[str, object] = {"form": form, "searched": False, **_map_settings()}
    if form.is_bound and form.is_valid():
        query = form.to_query()
        if not query.is_empty:
            context.update(_search_results(query, page_number=form.cleaned_data["page"]))
    htmx = getattr(request, "htmx", None)  # set by django_htmx middleware
    # A history restore after a cache miss wants the whole page, as a first visit does.
    fragment = bool(htmx) and not getattr(htmx, "history_restore_request", False)
    context["fragment"] = fragment
    response = render(
        request, "directory/search.html#results" if fragment else "directory/search.html", context
    )
    # One URL, two bodies: caches must not hand the fragment to a full page load, or back.
    patch_vary_headers(response, ["HX-Request"])
    return response


def _search_results(query: SearchQuery, *, page_number: int) -> dict[str, object]:
    results = engine_search(query, offset=(page_number - 1) * PER_PAGE, limit=PER_PAGE)
    last = max(1, math.ceil(results.count / PER_PAGE))
    if page_number > last:  # a page past the end: show the last, as Paginator.get_page() does
        page_number = last
        results = engine_search(query, offset=(last - 1) * PER_PAGE, limit=PER_PAGE)
    services = services_for(results.hits)
    _add_map_points(services)
    area = query.area
    return {
        "searched": True,
        "query": query,
        "results": results,
        "page": ResultsPage(page_number, PER_PAGE, results.count, services),
        "nearest_first": bool(query.near) and not query.text,
        "helplines": helpline_services() if not results.count else [],
        "local_help": _local_help(area) if area and not results.count else [],
    }


def _map_settings() -> dict[str, object]:
    return {
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }


def _add_map_points(services: list[Service]) -> None:
    """`map_points` ("lat,lon;lat,lon") on each service: where it is given or else where its
    organisation is, public locations only, for the result cards' data attributes."""
    with_position = Location.objects.public().filter(latitude__isnull=False)
    own: dict[object, list[tuple[object, object]]] = defaultdict(list)
    rows = ServiceAtLocation.objects.filter(
        service__in=services, location__in=with_position
    ).values_list("service_id", "location__latitude", "location__longitude")
    for service_id, lat, lon in rows.order_by("location__name", "location_id"):
        own[service_id].append((lat, lon))
    of_organisation: dict[object, list[tuple[object, object]]] = defaultdict(list)
    organisations = {s.organization_id for s in services if s.pk not in own}
    if organisations:
        places = with_position.filter(organization_id__in=organisations).order_by("name", "id")
        for organisation_id, lat, lon in places.values_list(
            "organization_id", "latitude", "longitude"
        ):
            of_organisation[organisation_id].append((lat, lon))
    for service in services:
        points = own.get(service.pk) or of_organisation.get(service.organization_id, [])
        unique = list(dict.fromkeys(points))[:MAP_POINTS_PER_SERVICE]
        service.map_points = ";".join(f"{lat},{lon}" for lat, lon in unique)  # type: ignore[attr-defined]


def _local_help(area: Area) -> list[Service]:
    """Police, welfare office and crisis centre of the chosen area, or of its district."""
    if area.kind not in (Area.Kind.COUNTRY, Area.Kind.STATE, Area.Kind.DISTRICT):
        districts = [a for a in area.ancestors() if a.kind == Area.Kind.DISTRICT]
        area = districts[-1] if districts else area
    services = (
        Service.objects.active()
        .in_area(area)
        .filter(
            organization__kind=Organization.Kind.GOVERNMENT,
            terms__taxonomy__code=SERVICE_CATEGORIES,
            terms__code__in=LOCAL_HELP_CATEGORIES,
        )
        .local_first(area)
    )
    return list(services.for_listing()[:LOCAL_HELP_LIMIT])


@require_GET
def area_index(request: HttpRequest) -> HttpResponse:
    counts = area_service_counts()
    states = [(state, counts.get(state.path, 0)) for state in Area.objects.states()]
    return render(request, "directory/area_index.html", {"states": states})


def _area_from_slugs(slugs: str) -> Area:
    area: Area | None = None
    for slug in slugs.strip("/").split("/"):
        parent_filter = {"parent": area} if area else {"kind": Area.Kind.STATE}
        area = Area.objects.filter(slug=slug, **parent_filter).first()
        if area is None:
            raise Http404
    assert area is not None  # noqa: S101 (narrows the type: the loop ran at least once)
    return area


@require_GET
def area_detail(request: HttpRequest, slugs: str) -> HttpResponse:
    area = _area_from_slugs(slugs)
    counts = area_service_counts()
    children = [(child, counts.get(child.path, 0)) for child in area.children.order_by("name_ms")]
    target_group = _target_group_or_none(request.GET.get("kumpulan", ""))
    services = Service.objects.active().in_area(area)
    if target_group:
        services = services.for_term(target_group)
    page = _page(request, services.local_first(area).for_listing())
    return render(
        request,
        "directory/area_detail.html",
        {
            "area": area,
            "trail": [*area.ancestors(), area],
            "children": children,
            "page": page,
            "target_groups": TaxonomyTerm.objects.target_groups(),
            "target_group": target_group,
        },
    )


def _target_group_or_none(code: str) -> TaxonomyTerm | None:
    if not code:
        return None
    return TaxonomyTerm.objects.target_groups().filter(code=code).first()


@require_GET
def target_group_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "directory/target_group_index.html",
        {"target_groups": target_groups_with_counts()},
    )


@require_GET
def target_group_detail(request: HttpRequest, code: str) -> HttpResponse:
    term = get_object_or_404(TaxonomyTerm.objects.target_groups(), code=code)
    area = Area.objects.filter(code=request.GET.get("kawasan", "")).first()
    services = Service.objects.active().for_term(term)
    services = services.in_area(area).local_first(area) if area else services.order_by("name", "id")
    return render(
        request,
        "directory/target_group_detail.html",
        {
            "term": term,
            "area": area,
            "districts": Area.objects.districts().select_related("parent"),
            "page": _page(request, services.for_listing()),
        },
    )


def _public_locations() -> Prefetch:
    return Prefetch(
        "locations",
        queryset=Location.objects.public()
        .select_related("area")
        .prefetch_related(
            "addresses",
            "accessibility",
            "schedules",
            Prefetch("phones", queryset=Phone.objects.public(), to_attr="public_phones"),
        ),
        to_attr="public_locations",
    )


@require_GET
def organization_detail(request: HttpRequest, pk: str) -> HttpResponse:
    organization = get_object_or_404(
        Organization.objects.active()
        .select_related("area", "parent_organization")
        .prefetch_related(
            Prefetch("phones", queryset=Phone.objects.public(), to_attr="public_phones"),
            _public_locations(),
        ),
        pk=pk,
    )
    services = list(organization.services.active().for_listing())
    return render(
        request,
        "directory/organization_detail.html",
        {
            "organization": organization,
            "services": services,
            "contact_phones": getattr(organization, "public_phones", []) or _numbers_of(services),
            "area_trail": [*organization.area.ancestors(), organization.area],
        },
    )


def _numbers_of(services: list[Service]) -> list[Phone]:
    """Every public number of the services, each number once, when the organisation has none."""
    seen: dict[tuple[str, str], Phone] = {}
    for service in services:
        for phone in service.public_phones:  # type: ignore[attr-defined]
            seen.setdefault((phone.kind, phone.number), phone)
    return list(seen.values())


@require_GET
def service_detail(request: HttpRequest, pk: str) -> HttpResponse:
    service = get_object_or_404(
        Service.objects.active()
        .for_listing()
        .prefetch_related("languages", Prefetch("service_areas__area")),
        pk=pk,
    )
    locations = _public_locations_of(service)
    schedules = list(service.schedules.all()) or [
        schedule for location in locations for schedule in location.schedules.all()
    ]
    return render(
        request,
        "directory/service_detail.html",
        {
            "service": service,
            "organization": service.organization,
            "locations": locations,
            "week": hours.week(schedules),
            "open_now": hours.is_open(schedules),
            "share_url": request.build_absolute_uri(service.get_absolute_url()),
        },
    )


def _public_locations_of(service: Service) -> list[Location]:
    """Where the service is given, or else where its organisation is; never a confidential place."""
    base = (
        Location.objects.public()
        .select_related("area")
        .prefetch_related(
            "addresses",
            "accessibility",
            "schedules",
            Prefetch("phones", queryset=Phone.objects.public(), to_attr="public_phones"),
        )
    )
    return list(base.filter(service_at_locations__service=service).distinct()) or list(
        base.filter(organization=service.organization)
    )
