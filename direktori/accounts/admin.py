from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import AccessGrant, User


@admin.register(User)
class DirektoriUserAdmin(UserAdmin):
    list_display = ("username", "role", "area", "organisation", "is_active", "last_login")
    list_filter = ("role", "is_active", "is_staff")
    search_fields = ("username", "first_name", "last_name", "email", "phone")
    autocomplete_fields = ("area", "organisation")
    fieldsets = (
        *UserAdmin.fieldsets,  # type: ignore[misc]
        (_("Role and scope"), {"fields": ("role", "area", "organisation", "phone")}),
    )


@admin.register(AccessGrant)
class AccessGrantAdmin(admin.ModelAdmin):
    list_display = ("user", "area", "starts_at", "ends_at", "revoked_at")
    readonly_fields = ("user", "area", "reason", "starts_at", "ends_at")
