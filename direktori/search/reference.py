"""Areas and target groups as search and its API look them up: remembered by each process while
the areas and the taxonomy terms stay the same (versions.py), instead of a query each time."""

from __future__ import annotations

import uuid

from direktori.areas.models import Area
from direktori.directory.models import TaxonomyTerm

from . import cache


def target_group(code: str) -> uuid.UUID | None:
    """The id of the target group with this code, if there is one."""
    return cache.remembered(
        ("target group", code),
        lambda: (
            TaxonomyTerm.objects.target_groups()
            .filter(code=code)
            .values_list("pk", flat=True)
            .first()
        ),
    )


def term_exists(pk: uuid.UUID) -> bool:
    return cache.remembered(("term", pk), TaxonomyTerm.objects.filter(pk=pk).exists)


def area(value: str, kind: str, within: Area | None = None) -> Area | None:
    """The area of this kind with this DOSM code or name (any case), inside `within` if given."""

    def find() -> Area | None:
        areas = Area.objects.by_code_or_name(value).filter(kind=kind)
        if within is not None:
            areas = areas.filter(path__startswith=within.path)
        return areas.first()

    return cache.remembered(("area", value.strip(), kind, within and within.path), find)


def states_and_districts() -> dict[str, Area]:
    """Every state and district by code. Shared: callers must not change them."""
    return cache.remembered(
        ("states and districts",),
        lambda: {
            area.code: area
            for area in Area.objects.filter(kind__in=[Area.Kind.STATE, Area.Kind.DISTRICT])
        },
    )
