"""DOSM areas for an import: looked up in memory (no query per row), and the rules of the profile
for placing a location — its coordinates first, then its `area` attribute, then the service areas
of its services, then its address."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from direktori.areas.geo import DistrictLocator
from direktori.areas.models import Area

from . import profile


@dataclass(frozen=True)
class AreaInfo:
    id: int
    code: str
    path: str
    kind: str
    parent_id: int | None

    def contains(self, other: AreaInfo) -> bool:
        return other.path.startswith(self.path)


class AreaIndex:
    """Every area of the directory, by code and by name (the few hundred DOSM states, districts,
    mukim and localities), so that an import resolves names without a query per row."""

    def __init__(self) -> None:
        self.by_code: dict[str, AreaInfo] = {}
        self.by_id: dict[int, AreaInfo] = {}
        self.by_name: dict[str, list[AreaInfo]] = {}
        rows = Area.objects.values_list(
            "id", "code", "path", "kind", "parent_id", "name_ms", "name_en"
        )
        for area_id, code, path, kind, parent_id, name_ms, name_en in rows:
            info = AreaInfo(area_id, code, path, kind, parent_id)
            self.by_code[code] = info
            self.by_id[area_id] = info
            for name in {name_ms.casefold(), (name_en or name_ms).casefold()}:
                self.by_name.setdefault(name, []).append(info)
        for infos in self.by_name.values():
            infos.sort(key=lambda info: info.path.count("/"))  # larger areas first
        self._locator: DistrictLocator | None = None

    @property
    def country(self) -> AreaInfo | None:
        return self.by_code.get("MY")

    def locator(self) -> DistrictLocator:
        if self._locator is None:
            self._locator = DistrictLocator.from_database()
        return self._locator

    def district_at(self, latitude: float, longitude: float) -> AreaInfo | None:
        code = self.locator().district_code_at(latitude, longitude)
        return self.by_code.get(code) if code else None

    def by_code_or_name(self, value: str, *, kind: str | None = None) -> AreaInfo | None:
        """As Area.objects.by_code_or_name: a DOSM code, or a name in either language, any case;
        of several areas with that name, the largest."""
        value = value.strip()
        if value in self.by_code:
            return self.by_code[value]
        for info in self.by_name.get(value.casefold(), []):
            if kind is None or info.kind == kind:
                return info
        return None

    def service_area(self, uri: str, name: str) -> AreaInfo | None:
        code = profile.area_code_from_urn(uri.strip())
        if code is not None:
            return self.by_code.get(code)
        return self.by_code_or_name(name) if name else None

    def from_address(self, region: str, state: str) -> AreaInfo | None:
        """`region` is the district name, `state_province` the state name (DOSM spelling)."""
        state_info = self.by_code_or_name(state, kind=Area.Kind.STATE) if state else None
        if region:
            for info in self.by_name.get(region.strip().casefold(), []):
                if info.kind == Area.Kind.DISTRICT and (
                    state_info is None or state_info.contains(info)
                ):
                    return info
        return state_info

    def common_ancestor(self, areas: list[AreaInfo]) -> AreaInfo | None:
        """The smallest area containing all of them; None when that is the whole country."""
        if not areas:
            return None
        paths = [[code for code in info.path.split("/") if code] for info in areas]
        shared: list[str] = []
        for codes in zip(*paths, strict=False):
            if len(set(codes)) != 1:
                break
            shared.append(codes[0])
        found = self.by_code.get(shared[-1]) if shared else None
        if found is None or found.kind == Area.Kind.COUNTRY:
            return None
        return found


@dataclass
class Placement:
    """What pass one learnt about where each location is. Ids are ints (uuid.int): a UUID object
    costs more than twice as much, and there is one entry for every location."""

    district: dict[int, int]  # location -> district area id, from the coordinates
    unplaced: set[int]  # locations the coordinates did not place (or without coordinates)
    outside: set[int]  # locations whose coordinates lie in no DOSM district
    services_of: dict[int, list[int]]  # unplaced location -> its services
    service_areas: dict[int, list[int]]  # service of an unplaced location -> area ids
    address_area: dict[int, int]  # unplaced location -> area from its address
    wanted_services: set[int]  # the services of unplaced locations

    @classmethod
    def empty(cls) -> Placement:
        return cls({}, set(), set(), {}, {}, {}, set())

    def place(
        self, location_id: uuid.UUID, attribute_area: AreaInfo | None, areas: AreaIndex
    ) -> tuple[AreaInfo | None, str]:
        """(area, how) — how is "coordinates", "attribute", "service areas", "address" or ""."""
        key = location_id.int
        district_id = self.district.get(key)
        if district_id is not None:
            district = areas.by_id[district_id]
            if attribute_area is not None and district.contains(attribute_area):
                return attribute_area, "coordinates"
            return district, "coordinates"
        if attribute_area is not None:
            return attribute_area, "attribute"
        served = [
            areas.by_id[area_id]
            for service_id in self.services_of.get(key, [])
            for area_id in self.service_areas.get(service_id, [])
        ]
        common = areas.common_ancestor(served)
        if common is not None:
            return common, "service areas"
        address_area = self.address_area.get(key)
        if address_area is not None:
            return areas.by_id[address_area], "address"
        return None, ""
