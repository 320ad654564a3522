from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from .models import Area, AreaBoundary

DATA_DIR = Path(__file__).resolve().parent / "data"
COUNTRY_CODE = "MY"

# DOSM names are Malay; these are the English names where they differ.
STATE_NAMES_EN = {
    "Pulau Pinang": "Penang",
    "W.P. Kuala Lumpur": "Federal Territory of Kuala Lumpur",
    "W.P. Labuan": "Federal Territory of Labuan",
    "W.P. Putrajaya": "Federal Territory of Putrajaya",
}


def _path_for(*, code: str, parent: Area | None) -> str:
    return f"{parent.path if parent else '/'}{code}/"


@transaction.atomic
def area_save(area: Area) -> Area:
    """Save an area and keep the paths of everything below it consistent."""
    area.full_clean()
    old_path = Area.objects.filter(pk=area.pk).values_list("path", flat=True).first()
    area.path = _path_for(code=area.code, parent=area.parent)
    area.save()
    if old_path and old_path != area.path:
        for child in Area.objects.filter(path__startswith=old_path).exclude(pk=area.pk):
            child.path = area.path + child.path[len(old_path) :]
            child.save(update_fields=["path", "updated_at"])
    return area


def _upsert(
    *, code: str, kind: str, name_ms: str, parent: Area | None, **fields: object
) -> tuple[Area, bool]:
    area = Area.objects.filter(code=code).first()
    created = area is None
    if area is None:
        area = Area(code=code, kind=kind, name_ms=name_ms, parent=parent)
        area.slug = slugify(name_ms)[:80]
        for key, value in fields.items():
            setattr(area, key, value)
        area_save(area)
    # An existing area is left alone: reference data never overwrites an administrator's
    # corrections of names or parents.
    return area, created


@dataclass
class LoadReport:
    created: int = 0
    existing: int = 0

    def add(self, created: bool) -> None:
        if created:
            self.created += 1
        else:
            self.existing += 1


@transaction.atomic
def areas_load_reference(*, data_dir: Path = DATA_DIR) -> LoadReport:
    """Load Malaysia's states and districts (DOSM) and Sepang's mukim and localities. Idempotent."""
    report = LoadReport()
    country, created = _upsert(
        code=COUNTRY_CODE,
        kind=Area.Kind.COUNTRY,
        name_ms="Malaysia",
        parent=None,
        name_en="Malaysia",
    )
    report.add(created)
    boundaries = _district_boundaries(data_dir / "administrative_2_district.geojson")
    source = "DOSM, dosm-malaysia/data-open (geodata)"
    with (data_dir / "state_district.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    states: dict[str, Area] = {}
    for row in rows:
        state_code = row["code_state"]
        if state_code not in states:
            states[state_code], created = _upsert(
                code=state_code,
                kind=Area.Kind.STATE,
                name_ms=row["state"],
                parent=country,
                name_en=STATE_NAMES_EN.get(row["state"], row["state"]),
                source=source,
            )
            report.add(created)
        district, created = _upsert(
            code=row["code_state_district"],
            kind=Area.Kind.DISTRICT,
            name_ms=row["district"],
            parent=states[state_code],
            name_en=row["district"],
            source=source,
        )
        report.add(created)
        geometry = boundaries.get(district.code)
        if geometry is not None:
            AreaBoundary.objects.get_or_create(
                area=district, defaults={"geometry": geometry, "source": source}
            )
    _load_places(
        data_dir / "sepang_places.csv", district=Area.objects.get(code="10_7"), report=report
    )
    return report


def _district_boundaries(path: Path) -> dict[str, dict]:
    with path.open(encoding="utf-8") as handle:
        collection = json.load(handle)
    return {
        feature["properties"]["code_state_district"]: feature["geometry"]
        for feature in collection["features"]
    }


def _load_places(path: Path, *, district: Area, report: LoadReport) -> None:
    with path.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    mukims: dict[str, Area] = {}
    for row in (r for r in rows if r["kind"] == "mukim"):
        mukims[row["name"]], created = _upsert(
            code=f"{district.code}:{slugify(row['name'])}",
            kind=Area.Kind.MUKIM,
            name_ms=row["name"],
            parent=district,
            name_en=row["name"],
            source=row["source"],
            is_uncertain=row["status"].startswith("uncertain"),
        )
        report.add(created)
    for row in (r for r in rows if r["kind"] != "mukim"):
        parent = mukims.get(row["mukim"], district)
        _, created = _upsert(
            code=f"{parent.code}:{slugify(row['name'])}",
            kind=Area.Kind.LOCALITY,
            name_ms=row["name"],
            parent=parent,
            name_en=row["name"],
            locality_type=row["kind"],
            postcode=row["postcode"],
            source=row["source"],
            is_uncertain=not row["status"].startswith("confirmed"),
        )
        report.add(created)
