"""Outreach activity pages (docs/security.md, "Outreach activity"). Who may not see a page gets
404; anonymous visitors are sent to sign in."""

from __future__ import annotations

import csv
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from direktori.accounts.models import User
from direktori.audit.models import Action
from direktori.audit.services import audit_record
from direktori.core.spreadsheets import csv_cell

from . import services
from .forms import ActivityFilterForm, ActivityForm, PeriodForm
from .models import Activity
from .permissions import CHANGE_DAYS, may_change, may_record, may_view_activities, may_view_summary
from .selectors import activity_summary, summary_csv_rows

PAGE_SIZE = 25


@login_required
@require_GET
def activity_list(request: HttpRequest) -> HttpResponse:
    if not may_view_activities(request.user):
        raise Http404
    visible = Activity.objects.visible_to(request.user)
    form = ActivityFilterForm(request.GET or None, activities=visible)
    activities = form.filter(visible).select_related("cbo", "target_group", "locality")
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(activity, may_change(request.user, activity)) for activity in page.object_list]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "page_range": page.paginator.get_elided_page_range(page.number),
        "filtered": form.is_bound and any(request.GET.get(name) for name in form.fields),
        "may_record": may_record(request.user),
        "may_view_summary": may_view_summary(request.user),
        "change_days": CHANGE_DAYS,
    }
    return render(request, "outreach/list.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest) -> HttpResponse:
    if not may_record(request.user):
        raise Http404
    user = cast(User, request.user)
    form = ActivityForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_create(actor=user, request=request, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied as error:
            raise Http404 from error
        else:
            messages.success(request, _("The activity is recorded. Thank you."))
            return redirect("outreach:list")
    return render(request, "outreach/form.html", {"form": form, "activity": None})


def _changeable(request: HttpRequest, pk: object) -> Activity:
    activity = get_object_or_404(
        Activity.objects.visible_to(request.user).select_related("cbo__area"), pk=pk
    )
    if not may_change(request.user, activity):
        raise Http404
    return activity


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: object) -> HttpResponse:
    activity = _changeable(request, pk)
    user = cast(User, request.user)
    form = ActivityForm(request.POST or None, instance=activity, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(
                actor=user, activity=activity, request=request, **form.cleaned_changes()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The activity is changed."))
            return redirect("outreach:list")
    return render(request, "outreach/form.html", {"form": form, "activity": activity})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def activity_delete(request: HttpRequest, pk: object) -> HttpResponse:
    activity = _changeable(request, pk)
    if request.method == "POST":
        services.activity_delete(actor=cast(User, request.user), activity=activity, request=request)
        messages.success(request, _("The activity is deleted."))
        return redirect("outreach:list")
    return render(request, "outreach/delete.html", {"activity": activity})


@login_required
@require_GET
def activity_summary_page(request: HttpRequest) -> HttpResponse:
    if not may_view_summary(request.user):
        raise Http404
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    summary = activity_summary(user=request.user, start=start, end=end)
    return render(request, "outreach/summary.html", {"form": form, "summary": summary})


@login_required
@never_cache
@require_GET
def activity_summary_csv(request: HttpRequest) -> HttpResponse:
    if not may_view_summary(request.user):
        raise Http404
    start, end = PeriodForm(request.GET or None).period()
    summary = activity_summary(user=request.user, start=start, end=end)
    audit_record(
        action=Action.RECORD_EXPORTED,
        request=request,
        object_type="outreach.summary",
        area=request.user.area,  # type: ignore[union-attr]
        detail={"from": start.isoformat(), "to": end.isoformat(), "rows": len(summary.rows)},
    )
    response = HttpResponse(
        content_type="text/csv; charset=utf-8", headers={"X-Robots-Tag": "none"}
    )
    response["Content-Disposition"] = (
        f'attachment; filename="aktiviti-{start:%Y%m%d}-{end:%Y%m%d}.csv"'
    )
    response.write("\ufeff")
    writer = csv.writer(response)
    for row in summary_csv_rows(summary):
        writer.writerow([csv_cell(value) for value in row])
    return response
