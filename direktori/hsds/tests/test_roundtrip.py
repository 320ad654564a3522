"""export → import → export gives the same records (CONTRACT `export_hsds`)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext

from direktori.directory.models import (
    Address,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    Taxonomy,
    TaxonomyTerm,
)
from direktori.directory.tests.factories import AddressFactory
from direktori.hsds import importer
from direktori.hsds.export import export_package
from direktori.hsds.importer import import_package
from direktori.hsds.models import ChangeRecord

from .datasets import build_sepang_directory

pytestmark = pytest.mark.django_db

# What an import itself changes: the moment a record last changed here, and the change history
# that records the import. Everything else must come back as it went out.
CHANGES_WITH_THE_IMPORT = {("services.csv", "last_modified")}
HISTORY = "metadata.csv"


def tables(folder: Path) -> dict[str, list[dict[str, str]]]:
    found = {}
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as file:
            rows = list(csv.DictReader(file))
        for row in rows:
            for name, field in CHANGES_WITH_THE_IMPORT:
                if name == path.name:
                    row.pop(field)
        found[path.name] = sorted(rows, key=lambda row: row["id"])
    return found


def counts() -> dict[str, int]:
    models: list[type[Model]] = [
        Organization,
        Service,
        Location,
        Address,
        Phone,
        Schedule,
        ServiceArea,
    ]
    return {model.__name__: model._default_manager.count() for model in models}


def test_export_import_export_gives_the_same_records(reference_areas, tmp_path):
    directory = build_sepang_directory()
    AddressFactory.create(location=directory.hall, address_1="Jalan Tanpa Poskod", postal_code="")
    export_package(tmp_path / "first")
    published_before = counts()

    # A fresh directory: only the reference data (areas, target groups, categories) is left.
    Organization.objects.all().delete()
    ChangeRecord.objects.all().delete()
    report = import_package(tmp_path / "first", name="first", dry_run=False, updated_by="test")
    assert report.ok, [str(problem) for problem in report.problems]
    export_package(tmp_path / "second")

    first, second = tables(tmp_path / "first"), tables(tmp_path / "second")
    assert first.keys() == second.keys()
    for name in first:
        if name != HISTORY:
            assert second[name] == first[name], name
    # The confidential shelter, its phone and the unlisted contact were never exported, so they
    # do not come back; everything published does.
    after = counts()
    assert after["Organization"] == published_before["Organization"]
    assert after["Service"] == published_before["Service"]
    assert after["Location"] == published_before["Location"] - 1
    assert Taxonomy.objects.filter(code="direktori-cbo-profile").count() == 0
    assert TaxonomyTerm.objects.filter(taxonomy__code="target-groups").exists()


def test_importing_an_export_into_the_same_directory_changes_nothing(reference_areas, tmp_path):
    build_sepang_directory()
    export_package(tmp_path / "package")

    report = import_package(tmp_path / "package", name="package", dry_run=False, updated_by="t")

    assert report.ok
    assert not ChangeRecord.objects.exists()
    assert all(tally.created == 0 and tally.updated == 0 for tally in report.counts.values())
    call_command("export_hsds", str(tmp_path / "again"), verbosity=0)
    assert tables(tmp_path / "again") == tables(tmp_path / "package")


def test_a_large_import_refreshes_postgresql_statistics(reference_areas, tmp_path, monkeypatch):
    build_sepang_directory()
    export_package(tmp_path / "package")
    Organization.objects.all().delete()
    monkeypatch.setattr(importer, "ANALYZE_AFTER_ROWS", 10)

    with CaptureQueriesContext(connection) as queries:
        report = import_package(tmp_path / "package", name="package", dry_run=False, updated_by="t")
        dry = import_package(tmp_path / "package", name="package", dry_run=True, updated_by="t")

    assert report.ok and dry.ok
    analysed = [q["sql"] for q in queries.captured_queries if q["sql"] == "ANALYZE"]
    # PostgreSQL only: on SQLite the statistics made the API's plans worse (importer.py).
    assert analysed == (["ANALYZE"] if connection.vendor == "postgresql" else [])
