"""Public pages of the directory: anyone may read them, no account needed (docs/security.md).

They show only active entries and never a confidential location, address or phone.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from direktori.areas.models import Area

from . import hours
from .forms import SearchForm
from .models import Location, Organization, Phone, Service, TaxonomyTerm
from .selectors import area_service_counts, helpline_services, target_groups_with_counts

PER_PAGE = 20


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


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    services = Service.objects.none()
    searched = form.is_bound and form.is_valid()
    if searched:
        services = form.results()
    page = _page(request, services.for_listing())
    context = {
        "form": form,
        "searched": searched,
        "page": page,
        "helplines": helpline_services() if searched and not page.paginator.count else [],
    }
    is_htmx = bool(getattr(request, "htmx", False))  # set by django_htmx middleware
    template = "directory/search.html#results" if is_htmx else "directory/search.html"
    return render(request, template, context)


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
    assert area is not None
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
