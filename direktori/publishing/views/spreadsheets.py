"""Spreadsheets for staff (docs/how-to/spreadsheets.md) and an organisation's vCard.

Officers (district, state, HQ) load and export the entries of their own area: the template, the
upload with its preview and confirmation, and the filtered export. Anyone else signed in gets
404, as on every officer page (docs/security.md); anonymous visitors are sent to sign in. The
search results' download and the vCard are public and hold public data only.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from direktori.accounts.manage_forms import BulkConfirmForm
from direktori.accounts.permissions import is_officer
from direktori.audit.models import Action
from direktori.audit.services import audit_record
from direktori.core.spreadsheets import download
from direktori.core.uploads import confirmed_upload, uploaded_rows
from direktori.directory.forms import SearchForm

from .. import entries, entries_save, spreadsheet_files, vcard
from ..entries_check import check
from ..entries_export import loadable_areas, officer_entries, public_entries
from ..entries_forms import EntriesFilterForm, EntriesUploadForm


def _officer(request: HttpRequest) -> Any:
    if not is_officer(request.user):
        raise Http404
    return request.user


def _body(rows: list[list[str]], kind: str) -> bytes:
    return spreadsheet_files.as_xlsx(rows) if kind == "xlsx" else spreadsheet_files.as_csv(rows)


@login_required
@never_cache
@require_GET
def entries_template(request: HttpRequest) -> HttpResponse:
    user = _officer(request)
    body = spreadsheet_files.template_xlsx(loadable_areas(user))
    return download(body, "xlsx", "templat-direktori", private=True)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def entries_import(request: HttpRequest) -> HttpResponse:
    """Upload → preview (every problem, or what each row changes) → confirm."""
    actor = _officer(request)
    context: dict[str, Any] = {
        "upload_form": EntriesUploadForm(),
        "columns": entries.KEYS,
        "filter_form": EntriesFilterForm(user=actor),
    }
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, actor, context)
    if request.method == "POST":
        context["upload_form"], rows = uploaded_rows(request, EntriesUploadForm, entries.read)
        if rows is not None:
            plans, problems = check(rows, actor=actor)
            context.update(problems=problems, plans=plans)
            if not problems:
                context.update(_counts(plans))
                if any(plan.changes for plan in plans):
                    token = entries_save.dump(rows, actor=actor)
                    context["confirm_form"] = BulkConfirmForm(initial={"token": token})
    return render(request, "publishing/entries_import.html", context)


def _counts(plans: list[Any]) -> dict[str, int]:
    outcomes = [plan.outcome for plan in plans]
    return {f"{name}_count": outcomes.count(name) for name in ("new", "changed", "unchanged")}


def _confirm(request: HttpRequest, actor: Any, context: dict[str, Any]) -> HttpResponse:
    def save(token: str) -> dict[str, Any]:
        plans = entries_save.import_all(entries_save.load(token, actor=actor), actor=actor)
        return {"plans": plans, **_counts(plans)}

    context.update(confirmed_upload(BulkConfirmForm(request.POST), save))
    return render(request, "publishing/entries_import.html", context)


def _officer_export(request: HttpRequest, kind: str) -> HttpResponse:
    user = _officer(request)
    form = EntriesFilterForm(request.GET, user=user)
    if not form.is_valid():
        return HttpResponse(_("Check the filters."), status=400, content_type="text/plain")
    rows = entries.rows_of(officer_entries(user, form))
    audit_record(
        action=Action.RECORD_EXPORTED,
        request=request,
        object_type="directory.service",
        area=getattr(user, "area", None),
        detail={
            "count": len(rows),
            "format": kind,
            "filters": {k: str(v) for k, v in form.cleaned_data.items() if v and k != "q"},
        },
    )
    name = f"direktori-{timezone.localdate():%Y%m%d}"
    return download(_body(rows, kind), kind, name, private=True)


@login_required
@never_cache
@require_GET
def entries_export_xlsx(request: HttpRequest) -> HttpResponse:
    return _officer_export(request, "xlsx")


@login_required
@never_cache
@require_GET
def entries_export_csv(request: HttpRequest) -> HttpResponse:
    return _officer_export(request, "csv")


def _search_download(request: HttpRequest, kind: str) -> HttpResponse:
    form = SearchForm(request.GET or None)
    rows: list[list[str]] = []
    if form.is_bound:
        if not form.is_valid():
            return HttpResponse(_("Check the search."), status=400, content_type="text/plain")
        rows = entries.rows_of(public_entries(form.to_query()))
    return download(_body(rows, kind), kind, "carian-direktori", private=False)


@require_GET
def search_download_xlsx(request: HttpRequest) -> HttpResponse:
    return _search_download(request, "xlsx")


@require_GET
def search_download_csv(request: HttpRequest) -> HttpResponse:
    return _search_download(request, "csv")


@require_GET
def organization_vcard(request: HttpRequest, pk: Any) -> HttpResponse:
    organization = vcard.public_contacts(pk)
    if organization is None:
        raise Http404
    page = request.build_absolute_uri(organization.get_absolute_url())
    response = HttpResponse(
        vcard.vcard(organization, page_url=page), content_type="text/vcard; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{organization.pk}.vcf"'
    return response


urlpatterns = [
    path("akaun/direktori/templat.xlsx", entries_template, name="entries_template"),
    path("akaun/direktori/import/", entries_import, name="entries_import"),
    path("akaun/direktori/eksport.xlsx", entries_export_xlsx, name="entries_export_xlsx"),
    path("akaun/direktori/eksport.csv", entries_export_csv, name="entries_export_csv"),
    path("cari/muat-turun.xlsx", search_download_xlsx, name="search_download_xlsx"),
    path("cari/muat-turun.csv", search_download_csv, name="search_download_csv"),
    path("organisasi/<uuid:pk>/kenalan.vcf", organization_vcard, name="organization_vcard"),
]
