from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from direktori.areas.admin import DistrictFilter, StateFilter

from ..models import Service, TaxonomyTerm
from ..models.taxonomy import SERVICE_CATEGORIES, TARGET_GROUPS


class OrganizationStateFilter(StateFilter):
    path_lookup = "area__path"


class OrganizationDistrictFilter(DistrictFilter):
    path_lookup = "area__path"


class ServiceStateFilter(StateFilter):
    path_lookup = "organization__area__path"


class ServiceDistrictFilter(DistrictFilter):
    path_lookup = "organization__area__path"


class LocationStateFilter(StateFilter):
    path_lookup = "area__path"


class LocationDistrictFilter(DistrictFilter):
    path_lookup = "area__path"


class TermFilter(admin.SimpleListFilter):
    """Services (or organisations with a service) classified under a term of one taxonomy.

    A term also matches the services filed under its narrower terms. The choices carry the
    term codes, which read well in a URL.
    """

    taxonomy_code = TARGET_GROUPS

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        terms = TaxonomyTerm.objects.filter(taxonomy__code=self.taxonomy_code, parent=None)
        return [(term.code, term.name) for term in terms]

    def has_output(self) -> bool:
        # Django applies only the filters it shows: one that was asked for must show.
        return super().has_output() or bool(self.value())

    def services_with_term(self, code: str) -> QuerySet[Service]:
        return Service.objects.filter(
            Q(terms__code=code) | Q(terms__parent__code=code),
            terms__taxonomy__code=self.taxonomy_code,
        )

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        code = self.value()
        if not code:
            return queryset
        related = "organization" if queryset.model is not Service else "pk"
        return queryset.filter(
            Exists(self.services_with_term(code).filter(**{related: OuterRef("pk")}))
        )


class TargetGroupFilter(TermFilter):
    title = _("target group")
    parameter_name = "target_group"
    taxonomy_code = TARGET_GROUPS


class CategoryFilter(TermFilter):
    title = _("category")
    parameter_name = "category"
    taxonomy_code = SERVICE_CATEGORIES
