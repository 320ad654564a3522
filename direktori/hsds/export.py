"""Write the published directory as an HSDS 3.0 tabular data package (CONTRACT `export_hsds`).

The package carries the official `datapackage.json` unchanged in its resources, and one CSV per
table with the official fields in the official order. Rows come from `rows.py` over the querysets of
`published.py`, the same as the API, so nothing confidential can reach a file.
"""

from __future__ import annotations

import csv
import json
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from . import profile, published, rows
from .rows import Row

SPEC = Path(__file__).resolve().parent / "spec"
CHUNK = 2000

Progress = Callable[[str, int], None]


class ExportError(Exception):
    pass


@dataclass
class ExportReport:
    path: Path
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def official_datapackage() -> dict[str, Any]:
    with (SPEC / "datapackage.json").open(encoding="utf-8") as file:
        descriptor: dict[str, Any] = json.load(file)
    return descriptor


# table → (records, row builder, HSDS entity whose attributes the records carry)
Source = tuple[Callable[[], QuerySet[Any]], Callable[[Any], Row | None], str | None]
SOURCES: dict[str, Source] = {
    "organization": (published.organizations, rows.organization_row, "organization"),
    "service": (published.services, rows.service_row, "service"),
    "service_at_location": (published.service_at_locations, rows.service_at_location_row, None),
    "location": (published.locations, rows.location_row, "location"),
    "phone": (published.phones, rows.phone_row, "phone"),
    "contact": (published.contacts, rows.contact_row, "contact"),
    "address": (published.addresses, rows.address_row, None),
    "schedule": (published.schedules, rows.schedule_row, None),
    "service_area": (published.service_areas, rows.service_area_row, None),
    "language": (published.languages, rows.language_row, None),
    "accessibility": (published.accessibility, rows.accessibility_row, "accessibility"),
    "taxonomy": (published.taxonomies, rows.taxonomy_row, "taxonomy"),
    "taxonomy_term": (published.taxonomy_terms, rows.taxonomy_term_row, "taxonomy_term"),
    "organization_identifier": (
        published.organization_identifiers,
        rows.organization_identifier_row,
        None,
    ),
    "metadata": (published.metadata, rows.metadata_row, None),
}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class _Tables:
    """One open CSV writer per table of the package."""

    def __init__(self, folder: Path, descriptor: dict[str, Any]) -> None:
        self.files: dict[str, Any] = {}
        self.writers: dict[str, csv.DictWriter[str]] = {}
        self.counts: dict[str, int] = {}
        for resource in descriptor["resources"]:
            fields = [f["name"] for f in resource["schema"]["fields"]]
            handle = (folder / resource["path"]).open("w", encoding="utf-8", newline="")
            writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
            writer.writeheader()
            self.files[resource["name"]] = handle
            self.writers[resource["name"]] = writer
            self.counts[resource["name"]] = 0

    def write(self, table: str, row: Row) -> None:
        self.writers[table].writerow({name: _cell(value) for name, value in row.items()})
        self.counts[table] += 1

    def close(self) -> None:
        for handle in self.files.values():
            handle.close()


def _records(table: str) -> Iterator[Any]:
    queryset = SOURCES[table][0]()
    return queryset.iterator(chunk_size=CHUNK)


def export_package(target: Path, *, progress: Progress | None = None) -> ExportReport:
    """Write the package to `target`: a new or empty folder, or a file ending in .zip."""
    as_zip = target.suffix.lower() == ".zip"
    if as_zip and target.exists():
        raise ExportError(f"{target} already exists; choose a new file name.")
    if not as_zip and target.exists() and any(target.iterdir()):
        raise ExportError(f"{target} is not empty; choose a new or empty folder.")
    descriptor = official_datapackage()
    descriptor["title"] = "Direktori CBO — HSDS 3.0"
    descriptor["description"] = (
        "The public community services directory of the Direktori CBO, as an Open Referral HSDS "
        "3.0 tabular data package following the Direktori CBO profile (/api/hsds/profile). "
        "Confidential places and phones are never included."
    )
    descriptor["created"] = timezone.now().isoformat(timespec="seconds")

    folder = Path(tempfile.mkdtemp(prefix="hsds-export-")) if as_zip else target
    folder.mkdir(parents=True, exist_ok=True)
    report = ExportReport(path=target)
    tables = _Tables(folder, descriptor)
    try:
        for table, (_records_of, build, entity) in SOURCES.items():
            skipped = 0
            for record in _records(table):
                row = build(record)
                if row is None:
                    skipped += 1
                    continue
                tables.write(table, row)
                if entity is not None:
                    for attribute in rows.attribute_rows_for(entity, record):
                        tables.write("attribute", attribute)
                if progress is not None and tables.counts[table] % CHUNK == 0:
                    progress(table, tables.counts[table])
            if skipped and table == "address":
                report.notes.append(
                    f"{skipped} address(es) without a postcode written as the "
                    "address-without-postcode attribute of their location (see the profile)."
                )
            elif skipped:
                report.notes.append(f"{skipped} {table} record(s) could not be written as HSDS.")
        for row in rows.profile_taxonomy_rows():
            tables.write("taxonomy", row)
        for row in rows.profile_term_rows():
            tables.write("taxonomy_term", row)
        tables.write(
            "meta_table_description",
            {
                "id": str(profile.profile_uuid("meta_table_description")),
                "name": "Direktori CBO",
                "language": "ms",
                "character_set": "UTF-8",
            },
        )
    finally:
        tables.close()
    (folder / "datapackage.json").write_text(
        json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    report.counts = dict(tables.counts)
    if as_zip:
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(folder.iterdir()):
                archive.write(path, arcname=path.name)
        shutil.rmtree(folder, ignore_errors=True)
    return report
