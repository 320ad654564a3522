from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from frictionless import validate

from direktori.directory.tests.factories import AddressFactory
from direktori.hsds.export import export_package
from direktori.hsds.profile import TERM_IDS, Term

from .datasets import build_sepang_directory, secrets_of

pytestmark = pytest.mark.django_db


def read_table(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / name).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def assert_valid(package: Path) -> None:
    report = validate(package / "datapackage.json")
    errors = [f"{task.name}: {error.message}" for task in report.tasks for error in task.errors]
    assert report.valid, errors


def test_the_export_validates_against_the_official_datapackage(reference_areas, tmp_path):
    build_sepang_directory()
    target = tmp_path / "sepang"

    call_command("export_hsds", str(target), verbosity=0)

    assert_valid(target)
    official = json.loads(
        (Path(__file__).resolve().parents[1] / "spec" / "datapackage.json").read_text()
    )
    written = json.loads((target / "datapackage.json").read_text())
    assert written["resources"] == official["resources"]
    assert {p.name for p in target.glob("*.csv")} == {r["path"] for r in official["resources"]}


def test_nothing_confidential_reaches_any_file(reference_areas, tmp_path):
    directory = build_sepang_directory()
    export_package(tmp_path / "out")

    text = "\n".join(path.read_text(encoding="utf-8") for path in (tmp_path / "out").iterdir())
    for secret in secrets_of(directory):
        assert secret not in text, secret


def test_the_export_carries_the_profile(reference_areas, tmp_path):
    directory = build_sepang_directory()
    export_package(tmp_path / "out")

    services = {row["id"]: row for row in read_table(tmp_path / "out", "services.csv")}
    visits = services[str(directory.elderly_visits.pk)]
    assert visits["name"] == "Lawatan warga emas"
    assert visits["assured_date"] == "2026-10-01"
    attributes = read_table(tmp_path / "out", "attributes.csv")
    about_visits = {
        row["taxonomy_term_id"]: row["value"]
        for row in attributes
        if row["link_id"] == str(directory.elderly_visits.pk)
    }
    english = json.loads(about_visits[str(TERM_IDS[Term.TRANSLATION_EN])])
    assert english["name"] == "Visits to older people"
    assert about_visits[str(TERM_IDS[Term.HOURS_NOTE])] == "Tutup pada cuti umum"
    kinds = {
        row["link_id"]: row["value"]
        for row in attributes
        if row["taxonomy_term_id"] == str(TERM_IDS[Term.ORGANIZATION_KIND])
    }
    assert kinds == {str(directory.cbo.pk): "cbo", str(directory.welfare_office.pk): "government"}
    organisations = {r["id"]: r for r in read_table(tmp_path / "out", "organizations.csv")}
    # HSDS requires a description: an organisation without one repeats its name (the profile).
    office = organisations[str(directory.welfare_office.pk)]
    assert office["description"] == office["name"]
    identifiers = read_table(tmp_path / "out", "organization_identifiers.csv")
    assert [(r["identifier_scheme"], r["identifier"]) for r in identifiers] == [
        ("MY-KPWKM-CBO", "CBO-10-7-001")
    ]
    schedules = read_table(tmp_path / "out", "schedules.csv")
    all_day = [r for r in schedules if r["service_id"] == str(directory.welfare_help.pk)]
    assert [(r["byday"], r["opens_at"], r["closes_at"]) for r in all_day] == [
        ("MO", "00:00:00", "23:59:59")
    ]


def test_a_zip_holds_the_same_package(reference_areas, tmp_path):
    build_sepang_directory()
    export_package(tmp_path / "folder")
    export_package(tmp_path / "package.zip")

    with zipfile.ZipFile(tmp_path / "package.zip") as archive:
        archive.extractall(tmp_path / "unzipped")
    assert_valid(tmp_path / "unzipped")
    for path in (tmp_path / "folder").glob("*.csv"):
        assert (tmp_path / "unzipped" / path.name).read_text() == path.read_text()


def test_an_address_without_a_postcode_travels_as_an_attribute(reference_areas, tmp_path):
    directory = build_sepang_directory()
    address = AddressFactory.create(
        location=directory.hall, address_1="Jalan Tanpa Poskod", city="", postal_code=""
    )

    export_package(tmp_path / "out")

    assert_valid(tmp_path / "out")
    assert str(address.pk) not in (tmp_path / "out" / "addresses.csv").read_text()
    [carried] = [
        row
        for row in read_table(tmp_path / "out", "attributes.csv")
        if row["taxonomy_term_id"] == str(TERM_IDS[Term.ADDRESS_WITHOUT_POSTCODE])
    ]
    assert carried["link_id"] == str(directory.hall.pk)
    assert carried["link_entity"] == "location"
    value = json.loads(carried["value"])
    assert value["id"] == str(address.pk)
    assert value["address_1"] == "Jalan Tanpa Poskod"


def test_the_command_refuses_a_folder_that_is_not_empty(db, tmp_path):
    (tmp_path / "keep.txt").write_text("mine")

    with pytest.raises(CommandError, match="not empty"):
        call_command("export_hsds", str(tmp_path), verbosity=0)
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_an_empty_directory_exports_a_valid_empty_package(db, tmp_path):
    export_package(tmp_path / "empty")

    assert_valid(tmp_path / "empty")
    assert read_table(tmp_path / "empty", "services.csv") == []
