"""A synthetic but valid HSDS 3.0 tabular package of N services, for the import benchmark.

Standard library only (bench/hsds.py runs it outside Django). Each service comes with its own
organisation (a CBO, an NGO or a government office with its DOSM district), a location at real
Selangor coordinates (a few hundred metres around a town centre, so the district is known), an
address with the town's postcode, a phone, weekly opening hours and a target group. The same seed
writes the same package, ids included, so a second import must change nothing.
"""

from __future__ import annotations

import csv
import json
import random
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

SPEC = Path(__file__).resolve().parents[1] / "direktori" / "hsds" / "spec" / "datapackage.json"
PROFILE_NAMESPACE = uuid.UUID("b1d6c1f0-5a3e-5c57-9f3e-7d2a0e4c9b61")  # direktori/hsds/profile.py

# Town, district code, district, postcode, latitude, longitude (town centres in Selangor).
TOWNS = [
    ("Dengkil", "10_7", "Sepang", "43800", 2.8600, 101.6800),
    ("Bandar Baru Salak Tinggi", "10_7", "Sepang", "43900", 2.8200, 101.7300),
    ("Cyberjaya", "10_7", "Sepang", "63000", 2.9200, 101.6500),
    ("Shah Alam", "10_5", "Petaling", "40000", 3.0700, 101.5200),
    ("Klang", "10_2", "Klang", "41000", 3.0400, 101.4500),
    ("Kajang", "10_8", "Ulu Langat", "43000", 2.9900, 101.7900),
    ("Rawang", "10_1", "Gombak", "48000", 3.3200, 101.5800),
    ("Banting", "10_3", "Kuala Langat", "42700", 2.8100, 101.5000),
    ("Kuala Selangor", "10_4", "Kuala Selangor", "45000", 3.3400, 101.2500),
    ("Kuala Kubu Bharu", "10_9", "Ulu Selangor", "44000", 3.5700, 101.6500),
]
KINDS = ["cbo", "cbo", "ngo", "government"]
GROUPS = ["warga-emas", "kanak-kanak", "oku", "keganasan-rumah-tangga", "keluarga", "wanita"]
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA"]

COLUMNS = {
    name: [field["name"] for field in resource["schema"]["fields"]]
    for resource in json.loads(SPEC.read_text(encoding="utf-8"))["resources"]
    for name in [resource["name"]]
}
PATHS = {
    resource["name"]: resource["path"]
    for resource in json.loads(SPEC.read_text(encoding="utf-8"))["resources"]
}


def _profile_uuid(*parts: object) -> str:
    return str(uuid.uuid5(PROFILE_NAMESPACE, "/".join(str(part) for part in parts)))


def _term_id(code: str) -> str:
    return _profile_uuid("term", code)


def _attribute(entity: str, link_id: str, term_id: str, link_type: str, value: str) -> dict:
    return {
        "id": _profile_uuid("attribute", link_id, term_id),
        "link_id": link_id,
        "taxonomy_term_id": term_id,
        "link_type": link_type,
        "link_entity": entity,
        "value": value,
    }


class _Tables:
    def __init__(self, folder: Path) -> None:
        self.handles = {}
        self.writers: dict[str, csv.DictWriter] = {}
        for table in (
            "taxonomy",
            "taxonomy_term",
            "organization",
            "service",
            "location",
            "address",
            "service_at_location",
            "phone",
            "schedule",
            "attribute",
        ):
            handle = (folder / PATHS[table]).open("w", encoding="utf-8", newline="")
            self.handles[table] = handle
            self.writers[table] = csv.DictWriter(handle, fieldnames=COLUMNS[table])
            self.writers[table].writeheader()

    def write(self, table: str, row: dict) -> None:
        self.writers[table].writerow(row)

    def close(self) -> None:
        for handle in self.handles.values():
            handle.close()


def write_package(path: Path, n_services: int, seed: int = 2026) -> Path:
    """Write the package into the folder `path` (created; emptied if it exists)."""
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    shutil.copyfile(SPEC, path / "datapackage.json")
    rng = random.Random(seed)

    def new_id() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    tables = _Tables(path)
    try:
        taxonomy_id = new_id()
        tables.write(
            "taxonomy",
            {"id": taxonomy_id, "name": "Kumpulan sasar (sintetik)", "description": "Ujian"},
        )
        terms = {}
        for code in GROUPS:
            terms[code] = new_id()
            tables.write(
                "taxonomy_term",
                {
                    "id": terms[code],
                    "code": code,
                    "name": code.replace("-", " ").capitalize(),
                    "description": code,
                    "taxonomy": "kumpulan-sasar-sintetik",
                    "taxonomy_id": taxonomy_id,
                },
            )
        for number in range(1, n_services + 1):
            for table, row in _one_service(number, rng, new_id, terms):
                tables.write(table, row)
    finally:
        tables.close()
    return path


def _one_service(
    number: int, rng: random.Random, make: Callable[[], str], terms: dict[str, str]
) -> Iterator[tuple[str, dict]]:
    town, district_code, district, postcode, lat, lon = rng.choice(TOWNS)
    kind = rng.choice(KINDS)
    organization_id, service_id, location_id = make(), make(), make()
    name = f"Pertubuhan Komuniti {town} {number}"
    yield "organization", {"id": organization_id, "name": name, "description": name}
    yield (
        "attribute",
        _attribute(
            "organization",
            organization_id,
            _term_id("organization-kind"),
            "organization-kind",
            kind,
        ),
    )
    yield (
        "attribute",
        _attribute("organization", organization_id, _term_id("area"), "area", district_code),
    )
    yield (
        "service",
        {
            "id": service_id,
            "organization_id": organization_id,
            "name": f"Khidmat Sokongan {number}",
            "description": f"Sokongan untuk keluarga di {town}.",
            "status": "active",
        },
    )
    translation = json.dumps({"name": f"Support service {number}"})
    yield (
        "attribute",
        _attribute(
            "service", service_id, _term_id("translation-en"), "translation-en", translation
        ),
    )
    group = rng.choice(GROUPS)
    yield "attribute", _attribute("service", service_id, terms[group], "kumpulan-sasar", "")
    yield (
        "location",
        {
            "id": location_id,
            "location_type": "physical",
            "organization_id": organization_id,
            "name": f"Pusat Komuniti {town} {number}",
            "latitude": f"{lat + rng.uniform(-0.004, 0.004):.6f}",
            "longitude": f"{lon + rng.uniform(-0.004, 0.004):.6f}",
        },
    )
    yield (
        "address",
        {
            "id": make(),
            "location_id": location_id,
            "address_1": f"No. {rng.randint(1, 300)}, Jalan {rng.randint(1, 40)}",
            "city": town,
            "region": district,
            "state_province": "Selangor",
            "postal_code": postcode,
            "country": "MY",
            "address_type": "physical",
        },
    )
    yield (
        "service_at_location",
        {
            "id": make(),
            "service_id": service_id,
            "location_id": location_id,
        },
    )
    yield (
        "phone",
        {
            "id": make(),
            "service_id": service_id,
            "number": f"+6012{rng.randint(1_000_000, 9_999_999)}",
            "type": "cell",
        },
    )
    yield (
        "schedule",
        {
            "id": make(),
            "service_id": service_id,
            "freq": "WEEKLY",
            "byday": rng.choice(DAYS),
            "opens_at": "09:00:00",
            "closes_at": "17:00:00",
        },
    )
