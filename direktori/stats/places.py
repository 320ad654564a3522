"""The country, its states and its districts as statistics use them: looked up by DOSM name or
code as the search API does (`direktori.search.reference.area`), with the spellings of federal
territories that agencies' files use ("WP Kuala Lumpur", "Wilayah Persekutuan Labuan"), and held
in memory as a small tree while the areas stay the same (`direktori.search.cache`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from direktori.areas.models import Area
from direktori.areas.services import COUNTRY_CODE
from direktori.core.models import in_language
from direktori.search import cache, reference

LEVELS = (Area.Kind.COUNTRY, Area.Kind.STATE, Area.Kind.DISTRICT)
#: How agencies write "Wilayah Persekutuan" before a federal territory's name.
TERRITORY_PREFIXES = ("wilayah persekutuan ", "federal territory of ", "w p ", "wp ")


@dataclass(frozen=True)
class Place:
    id: int
    code: str
    kind: str
    name: str  # the DOSM (Malay) name
    parent: str | None  # the parent's code
    name_en: str = ""

    @property
    def label(self) -> str:
        """The name in the language of the request."""
        return in_language(self.name, self.name_en)


@dataclass
class Tree:
    """The country, the states and the districts, by code; children in DOSM code order."""

    by_code: dict[str, Place] = field(default_factory=dict)
    by_id: dict[int, Place] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)

    @property
    def country(self) -> Place:
        return self.by_code[COUNTRY_CODE]

    def lineage(self, code: str) -> list[str]:
        """The code itself and those of the areas above it, up to the country."""
        codes = []
        current: str | None = code
        while current is not None:
            codes.append(current)
            current = self.by_code[current].parent
        return codes


def tree() -> Tree:
    """Shared between requests: callers must not change it."""
    return cache.remembered(("statistics tree",), _build_tree)


def _build_tree() -> Tree:
    found = Tree()
    rows = Area.objects.filter(kind__in=LEVELS).values_list(
        "id", "code", "kind", "name_ms", "name_en", "path"
    )
    for area_id, code, kind, name, name_en, path in rows:
        codes = [part for part in path.split("/") if part]
        place = Place(area_id, code, kind, name, codes[-2] if len(codes) > 1 else None, name_en)
        found.by_code[code] = place
        found.by_id[area_id] = place
    for place in sorted(found.by_code.values(), key=_code_order):
        if place.parent is not None and place.parent in found.by_code:
            found.children.setdefault(place.parent, []).append(place.code)
    return found


def _code_order(place: Place) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in place.code.split("_"))


def find(value: str, kind: str, within: Area | None = None) -> Area | None:
    """The state or district with this DOSM code or name (any case), inside `within` if given;
    else the only one whose name matches once a federal territory's prefix is set aside."""
    found = reference.area(value, kind, within)
    if found is not None or not value.strip():
        return found
    wanted = _name_key(value)
    areas = Area.objects.filter(kind=kind)
    if within is not None:
        areas = areas.within(within)
    matches = [
        area
        for area in areas
        if wanted in {_name_key(area.name_ms), _name_key(area.name_en or area.name_ms)}
    ]
    return matches[0] if len(matches) == 1 else None


def _name_key(text: str) -> str:
    text = " ".join(text.casefold().replace(".", " ").split())
    for prefix in TERRITORY_PREFIXES:
        if text.startswith(prefix):
            return text.removeprefix(prefix)
    return text
