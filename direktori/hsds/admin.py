from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import ChangeRecord


@admin.register(ChangeRecord)
class ChangeRecordAdmin(admin.ModelAdmin):
    list_display = ["last_action_date", "resource_type", "resource_id", "field_name", "updated_by"]
    list_filter = ["resource_type", "last_action_type"]
    search_fields = ["=resource_id", "updated_by"]
    date_hierarchy = "last_action_date"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
