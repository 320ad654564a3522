"""An HSDS import keeps the search index in step without a full rebuild."""

from pathlib import Path

import pytest

from direktori.directory.models import Organization
from direktori.hsds.importer import import_package
from direktori.hsds.tests import sepang_package as pkg
from direktori.search.engine import search
from direktori.search.models import SearchDocument
from direktori.search.query import SearchQuery

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_areas")]


def _import(folder: Path) -> None:
    report = import_package(folder, name=folder.name, dry_run=False, updated_by="test")
    assert report.ok, report.problems


def _organisations_found(words: str) -> set[str]:
    found = search(SearchQuery(text=words), limit=50).hits
    return set(
        SearchDocument.objects.filter(service_id__in=[h.service_id for h in found]).values_list(
            "service__organization__name", flat=True
        )
    )


def test_imported_services_are_found_and_a_renamed_organisation_by_its_new_name(
    tmp_path: Path,
) -> None:
    tables = pkg.sepang_tables()
    _import(pkg.write_tables(tmp_path / "first", tables))
    assert SearchDocument.objects.count() > 0
    assert "Pertubuhan Komuniti Dengkil" in _organisations_found("pertubuhan komuniti dengkil")

    tables["organization"][0]["name"] = "Pertubuhan Komuniti Zamrud"
    _import(pkg.write_tables(tmp_path / "renamed", tables))

    assert Organization.objects.get(pk=pkg.ORG_CBO).name == "Pertubuhan Komuniti Zamrud"
    assert "Pertubuhan Komuniti Zamrud" in _organisations_found("zamrud")
    assert search(SearchQuery(text="zamrud")).count >= 1
