from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import Area, AreaBoundary
from .services import area_save


class AreaPathFilter(admin.SimpleListFilter):
    """Rows whose area lies within a chosen area: one indexed prefix query on `Area.path`.

    Subclasses name the path of the area to filter on (`area__path`, `organization__area__path`)
    in `path_lookup`; the choices carry DOSM codes, which read well in a URL.
    """

    path_lookup = "path"
    kind: str = Area.Kind.STATE
    _paths: dict[str, str]

    def candidates(self, request: HttpRequest) -> QuerySet[Area]:
        return Area.objects.of_kind(self.kind).order_by("name_ms")

    def label(self, area: Area) -> str:
        return area.name

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        areas = list(self.candidates(request))
        self._paths = {area.code: area.path for area in areas}
        return [(area.code, self.label(area)) for area in areas]

    def has_output(self) -> bool:
        # Django applies only the filters it shows: one that was asked for must show.
        return super().has_output() or bool(self.value())

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if not value:
            return queryset
        path = self._paths.get(value)
        if path is None:
            path = (
                Area.objects.filter(code=value, kind=self.kind)
                .values_list("path", flat=True)
                .first()
            )
        if path is None:
            return queryset.none()
        return queryset.filter(**{f"{self.path_lookup}__startswith": path})


class StateFilter(AreaPathFilter):
    title = _("state")
    parameter_name = "state"
    kind = Area.Kind.STATE

    def choices(self, changelist: ChangeList) -> Iterator[Any]:
        # Choosing another state drops the district chosen under the previous one.
        values = [None, *(value for value, _label in self.lookup_choices)]
        for value, choice in zip(values, super().choices(changelist), strict=True):
            params = {} if value is None else {self.parameter_name: value}
            choice["query_string"] = changelist.get_query_string(
                params, [self.parameter_name, DistrictFilter.parameter_name]
            )
            yield choice


class DistrictFilter(AreaPathFilter):
    """The districts of the chosen state; none until a state is chosen (a list of 160 districts
    helps nobody), except the district a link names on its own."""

    title = _("district")
    parameter_name = "district"
    kind = Area.Kind.DISTRICT

    def candidates(self, request: HttpRequest) -> QuerySet[Area]:
        districts = Area.objects.districts().select_related("parent")
        state = request.GET.get(StateFilter.parameter_name)
        if state:
            return districts.filter(parent__code=state).order_by("name_ms")
        return districts.filter(code=request.GET.get(self.parameter_name, ""))

    def label(self, area: Area) -> str:
        if self.request.GET.get(StateFilter.parameter_name) or area.parent is None:
            return area.name
        return f"{area.name} ({area.parent.name})"


class AreaAdminForm(forms.ModelForm):
    class Meta:
        model = Area
        fields = [
            "kind",
            "locality_type",
            "name_ms",
            "name_en",
            "slug",
            "code",
            "parent",
            "postcode",
            "source",
            "is_uncertain",
        ]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    form = AreaAdminForm
    list_display = ["name_ms", "name_en", "kind", "code", "parent", "is_uncertain"]
    list_select_related = ["parent"]
    list_filter = ["kind", "is_uncertain", StateFilter, DistrictFilter]
    search_fields = ["name_ms", "name_en", "=code"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name_ms"]}
    readonly_fields = ["path", "has_boundary", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["kind", "locality_type", "name_ms", "name_en", "slug"]}),
        (_("Place in the hierarchy"), {"fields": ["parent", "code", "path", "postcode"]}),
        (_("Source"), {"fields": ["source", "is_uncertain", "has_boundary"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    list_per_page = 50

    @admin.display(description=_("boundary known"), boolean=True)
    def has_boundary(self, area: Area) -> bool:
        return AreaBoundary.objects.filter(area=area).exists()

    def get_queryset(self, request: HttpRequest) -> QuerySet[Area]:
        # District boundaries are large GeoJSON documents that no admin page shows.
        return super().get_queryset(request)

    def save_model(self, request: HttpRequest, obj: Area, form: forms.Form, change: bool) -> None:
        area_save(obj)
