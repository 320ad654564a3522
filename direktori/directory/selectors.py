"""Reads that assemble several models for the public pages."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Q

from .models import Organization, Service, TaxonomyTerm


def area_service_counts() -> Counter[str]:
    """Active services per area path, counted in the area and every area above it."""
    counts: Counter[str] = Counter()
    rows = (
        Service.objects.active()
        .values("organization__area__path")
        .annotate(n=Count("id"))
        .values_list("organization__area__path", "n")
    )
    for path, n in rows:
        parts = [code for code in path.split("/") if code]
        for depth in range(1, len(parts) + 1):
            counts["/" + "/".join(parts[:depth]) + "/"] += n
    return counts


def target_groups_with_counts() -> list[TaxonomyTerm]:
    return list(
        TaxonomyTerm.objects.target_groups().annotate(
            service_count=Count(
                "services",
                filter=Q(services__status="active", services__organization__status="active"),
                distinct=True,
            )
        )
    )


def helpline_services() -> list[Service]:
    """National helplines: shown on the home page and whenever a search finds nothing."""
    return list(
        Service.objects.active()
        .filter(organization__kind=Organization.Kind.HOTLINE)
        .for_listing()
        .order_by("organization__name", "name")
    )
