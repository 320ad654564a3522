from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from ..models import Accessibility, Address, Location, ServiceAtLocation
from .details import PhoneInline, ScheduleInline
from .filters import LocationDistrictFilter, LocationStateFilter


class AddressInline(admin.StackedInline):
    model = Address
    fields = [
        "address_type",
        "attention",
        ("address_1", "address_2"),
        ("postal_code", "city"),
        ("region", "state_province", "country"),
    ]
    extra = 0


class AccessibilityInline(admin.TabularInline):
    model = Accessibility
    fields = ["description_ms", "description_en", "details", "url"]
    extra = 0


class ServiceAtLocationInline(admin.TabularInline):
    """On a service: where it is given."""

    model = ServiceAtLocation
    fields = ["location", "description"]
    autocomplete_fields = ["location"]
    extra = 0


class LocationServiceInline(admin.TabularInline):
    """On a location: the services given there."""

    model = ServiceAtLocation
    fields = ["service", "description"]
    autocomplete_fields = ["service"]
    extra = 0


class LocationInline(admin.TabularInline):
    model = Location
    fields = ["name", "location_type", "area", "is_confidential"]
    autocomplete_fields = ["area"]
    show_change_link = True
    extra = 0


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "confidential", "organization", "location_type", "area"]
    list_select_related = ["organization", "area"]
    list_filter = [
        "is_confidential",
        "location_type",
        LocationStateFilter,
        LocationDistrictFilter,
    ]
    search_fields = ["name", "organization__name", "organization__name_en", "addresses__city"]
    autocomplete_fields = ["organization", "area"]
    inlines = [
        AddressInline,
        PhoneInline,
        ScheduleInline,
        AccessibilityInline,
        LocationServiceInline,
    ]
    fieldsets = [
        (
            _("Confidentiality"),
            {
                "fields": ["is_confidential", "confidential_reason"],
                "description": _(
                    "A confidential location (a shelter, a safe house) and all its phone numbers "
                    "never appear on public pages, in exports, in the API or in the booklet."
                ),
            },
        ),
        (None, {"fields": ["organization", "name", "location_type"]}),
        (_("Description (Malay and English)"), {"fields": ["description_ms", "description_en"]}),
        (
            _("Getting there"),
            {"fields": ["transportation_ms", "transportation_en", "latitude", "longitude", "area"]},
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Location]:
        return super().get_queryset(request)

    @admin.display(description=_("confidential"), ordering="is_confidential")
    def confidential(self, location: Location) -> SafeString | str:
        if not location.is_confidential:
            return ""
        return format_html("<strong>{}</strong>", _("CONFIDENTIAL"))
