from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
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


def _sign_in_instead(request: HttpRequest, extra_context: object = None) -> HttpResponse:
    """The admin has no sign-in of its own: the site's, with lockout and the second factor."""
    return redirect_to_login(
        request.GET.get("next") or reverse("admin:index"), login_url=reverse("accounts:sign_in")
    )


admin.site.login = _sign_in_instead  # type: ignore[method-assign]
