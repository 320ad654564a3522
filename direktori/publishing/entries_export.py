"""Which entries a download holds: an officer's filtered list of the entries they may load
(`officer_entries`), or the public search's results (`public_entries`: public data only, never a
confidential place, at most PUBLIC_LIMIT rows)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from direktori.accounts.permissions import NOTHING, area_q, is_officer, scope_paths
from direktori.areas.models import Area
from direktori.directory.models import Service
from direktori.search.engine import matching
from direktori.search.engine import search as engine_search
from direktori.search.query import SearchQuery

from .entries import with_entry_data

if TYPE_CHECKING:
    from .entries_forms import EntriesFilterForm

PUBLIC_LIMIT = 5000


def loadable_areas(user: Any) -> QuerySet[Area]:
    """The areas whose entries an officer may load: their own and every area below it."""
    paths = scope_paths(user, with_grants=False) if is_officer(user) else []
    query = NOTHING
    for path in paths:
        query |= Q(path__startswith=path)
    return Area.objects.filter(query).order_by("path")


def officer_services(user: Any) -> QuerySet[Service]:
    if not is_officer(user):
        return Service.objects.filter(NOTHING)
    return Service.objects.filter(area_q(user, "organization__area", with_grants=False))


def officer_entries(user: Any, form: EntriesFilterForm) -> QuerySet[Service]:
    """Only for a valid form."""
    data = form.cleaned_data
    services = officer_services(user)
    if data.get("kawasan"):
        area = next(a for a in form.areas if a.code == data["kawasan"])
        services = services.filter(organization__area__path__startswith=area.path)
    for key in ("kumpulan", "kategori"):
        if data.get(key):
            services = services.filter(terms=data[key])
    if data.get("status"):
        services = services.filter(status=data["status"])
    if data.get("q"):
        services = matching(services, data["q"])
    services = services.order_by("organization__name", "organization_id", "name", "pk")
    return with_entry_data(services, public=False)


def public_entries(query: SearchQuery) -> list[Service]:
    """The search page's results, in its order, as far as PUBLIC_LIMIT."""
    hits = engine_search(query, offset=0, limit=PUBLIC_LIMIT).hits
    order = {hit.service_id: position for position, hit in enumerate(hits)}
    services = with_entry_data(Service.objects.active().filter(pk__in=order), public=True)
    return sorted(services, key=lambda service: order[service.pk])
