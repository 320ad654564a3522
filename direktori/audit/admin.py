from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: audit events are never added, changed or removed by hand."""

    list_display = ("when", "actor_username", "action", "object_type", "object_id", "area")
    list_filter = ("action",)
    search_fields = ("actor_username", "object_id")
    date_hierarchy = "when"
    list_select_related = ("area",)
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
