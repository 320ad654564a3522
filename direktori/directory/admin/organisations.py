from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ..models import Contact, Organization, OrganizationIdentifier, Service
from .details import PhoneInline
from .filters import OrganizationDistrictFilter, OrganizationStateFilter, TargetGroupFilter
from .locations import LocationInline
from .verification import VERIFICATION_FIELDS, VerificationFilter, mark_verified_today


class ServiceInline(admin.TabularInline):
    model = Service
    fields = ["name", "name_en", "status", "verified_on"]
    readonly_fields = ["verified_on"]
    show_change_link = True
    extra = 0


class ContactInline(admin.TabularInline):
    model = Contact
    fk_name = "organization"
    fields = ["name", "title", "department", "email", "is_public"]
    show_change_link = True
    extra = 0


class IdentifierInline(admin.TabularInline):
    model = OrganizationIdentifier
    fields = ["identifier_scheme", "identifier_type", "identifier"]
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "area", "status", "is_demo", "verified_on"]
    list_select_related = ["area"]
    list_filter = [
        "kind",
        "status",
        "is_demo",
        VerificationFilter,
        TargetGroupFilter,
        OrganizationStateFilter,
        OrganizationDistrictFilter,
    ]
    search_fields = ["name", "name_en", "alternate_name"]
    autocomplete_fields = ["area", "parent_organization"]
    readonly_fields = VERIFICATION_FIELDS
    actions = [mark_verified_today]
    inlines = [ServiceInline, LocationInline, PhoneInline, ContactInline, IdentifierInline]
    fieldsets = [
        (
            _("Identity"),
            {
                "fields": [
                    "kind",
                    "name",
                    "name_en",
                    "alternate_name",
                    "parent_organization",
                    "status",
                    "is_demo",
                ]
            },
        ),
        (_("Description (Malay and English)"), {"fields": ["description_ms", "description_en"]}),
        (_("Contact"), {"fields": ["email", "website"]}),
        (_("Area"), {"fields": ["area"]}),
        (_("Verification"), {"fields": [*VERIFICATION_FIELDS, "source"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organization]:
        return super().get_queryset(request)


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "department", "organization", "service", "is_public"]
    list_select_related = ["organization", "service"]
    list_filter = ["is_public"]
    search_fields = ["name", "title", "department", "organization__name", "service__name"]
    autocomplete_fields = ["organization", "service"]
    fields = ["name", "title", "department", "email", "is_public", "organization", "service"]
    inlines = [PhoneInline]
