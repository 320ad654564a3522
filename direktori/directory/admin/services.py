from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import ManyToManyField, Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ..models import Service, TaxonomyTerm
from .details import LanguageInline, PhoneInline, ScheduleInline, ServiceAreaInline
from .filters import CategoryFilter, ServiceDistrictFilter, ServiceStateFilter, TargetGroupFilter
from .locations import ServiceAtLocationInline
from .verification import VERIFICATION_FIELDS, VerificationFilter, mark_verified_today


class TermChoiceField(forms.ModelMultipleChoiceField):
    """Target groups and categories share one list: each term says which vocabulary it is from."""

    def label_from_instance(self, obj: TaxonomyTerm) -> str:
        return f"{obj.taxonomy.name}: {obj.name}"


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "status", "verified_on", "target_groups"]
    list_select_related = ["organization"]
    list_filter = [
        "status",
        VerificationFilter,
        TargetGroupFilter,
        CategoryFilter,
        ServiceStateFilter,
        ServiceDistrictFilter,
    ]
    search_fields = [
        "name",
        "name_en",
        "alternate_name",
        "organization__name",
        "organization__name_en",
        "organization__alternate_name",
    ]
    autocomplete_fields = ["organization"]
    filter_horizontal = ["terms"]
    readonly_fields = VERIFICATION_FIELDS
    actions = [mark_verified_today]
    inlines = [
        PhoneInline,
        ScheduleInline,
        ServiceAreaInline,
        LanguageInline,
        ServiceAtLocationInline,
    ]
    fieldsets = [
        (
            _("Identity"),
            {"fields": ["organization", "name", "name_en", "alternate_name", "status"]},
        ),
        (_("Target groups and categories"), {"fields": ["terms"]}),
        (_("Description (Malay and English)"), {"fields": ["description_ms", "description_en"]}),
        (
            _("Who may use it and how"),
            {
                "fields": [
                    "eligibility_ms",
                    "eligibility_en",
                    "application_process_ms",
                    "application_process_en",
                    "fees_ms",
                    "fees_en",
                    "hours_note_ms",
                    "hours_note_en",
                ]
            },
        ),
        (_("Contact"), {"fields": ["email", "url"]}),
        (_("Verification"), {"fields": VERIFICATION_FIELDS}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Service]:
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "terms",
                    queryset=TaxonomyTerm.objects.target_groups(),
                    to_attr="target_group_terms",
                )
            )
        )

    @admin.display(description=_("target groups"))
    def target_groups(self, service: Service) -> str:
        return ", ".join(term.name for term in getattr(service, "target_group_terms", []))

    def formfield_for_manytomany(
        self, db_field: ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelMultipleChoiceField | None:
        if db_field.name == "terms":
            kwargs["queryset"] = TaxonomyTerm.objects.select_related("taxonomy")
            kwargs["form_class"] = TermChoiceField
        return super().formfield_for_manytomany(db_field, request, **kwargs)
