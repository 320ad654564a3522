"""Verification in the admin: editing is not verifying, so only the action below sets
`verified_on` and `verified_by` (through `direktori.verification.services.entry_verify`, as the
officer's page does), and forms show them read-only."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from direktori.accounts.models import User
from direktori.directory.models import Service
from direktori.verification.permissions import may_verify
from direktori.verification.services import entry_verify

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


@admin.action(description=_("Mark as verified today"), permissions=["change"])
def mark_verified_today(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Any]
) -> None:
    """Verifies each chosen entry through `entry_verify`, as an officer's "still true" does (an
    audit event each; the search index follows the save), in one transaction. Entries outside
    the user's own area are left as they are, as on the officer's page."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 (narrows the type: the admin serves signed-in staff only)
    related = "organization__area" if modeladmin.model is Service else "area"
    entries = list(queryset.select_related(related).order_by())
    verified = [entry for entry in entries if may_verify(user, entry)]
    with transaction.atomic():
        for entry in verified:
            entry_verify(entry=entry, user=user, request=request)
        if verified:
            fields = [
                str(modeladmin.model._meta.get_field(name).verbose_name)
                for name in VERIFICATION_FIELDS
            ]
            LogEntry.objects.log_actions(
                user_id=user.pk,
                queryset=verified,
                action_flag=CHANGE,
                change_message=[{"changed": {"fields": fields}}],
            )
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d entry marked as verified today.",
            "%(count)d entries marked as verified today.",
            len(verified),
        )
        % {"count": len(verified)},
        messages.SUCCESS,
    )
    skipped = len(entries) - len(verified)
    if skipped:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d entry is outside your area and was not verified.",
                "%(count)d entries are outside your area and were not verified.",
                skipped,
            )
            % {"count": skipped},
            messages.WARNING,
        )
