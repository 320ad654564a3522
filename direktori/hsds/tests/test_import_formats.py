"""import_hsds reads zips and nested JSON as well as folders; the command reports and refuses."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from direktori.directory.models import Location, Organization, Phone, Schedule, Service
from direktori.hsds import profile
from direktori.hsds.importer import import_package

from . import sepang_package as pkg

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_areas")]
EXAMPLES = Path(__file__).resolve().parents[1] / "spec" / "examples"


@pytest.fixture(autouse=True)
def _english() -> object:
    with translation.override("en"):
        yield


def zipped(folder: Path, *, under: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in folder.iterdir():
            archive.write(path, under + path.name)
    return buffer.getvalue()


def test_a_zip_imports_from_a_file_or_from_bytes(tmp_path: Path) -> None:
    folder = pkg.write_tables(tmp_path / "sepang", pkg.sepang_tables())
    archive = tmp_path / "sepang.zip"
    archive.write_bytes(zipped(folder, under="sepang/"))

    checked = import_package(
        io.BytesIO(archive.read_bytes()), name="sepang.zip", dry_run=True, updated_by="web"
    )
    assert checked.ok
    assert not Organization.objects.exists()

    report = import_package(archive, name="sepang.zip", dry_run=False, updated_by="cli")

    assert report.ok
    assert checked.counts["service"].created == report.counts["service"].created == 3
    assert Organization.objects.filter(pk=pkg.ORG_CBO).exists()


def nested_service() -> dict:
    """One fully nested service as the HSDS API writes it, with the Sepang profile."""
    term = {
        "id": pkg.TERM_ELDERLY,
        "code": "warga-emas",
        "name": "Warga emas",
        "description": "Warga emas",
        "taxonomy": "kumpulan-ujian",
        "taxonomy_detail": {"id": pkg.TAXONOMY, "name": "Kumpulan sasar", "description": "x"},
    }
    return {
        "id": pkg.SVC_ELDERLY,
        "name": "Ziarah Warga Emas",
        "status": "active",
        "organization": {
            "id": pkg.ORG_CBO,
            "name": "Pertubuhan Komuniti Dengkil",
            "description": "CBO",
            "attributes": [
                {
                    "id": str(uuid.uuid4()),
                    "taxonomy_term_id": str(profile.TERM_IDS[profile.Term.ORGANIZATION_KIND]),
                    "value": "cbo",
                }
            ],
        },
        "phones": [{"id": pkg.PHONE_SHORT, "number": "15999", "type": "short_code"}],
        "schedules": [
            {
                "id": pkg.SCHEDULE_WEEKDAYS,
                "freq": "WEEKLY",
                "byday": "SA,SU",
                "opens_at": "09:00",
                "closes_at": "13:00",
            }
        ],
        "service_at_locations": [
            {
                "id": str(uuid.uuid4()),
                "location": {
                    "id": pkg.LOC_DENGKIL,
                    "location_type": "physical",
                    "latitude": 2.86,
                    "longitude": 101.68,
                    "addresses": [
                        {
                            "id": str(uuid.uuid4()),
                            "address_1": "Jalan Besar",
                            "city": "Dengkil",
                            "state_province": "Selangor",
                            "postal_code": "43800",
                            "country": "MY",
                            "address_type": "physical",
                        }
                    ],
                },
                "phones": [{"id": pkg.PHONE_OFFICE, "number": "03-8706 4000"}],
            }
        ],
        "attributes": [{"id": str(uuid.uuid4()), "taxonomy_term": term}],
    }


def test_a_json_list_of_nested_services_imports(tmp_path: Path) -> None:
    path = tmp_path / "services.json"
    path.write_text(json.dumps([nested_service()]), encoding="utf-8")

    report = import_package(path, name=path.name, dry_run=False, updated_by="test")

    assert report.ok, [str(p) for p in report.problems]
    service = Service.objects.get(pk=pkg.SVC_ELDERLY)
    assert service.organization.kind == "cbo"
    assert [str(t.pk) for t in service.terms.all()] == [pkg.TERM_ELDERLY]
    assert Location.objects.values_list("area__code", flat=True).get(pk=pkg.LOC_DENGKIL) == "10_7"
    # A phone under the service at a location belongs to that service.
    assert Phone.objects.get(pk=pkg.PHONE_OFFICE).service_id == service.pk
    assert sorted(Schedule.objects.values_list("weekday", flat=True)) == [6, 7]


def test_json_problems_name_the_record(tmp_path: Path) -> None:
    service = nested_service()
    service["service_at_locations"][0]["location"]["latitude"] = 100
    path = tmp_path / "services.json"
    path.write_text(json.dumps([service]), encoding="utf-8")

    report = import_package(path, name=path.name, dry_run=False, updated_by="test")

    assert [str(p) for p in report.problems] == [
        "services.json, services[0].service_at_locations[0].location, latitude: 100 is not a "
        "latitude (must be between -90 and 90)"
    ]
    assert not Service.objects.exists()


def test_the_official_json_example_is_read(tmp_path: Path) -> None:
    report = import_package(
        EXAMPLES / "service_full.json", name="service_full.json", dry_run=True, updated_by="t"
    )

    assert ("service_full.json", "service.service_at_locations[0].location", "latitude") in {
        (p.file, p.row, p.field) for p in report.problems
    }


def test_the_command_prints_problems_and_exits_non_zero(tmp_path: Path) -> None:
    tables = pkg.sepang_tables()
    tables["location"][0]["latitude"] = "100"
    folder = pkg.write_tables(tmp_path / "bad", tables)
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError, match="1 problems found"):
        call_command("import_hsds", str(folder), stdout=out, stderr=err)

    assert "header is row 1" in out.getvalue()
    assert "locations.csv, row 2, latitude: 100 is not a latitude" in out.getvalue()
    assert not Organization.objects.exists()


def test_the_command_dry_run_saves_nothing_then_imports(tmp_path: Path) -> None:
    folder = pkg.write_tables(tmp_path / "sepang", pkg.sepang_tables())
    out = io.StringIO()

    call_command("import_hsds", str(folder), "--dry-run", stdout=out, stderr=io.StringIO())
    assert "nothing was saved" in out.getvalue()
    assert not Organization.objects.exists()

    call_command("import_hsds", str(folder), stdout=out, stderr=io.StringIO())
    assert Organization.objects.count() == 3
    assert "organization: 3 new, 0 updated, 0 unchanged" in out.getvalue()


def test_a_file_that_is_no_package_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello", encoding="utf-8")

    report = import_package(path, name=path.name, dry_run=True, updated_by="t")

    assert not report.ok and report.problem_count == 1


def test_the_benchmark_package_is_valid_and_imports_once(tmp_path: Path) -> None:
    import importlib.util

    path = Path(__file__).resolve().parents[3] / "bench" / "hsds_package.py"
    spec = importlib.util.spec_from_file_location("hsds_package", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    folder = module.write_package(tmp_path / "synthetic", 30, seed=7)

    first = import_package(folder, name="synthetic", dry_run=False, updated_by="bench")
    again = import_package(folder, name="synthetic", dry_run=False, updated_by="bench")

    assert first.ok, [str(p) for p in first.problems]
    assert first.counts["service"].created == 30
    assert not any("not placed" in note for note in first.notes)
    assert again.counts["service"].unchanged == 30
    assert all(count.created == count.updated == 0 for count in again.counts.values())
