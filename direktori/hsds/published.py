"""What the directory publishes as HSDS: the only door for the API and the export.

Nothing of a confidential location (shelters, safe houses) leaves through here — not the location,
nor its addresses, phones, schedules, accessibility, languages or service links — and neither does a
confidential phone or a contact who has not agreed to be listed. Each queryset selects what its
rows (rows.py) read, so that building them runs no query per row. All are ordered by id.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.db.models import Prefetch, Q, QuerySet

from direktori.directory.models import (
    Accessibility,
    Address,
    Contact,
    Language,
    Location,
    Organization,
    OrganizationIdentifier,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from direktori.directory.models.details import public_phone
from direktori.directory.models.organisations import ServiceQuerySet

from .models import ChangeRecord

# Enough parents to reach the state from a locality (locality → mukim → district → state).
AREA_CHAIN = "area__parent__parent__parent"


def terms_with_taxonomy() -> QuerySet[TaxonomyTerm]:
    return TaxonomyTerm.objects.select_related("taxonomy")


def organizations() -> QuerySet[Organization]:
    return Organization.objects.select_related("area").order_by("id")


def services() -> ServiceQuerySet:
    """Services of every status: HSDS `status` says which are active."""
    return Service.objects.prefetch_related(
        Prefetch("terms", queryset=terms_with_taxonomy())
    ).order_by("id")


def addresses_without_postcode(prefix: str = "") -> Prefetch:
    """A location's addresses without a postcode, which HSDS publishes as an attribute."""
    return Prefetch(
        f"{prefix}addresses",
        Address.objects.filter(postal_code="").order_by("id"),
        to_attr="addresses_without_postcode",
    )


def locations() -> QuerySet[Location]:
    return (
        Location.objects.public()
        .select_related("area")
        .prefetch_related(addresses_without_postcode())
        .order_by("id")
    )


def addresses() -> QuerySet[Address]:
    return (
        Address.objects.filter(location__is_confidential=False)
        .select_related(f"location__{AREA_CHAIN}")
        .order_by("id")
    )


def phones() -> QuerySet[Phone]:
    return Phone.objects.public().order_by("id")


def contacts() -> QuerySet[Contact]:
    return Contact.objects.filter(is_public=True).order_by("id")


def schedules() -> QuerySet[Schedule]:
    # Filters over joins, not exclude(): exclude() on a nullable relation becomes a NOT IN over
    # every schedule of every confidential place, which grows with the directory.
    return Schedule.objects.filter(
        Q(location__isnull=True) | Q(location__is_confidential=False)
    ).order_by("id")


def service_areas() -> QuerySet[ServiceArea]:
    return ServiceArea.objects.select_related("area").order_by("id")


def languages() -> QuerySet[Language]:
    return (
        Language.objects.filter(Q(location__isnull=True) | Q(location__is_confidential=False))
        .filter(Q(phone__isnull=True) | public_phone("phone__"))
        .order_by("id")
    )


def accessibility() -> QuerySet[Accessibility]:
    return Accessibility.objects.filter(location__is_confidential=False).order_by("id")


def service_at_locations() -> QuerySet[ServiceAtLocation]:
    return ServiceAtLocation.objects.filter(location__is_confidential=False).order_by("id")


def taxonomies() -> QuerySet[Taxonomy]:
    return Taxonomy.objects.order_by("id")


def taxonomy_terms() -> QuerySet[TaxonomyTerm]:
    return terms_with_taxonomy().order_by("id")


def organization_identifiers() -> QuerySet[OrganizationIdentifier]:
    return OrganizationIdentifier.objects.order_by("id")


def metadata(resource_ids: Sequence[uuid.UUID] | None = None) -> QuerySet[ChangeRecord]:
    """Change records of published records only: a change to a confidential place would name
    it (and its old values). Records of tables without confidential rows all pass.

    With `resource_ids` (the API's few records of a page), every check is narrowed to them, so the
    query does not grow with the directory."""
    guarded: dict[str, QuerySet] = {
        "location": locations(),
        "address": addresses(),
        "phone": phones(),
        "contact": contacts(),
        "schedule": schedules(),
        "language": languages(),
        "accessibility": accessibility(),
        "service_at_location": service_at_locations(),
    }
    allowed = ~Q(resource_type__in=list(guarded))
    for resource_type, queryset in guarded.items():
        published_ids = queryset.order_by().values("id")
        if resource_ids is not None:
            published_ids = published_ids.filter(id__in=resource_ids)
        allowed |= Q(resource_type=resource_type, resource_id__in=published_ids)
    records = ChangeRecord.objects.filter(allowed)
    if resource_ids is not None:
        records = records.filter(resource_id__in=resource_ids)
    return records.order_by("id")
