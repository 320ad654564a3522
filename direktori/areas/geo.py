"""Which district is this point in? Point-in-polygon on the DOSM district boundaries.

Postcodes do not map one-to-one to districts, so imports place locations by coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass

from shapely import STRtree
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from .models import Area, AreaBoundary


@dataclass(frozen=True)
class DistrictLocator:
    """Built once from the boundaries in the database; answer many points (imports) quickly."""

    tree: STRtree
    geometries: tuple[BaseGeometry, ...]
    codes: tuple[str, ...]

    @classmethod
    def from_database(cls) -> DistrictLocator:
        rows = list(
            AreaBoundary.objects.filter(area__kind=Area.Kind.DISTRICT).values_list(
                "area__code", "geometry"
            )
        )
        geometries = tuple(shape(boundary) for _, boundary in rows)
        return cls(tree=STRtree(geometries), geometries=geometries, codes=tuple(c for c, _ in rows))

    def district_code_at(self, latitude: float, longitude: float) -> str | None:
        point = Point(longitude, latitude)
        for index in self.tree.query(point, predicate="intersects"):
            return self.codes[int(index)]
        return None

    def district_at(self, latitude: float, longitude: float) -> Area | None:
        code = self.district_code_at(latitude, longitude)
        return Area.objects.filter(code=code).first() if code else None


def district_at(latitude: float, longitude: float) -> Area | None:
    """One-off lookup. For many points, build a DistrictLocator once and reuse it."""
    return DistrictLocator.from_database().district_at(latitude, longitude)
