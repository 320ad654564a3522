from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from direktori.directory import phones

from ..models import Language, Phone, Schedule, ServiceArea


class PhoneForm(forms.ModelForm):
    """Shows stored numbers as people write them (03-8947 5555); `Phone.clean` normalises them."""

    class Meta:
        model = Phone
        fields = [
            "kind",
            "number",
            "extension",
            "description_ms",
            "description_en",
            "is_confidential",
            "position",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.number and "number" in self.fields:
            self.initial["number"] = phones.display(self.instance.number)


class PhoneInline(admin.TabularInline):
    model = Phone
    form = PhoneForm
    fields = tuple(PhoneForm.Meta.fields)
    extra = 0


class ScheduleInline(admin.TabularInline):
    model = Schedule
    fields = ["weekday", "all_day", "opens_at", "closes_at", "valid_from", "valid_to"]
    extra = 0


class LanguageInline(admin.TabularInline):
    model = Language
    fields = ["code", "name", "note"]
    extra = 0


class ServiceAreaInline(admin.TabularInline):
    model = ServiceArea
    fields = ["area", "description"]
    autocomplete_fields = ["area"]
    extra = 0


def _digits_after_trunk_prefix(term: str) -> str:
    """`03-8947 5555` → `389475555`, which is part of the stored `+60389475555`."""
    digits = re.sub(r"\D", "", term)
    if digits.startswith("60"):
        return digits[2:]
    return digits.removeprefix("0")


class PhoneAdminForm(PhoneForm):
    class Meta(PhoneForm.Meta):
        fields = [*PhoneForm.Meta.fields, "organization", "service", "location", "contact"]


@admin.register(Phone)
class PhoneAdmin(admin.ModelAdmin):
    form = PhoneAdminForm
    list_display = [
        "display_number",
        "kind",
        "organization",
        "service",
        "location",
        "contact",
        "is_confidential",
    ]
    list_select_related = ["organization", "service", "location__organization", "contact"]
    list_filter = ["kind", "is_confidential"]
    search_fields = ["number"]
    autocomplete_fields = ["organization", "service", "location", "contact"]
    fieldsets = [
        (None, {"fields": tuple(PhoneForm.Meta.fields)}),
        (_("Belongs to"), {"fields": ["organization", "service", "location", "contact"]}),
    ]

    @admin.display(description=_("number"), ordering="number")
    def display_number(self, phone: Phone) -> str:
        return phone.display

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Phone], search_term: str
    ) -> tuple[QuerySet[Phone], bool]:
        """Find numbers however they are written: 03-8947 5555, 0389475555, +60 3-8947 5555."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        digits = _digits_after_trunk_prefix(search_term)
        if len(digits) < 3:
            return results, may_have_duplicates
        return results | queryset.filter(number__contains=digits), may_have_duplicates
