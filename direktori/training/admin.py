"""Administrators keep the programme's topics (names, the required flag, target groups);
sessions and attendance are kept in the officers' pages, where the permissions and the audit
apply."""

from django.contrib import admin

from .models import Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("code", "name_ms", "name_en", "required", "position")
    list_editable = ("required", "position")
    list_filter = ("required",)
    search_fields = ("code", "name_ms", "name_en")
    filter_horizontal = ("target_groups",)
