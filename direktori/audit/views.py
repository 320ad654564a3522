"""The audit log and emergency access pages (docs/security.md, "Audit and break the glass").

Who may not see a page gets 404 (it does not exist for them); anonymous users are sent to sign in.
Each viewing and download of the audit log is itself an audit event.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from direktori.accounts.models import AccessGrant, User
from direktori.core.spreadsheets import csv_cell

from . import services
from .forms import AuditFilterForm, BreakGlassForm
from .models import Action, AuditEvent, AuditEventQuerySet
from .permissions import may_break_glass, may_view_audit

PAGE_SIZE = 50
#: A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
CSV_COLUMNS = (
    "when",
    "username",
    "action",
    "object_type",
    "object_id",
    "area",
    "ip_address",
    "user_agent",
    "reason",
    "detail",
)


def _visible_events(request: HttpRequest, form: AuditFilterForm) -> AuditEventQuerySet:
    if not may_view_audit(request.user):
        raise Http404
    return form.filter(AuditEvent.objects.visible_to(request.user)).select_related("area")


@login_required
@never_cache
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    events = _visible_events(request, form)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)  # before this viewing is itself recorded
    services.audit_record(
        action=Action.RECORD_VIEWED,
        request=request,
        object_type="audit.log",
        area=request.user.area,  # type: ignore[union-attr]
        detail={"filters": form.used(), "page": page.number},
    )
    context = {
        "form": form,
        "page": page,
        "events": rows,
        "page_range": page.paginator.get_elided_page_range(page.number),
        "may_break_glass": may_break_glass(request.user),
    }
    return render(request, "audit/log.html", context)


def _csv_rows(events: Iterable[AuditEvent]) -> Iterator[list[str]]:
    yield list(CSV_COLUMNS)
    for event in events:
        yield [
            csv_cell(value)
            for value in (
                timezone.localtime(event.when).isoformat(timespec="seconds"),
                event.actor_username,
                event.action,
                event.object_type,
                event.object_id,
                event.area.code if event.area else "",
                event.ip_address,
                event.user_agent,
                event.reason,
                json.dumps(event.detail, ensure_ascii=False, sort_keys=True)
                if event.detail
                else "",
            )
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
@never_cache
@require_GET
def audit_export(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered audit log as CSV (UTF-8 with a byte-order mark, which Excel needs)."""
    form = AuditFilterForm(request.GET or None)
    events = _visible_events(request, form)
    services.audit_record(
        action=Action.RECORD_EXPORTED,
        request=request,
        object_type="audit.log",
        area=request.user.area,  # type: ignore[union-attr]
        detail={"filters": form.used(), "rows": events.count()},
    )
    writer = csv.writer(_Echo())
    lines = (writer.writerow(row) for row in _csv_rows(events.iterator(chunk_size=2000)))
    response = StreamingHttpResponse(
        _with_bom(lines), content_type="text/csv; charset=utf-8", headers={"X-Robots-Tag": "none"}
    )
    filename = f"audit-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _with_bom(lines: Iterator[str]) -> Iterator[str]:
    yield "\ufeff"
    yield from lines


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest) -> HttpResponse:
    if not may_break_glass(request.user):
        raise Http404
    user = cast(User, request.user)
    form = BreakGlassForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.access_grant_open(
                user=user,
                area=form.cleaned_data["area"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            ends = formats.date_format(timezone.localtime(grant.ends_at), "DATETIME_FORMAT")
            messages.success(
                request,
                _("You can see the records of %(area)s until %(ends)s. Your supervisor is told.")
                % {"area": grant.area.name, "ends": ends},
            )
            return redirect("audit:break_glass")
    grants = list(AccessGrant.objects.filter(user=user).select_related("area")[:50])
    current = set(AccessGrant.objects.current().filter(user=user).values_list("pk", flat=True))
    context = {
        "form": form,
        "grants": [(grant, grant.pk in current) for grant in grants],
        "hours": services.break_glass_hours(),
    }
    return render(request, "audit/break_glass.html", context)


@login_required
@require_POST
def break_glass_end(request: HttpRequest, pk: int) -> HttpResponse:
    grant = get_object_or_404(
        AccessGrant.objects.select_related("area"), pk=pk, user_id=request.user.pk
    )
    try:
        services.access_grant_end(grant=grant, user=request.user, request=request)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Your emergency access to %(area)s has ended.") % {"area": grant.area.name}
        )
    return redirect("audit:break_glass")
