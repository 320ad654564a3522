"""Query parameters the public APIs share: a state or district given by DOSM name or code."""

from __future__ import annotations

from collections.abc import Callable

from ninja.errors import HttpError

from direktori.areas.models import Area

type AreaFinder = Callable[[str, str, Area | None], Area | None]


def state_and_district(
    state: str, district: str, *, find: AreaFinder, status: int
) -> tuple[Area | None, Area | None]:
    """The `state` and `district` parameters (the district inside the state when both are
    given); HttpError `status` for a name or code that is not one."""
    found = area_param(state, Area.Kind.STATE, "state", find=find, status=status)
    return found, area_param(
        district, Area.Kind.DISTRICT, "district", find=find, status=status, within=found
    )


def area_param(
    value: str,
    kind: str,
    label: str,
    *,
    find: AreaFinder,
    status: int,
    within: Area | None = None,
) -> Area | None:
    """The area `value` names (None when empty), looked up by `find(value, kind, within)`;
    HttpError `status` naming the parameter when there is none."""
    if not value.strip():
        return None
    area = find(value, kind, within)
    if area is None:
        where = f" in {within.name_ms}" if within else ""
        raise HttpError(status, f"Unknown {label} '{value}'{where}: give a DOSM name or code.")
    return area
