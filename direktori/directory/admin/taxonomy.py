from __future__ import annotations

from django.contrib import admin

from ..models import Taxonomy, TaxonomyTerm


class TaxonomyTermInline(admin.TabularInline):
    model = TaxonomyTerm
    fields = ["code", "name_ms", "name_en", "parent", "position"]
    autocomplete_fields = ["parent"]
    extra = 0


@admin.register(Taxonomy)
class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ["name_ms", "name_en", "code", "version"]
    search_fields = ["name_ms", "name_en", "code"]
    fields = ["code", "name_ms", "name_en", "description_ms", "description_en", "uri", "version"]
    inlines = [TaxonomyTermInline]


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(admin.ModelAdmin):
    list_display = ["name_ms", "name_en", "code", "taxonomy", "parent", "position"]
    list_select_related = ["taxonomy", "parent"]
    list_filter = ["taxonomy"]
    search_fields = ["name_ms", "name_en", "code"]
    autocomplete_fields = ["parent"]
    fields = [
        "taxonomy",
        "code",
        "name_ms",
        "name_en",
        "description_ms",
        "description_en",
        "parent",
        "position",
    ]
