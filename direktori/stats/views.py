"""The statistics dashboard (public; officers see exact counts of their own area) with its CSV
and XLSX downloads, and the HQ administrators' upload of official figures
(docs/statistics.md, docs/security.md "Statistics")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from direktori.accounts.bulk_invite import dump_rows, load_rows
from direktori.accounts.manage_forms import BulkConfirmForm
from direktori.audit.models import Action
from direktori.audit.services import audit_record
from direktori.core.spreadsheets import download
from direktori.core.uploads import confirmed_upload, uploaded_rows

from . import charts, dashboard, downloads, importing, places, services
from .forms import DashboardForm, UploadForm
from .models import Category
from .permissions import may_import

PREVIEW_SALT = "direktori.stats.import-preview"
#: The preview lists this many of the figures that would change a count already loaded.
PREVIEW_REPLACEMENTS = 100


@dataclass(frozen=True)
class Replacement:
    row: int
    figure: services.Figure
    area: str
    before: int


def _choice(params: QueryDict) -> tuple[DashboardForm, dashboard.Choice]:
    """The form as filled in, and what to show: the choice when it is valid, else the defaults
    (with the form's errors on the page)."""
    category = params.get("category", "")
    if category not in Category.values:
        category = Category.CHILD_PROTECTION
    start, end = dashboard.default_range(category)
    defaults = {
        "category": category,
        "start": f"{start:%Y-%m}",
        "end": f"{end:%Y-%m}",
        "area": places.tree().country.code,
        "measure": "count",
    }
    given = {name: params.get(name, "").strip() for name in defaults if params.get(name)}
    form = DashboardForm({**defaults, **given})
    if form.is_valid():
        return form, form.choice()
    fallback = DashboardForm(defaults)
    fallback.is_valid()
    return form, fallback.choice()


def _link_query(choice: dashboard.Choice, **changes: str) -> str:
    params = QueryDict(mutable=True)
    params.update(
        {
            "category": choice.category,
            "start": f"{choice.start:%Y-%m}",
            "end": f"{choice.end:%Y-%m}",
            "area": choice.area.code,
            "measure": choice.measure,
            **changes,
        }
    )
    return params.urlencode()


@require_GET
def dashboard_page(request: HttpRequest) -> HttpResponse:
    form, choice = _choice(request.GET)
    shown = dashboard.build(choice, request.user)
    board_map = charts.choropleth(shown, places.tree())

    def link(code: str) -> str:
        return _link_query(choice, area=code)

    context = {
        "form": form,
        "board": shown,
        "chart": charts.chart(shown.official.by_month),
        "map": board_map,
        "map_areas": [(area, link(area.code) if area.link else "") for area in board_map.areas],
        "area_rows": [
            (line, link(line.code) if line.code else "") for line in shown.official.by_area
        ],
        "referral_rows": [(line, "") for line in shown.referrals.by_area],
        "crumbs": [(place, link(place.code)) for place in shown.lineage],
        "query": _link_query(choice),
        "other_measure": _link_query(
            choice, measure="count" if choice.measure == "rate" else "rate"
        ),
    }
    response = render(request, "stats/dashboard.html", context)
    if shown.exact:
        response["Cache-Control"] = "private, no-store"
    return response


def _download(request: HttpRequest, kind: str) -> HttpResponse:
    _form, choice = _choice(request.GET)
    shown = dashboard.build(choice, request.user)
    if shown.exact:
        audit_record(
            action=Action.RECORD_EXPORTED,
            request=request,
            object_type="stats.statistics",
            area=getattr(request.user, "area", None),
            detail={
                "category": choice.category,
                "from": choice.start.isoformat(),
                "to": choice.end.isoformat(),
                "area": choice.area.code,
                "format": kind,
            },
        )
    name = f"statistik-{choice.category}-{choice.area.code}-{choice.start:%Y%m}-{choice.end:%Y%m}"
    body = downloads.as_csv(shown) if kind == "csv" else downloads.as_xlsx(shown)
    return download(body, kind, name, private=shown.exact)


@require_GET
def download_csv(request: HttpRequest) -> HttpResponse:
    return _download(request, "csv")


@require_GET
def download_xlsx(request: HttpRequest) -> HttpResponse:
    return _download(request, "xlsx")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    """Upload → preview (every problem by row and column, or what will be added and replaced)
    → confirm; the rows travel between the two as a signed token bound to the administrator."""
    if not may_import(request.user):
        raise Http404
    actor = request.user
    context: dict[str, Any] = {"upload_form": UploadForm(), "columns": importing.COLUMNS}
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, actor, context)
    if request.method == "POST":
        form, rows = uploaded_rows(request, UploadForm, importing.read)
        context["upload_form"] = form
        if rows is not None:
            _preview(context, rows, actor, getattr(form.cleaned_data["file"], "name", ""))
    return render(request, "stats/import.html", context)


def _preview(context: dict[str, Any], rows: list[importing.Row], actor: Any, name: str) -> None:
    figures, problems = importing.check(rows)
    context["problems"] = problems
    if problems:
        return
    outcome, existing = services.figures_outcome(figures)
    token = dump_rows(rows, actor=actor, salt=PREVIEW_SALT, extra={"file": name[:255]})
    tree = places.tree()
    replaced = [
        Replacement(row.number, figure, tree.by_id[figure.area_id].label, existing[figure.key][1])
        for row, figure in zip(rows, figures, strict=True)  # no problems: one figure a row
        if figure.key in existing and existing[figure.key][1] != figure.count
    ]
    context.update(
        outcome=outcome,
        replaced=replaced[:PREVIEW_REPLACEMENTS],
        figures=len(figures),
        file_name=name,
        confirm_form=BulkConfirmForm(initial={"token": token}),
    )


def _confirm(request: HttpRequest, actor: Any, context: dict[str, Any]) -> HttpResponse:
    def save(token: str) -> dict[str, Any]:
        rows, extra = load_rows(token, actor=actor, salt=PREVIEW_SALT)
        return {"outcome": importing.import_all(rows, file_name=extra.get("file", ""), actor=actor)}

    context.update(confirmed_upload(BulkConfirmForm(request.POST), save))
    return render(request, "stats/import.html", context)
