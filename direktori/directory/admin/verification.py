"""Verification in the admin: editing is not verifying, so only the action below sets
`verified_on` and `verified_by`, and forms show them read-only."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from direktori.directory.models import Service
from direktori.search.indexing import schedule as search_index_schedule

VERIFICATION_FIELDS = ("verified_on", "verified_by")


def twelve_months_before(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


class VerificationFilter(admin.SimpleListFilter):
    title = _("verification")
    parameter_name = "verification"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("never", _("Never verified")),
            ("stale", _("Verified over 12 months ago")),
            ("recent", _("Verified within 12 months")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        cutoff = twelve_months_before(timezone.localdate())
        match self.value():
            case "never":
                return queryset.filter(verified_on__isnull=True)
            case "stale":
                return queryset.filter(verified_on__lt=cutoff)
            case "recent":
                return queryset.filter(verified_on__gte=cutoff)
        return queryset


def _services_of(entries: list[Any]) -> list[Any]:
    services: list[Any] = []
    for entry in entries:
        if isinstance(entry, Service):
            services.append(entry.pk)
        else:
            services += entry.services.values_list("pk", flat=True)
    return services


@admin.action(description=_("Mark as verified today"), permissions=["change"])
def mark_verified_today(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Any]
) -> None:
    assert request.user.pk is not None  # noqa: S101 (narrows the type: the admin serves signed-in staff only)
    entries = list(queryset.order_by())
    today = timezone.localdate()
    count = modeladmin.model._default_manager.filter(pk__in=[e.pk for e in entries]).update(
        verified_on=today, verified_by=request.user, updated_at=timezone.now()
    )
    search_index_schedule(_services_of(entries))  # search favours recently verified entries
    fields = [
        str(modeladmin.model._meta.get_field(name).verbose_name) for name in VERIFICATION_FIELDS
    ]
    LogEntry.objects.log_actions(
        user_id=request.user.pk,
        queryset=entries,
        action_flag=CHANGE,
        change_message=[{"changed": {"fields": fields}}],
    )
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d entry marked as verified today.",
            "%(count)d entries marked as verified today.",
            count,
        )
        % {"count": count},
        messages.SUCCESS,
    )
