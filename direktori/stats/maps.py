"""Map outlines for the statistics dashboard: DOSM state and district boundaries
(`data/boundaries_*.geojson`, simplified from `../shared/data/geo/` by `simplify_boundaries`)
projected once per view into SVG paths and kept in memory.

A view is the country (its states), a state (its districts) or a district (its state's
districts, for context). Coordinates are projected equirectangularly at the view's middle
latitude into a box `WIDTH` units wide, simplified to about one unit and rounded to whole units,
so that the whole country is a few dozen kilobytes of SVG.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shapely import set_precision
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry

DATA = Path(__file__).resolve().parent / "data"
STATES_FILE = DATA / "boundaries_state.geojson"
DISTRICTS_FILE = DATA / "boundaries_district.geojson"
COUNTRY = "MY"
#: The width of every map's viewBox, in SVG units.
WIDTH = 1000
#: How far `simplify_boundaries` may move a boundary (degrees, about 300 m) and how finely it
#: keeps coordinates (about 100 m).
STORED_TOLERANCE = 0.003
STORED_PRECISION = 0.001


@dataclass(frozen=True)
class Shape:
    code: str  # DOSM code of the state or district
    path: str  # SVG path data in the view's units


@dataclass(frozen=True)
class Outline:
    width: int
    height: int
    shapes: tuple[Shape, ...]

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def outline(code: str, parent: str | None = None) -> Outline:
    """The outline for the dashboard at area `code`: the states for the country, a state's
    districts for a state, and for a district its state's districts (`parent`)."""
    if code == COUNTRY:
        return _outline("state", None)
    return _outline("district", parent if parent not in (None, COUNTRY) else code)


@functools.cache
def _outline(level: str, state: str | None) -> Outline:
    features = _features(STATES_FILE if level == "state" else DISTRICTS_FILE)
    chosen = [
        (code, geometry)
        for code, state_code, geometry in features
        if state is None or state_code == state
    ]
    return project(chosen)


@functools.cache
def _features(path: Path) -> list[tuple[str, str, BaseGeometry]]:
    """(code, state code, geometry) of every feature of a boundary file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    found = []
    for feature in data["features"]:
        properties = feature["properties"]
        state = str(properties["code_state"])
        code = str(properties.get("code_state_district") or state)
        found.append((code, state, shape(feature["geometry"])))
    return found


def project(chosen: list[tuple[str, BaseGeometry]]) -> Outline:
    """SVG paths of these geometries, fitted into a box WIDTH units wide."""
    if not chosen:
        return Outline(WIDTH, WIDTH // 2, ())
    bounds = [geometry.bounds for _code, geometry in chosen]
    west, south = min(b[0] for b in bounds), min(b[1] for b in bounds)
    east, north = max(b[2] for b in bounds), max(b[3] for b in bounds)
    stretch = math.cos(math.radians((south + north) / 2))
    scale = WIDTH / max((east - west) * stretch, 1e-9)
    height = max(1, math.ceil((north - south) * scale))
    tolerance = 1 / scale  # one unit of the view, in degrees
    shapes = []
    for code, geometry in chosen:
        simple = geometry.simplify(tolerance, preserve_topology=True)
        rings = [
            [((x - west) * stretch * scale, (north - y) * scale) for x, y in ring]
            for ring in _rings(simple)
        ]
        path = "".join(_ring_path(ring) for ring in rings)
        if path:
            shapes.append(Shape(code, path))
    return Outline(WIDTH, height, tuple(shapes))


def _rings(geometry: BaseGeometry) -> Iterator[list[tuple[float, float]]]:
    polygons: Iterable[Any]
    if isinstance(geometry, Polygon):
        polygons = [geometry]
    elif isinstance(geometry, MultiPolygon):
        polygons = geometry.geoms
    else:
        polygons = [g for g in getattr(geometry, "geoms", []) if isinstance(g, Polygon)]
    for polygon in polygons:
        if polygon.is_empty:
            continue
        yield list(polygon.exterior.coords)
        for interior in polygon.interiors:
            yield list(interior.coords)


def _ring_path(ring: list[tuple[float, float]]) -> str:
    """A closed path in whole units, relative after the first point; points that round onto
    the one before are dropped, and a ring that rounds to fewer than three points is left out."""
    points: list[tuple[int, int]] = []
    for x, y in ring:
        point = (round(x), round(y))
        if not points or point != points[-1]:
            points.append(point)
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    if len(points) < 3:
        return ""
    parts = [f"M{points[0][0]} {points[0][1]}l"]
    previous = points[0]
    steps = []
    for x, y in points[1:]:
        steps.append(_pair(x - previous[0], y - previous[1]))
        previous = (x, y)
    parts.append("".join(steps).lstrip(" "))
    parts.append("z")
    return "".join(parts)


def _pair(dx: int, dy: int) -> str:
    """Two numbers as SVG path data needs them: a minus sign separates by itself."""
    return (f" {dx}" if dx >= 0 else str(dx)) + (f" {dy}" if dy >= 0 else str(dy))


def simplified(source: Path) -> dict[str, Any]:
    """A DOSM boundary file with every geometry simplified for the dashboard's maps."""
    data = json.loads(source.read_text(encoding="utf-8-sig"))
    features = []
    for feature in data["features"]:
        geometry = shape(feature["geometry"]).simplify(STORED_TOLERANCE, preserve_topology=True)
        geometry = set_precision(geometry, STORED_PRECISION)
        features.append(
            {"type": "Feature", "properties": feature["properties"], "geometry": mapping(geometry)}
        )
    return {"type": "FeatureCollection", "features": features}
