"""Import an HSDS 3.0 package (docs/hsds-profile.md): check everything, then save everything in
one transaction, or nothing.

Pass one (checking.py) reads every table once and reports every problem. Only a package without
problems reaches pass two, which reads the tables again in chunks, maps each row to directory
records (mapping.py) and writes what changed (writer.py). A dry run does all of that but writes
nothing, so its report counts exactly what a real import would create and update.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from direktori.core.db import ANALYZE_AFTER_ROWS, refresh_planner_statistics
from direktori.directory.models import (
    Accessibility,
    Address,
    Contact,
    Language,
    Location,
    Organization,
    OrganizationIdentifier,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from direktori.search import indexing as search_indexing

from .checking import CHUNK, TABLE_ORDER, check_package
from .findings import Findings
from .mapping import Mapper, metadata_fields
from .models import ChangeRecord
from .reader import Package, PackageError, open_package
from .validation import Problem, parse_uuid
from .writer import Record, TableCount, Writer

Progress = Callable[[str, int, int | None], None]

SAVED: dict[str, type[models.Model]] = {
    "taxonomy": Taxonomy,
    "taxonomy_term": TaxonomyTerm,
    "organization": Organization,
    "organization_identifier": OrganizationIdentifier,
    "service": Service,
    "location": Location,
    "service_at_location": ServiceAtLocation,
    "contact": Contact,
    "phone": Phone,
    "language": Language,
    "address": Address,
    "accessibility": Accessibility,
    "schedule": Schedule,
    "service_area": ServiceArea,
}

# Change records name fields as HSDS does where the field is HSDS's, else by the directory's name.
HSDS_FIELD_NAMES = {
    "description_ms": "description",
    "transportation_ms": "transportation",
    "eligibility_ms": "eligibility_description",
    "application_process_ms": "application_process",
    "fees_ms": "fees_description",
    "name_ms": "name",
    "parent_organization_id": "parent_organization_id",
    "kind": "type",
}
ORGANIZATION_FIELD_NAMES = {
    "kind": "organization-kind",
    "status": "organization-status",
    "area_id": "area",
    "is_demo": "demo-data",
    "source": "source",
    "verified_on": "verified-on",
}


@dataclass
class ImportReport:
    name: str
    dry_run: bool
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    notes: list[str] = field(default_factory=list)
    counts: dict[str, TableCount] = field(default_factory=dict)
    saved: bool = False

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def unlisted_problems(self) -> int:
        return self.problem_count - len(self.problems)


def import_package(
    source: Path | BinaryIO,
    *,
    name: str,
    dry_run: bool,
    updated_by: str,
    progress: Progress | None = None,
) -> ImportReport:
    """Check a package and, when it has no problem and this is not a dry run, save it."""
    report = ImportReport(name=name, dry_run=dry_run)
    try:
        with open_package(source, name=name) as package:
            _import(package, report, dry_run=dry_run, updated_by=updated_by, progress=progress)
    except PackageError as error:
        report.problems.append(Problem(name, 1, "", str(error)))
        report.problem_count += 1
    return report


def _import(
    package: Package,
    report: ImportReport,
    *,
    dry_run: bool,
    updated_by: str,
    progress: Progress | None,
) -> None:
    checked = check_package(package, progress=progress)
    findings = checked.findings
    if findings.problem_count == 0:
        writer = Writer(
            dry_run=dry_run, updated_by=updated_by, now=timezone.now(), findings=findings
        )
        with transaction.atomic():
            mapper = Mapper(checked)
            for table in TABLE_ORDER:
                if table in package.tables() and table in SAVED:
                    _save_table(package, table, mapper, writer, checked.rows[table], progress)
            postcode_less = mapper.postcode_less_addresses(package.file_name("attribute"))
            if postcode_less:
                writer.write("address", Address, postcode_less, _field_namer("address"))
            if "metadata" in package.tables():
                _save_metadata(package, writer, dry_run=dry_run)
        report.counts = writer.counts
        report.saved = not dry_run
        if not dry_run and _written(writer.counts):
            search_indexing.reindex(search_indexing.changed_since(writer.now))
        if not dry_run and _written(writer.counts) >= ANALYZE_AFTER_ROWS:
            refresh_planner_statistics()
    _finish(report, findings)


def _written(counts: dict[str, TableCount]) -> int:
    return sum(count.created + count.updated for count in counts.values())


def _finish(report: ImportReport, findings: Findings) -> None:
    report.problems = findings.problems
    report.problem_count = findings.problem_count
    report.notes = findings.notes()


def _field_namer(table: str) -> Callable[[str], str]:
    names = {**HSDS_FIELD_NAMES, **(ORGANIZATION_FIELD_NAMES if table == "organization" else {})}
    return lambda name: names.get(name, name)


def _save_table(
    package: Package,
    table: str,
    mapper: Mapper,
    writer: Writer,
    total: int,
    progress: Progress | None,
) -> None:
    model = SAVED[table]
    file = package.file_name(table)
    field_name = _field_namer(table)
    records: list[Record] = []
    done = 0
    for row_name, row in package.rows(table):
        records += mapper.records(table, file, row_name, row)
        done += 1
        if len(records) >= CHUNK:
            writer.write(table, model, records, field_name)
            records = []
            if progress is not None:
                progress(_("saving %(file)s") % {"file": file}, done, total)
    if records:
        writer.write(table, model, records, field_name)
    if progress is not None:
        progress(_("saving %(file)s") % {"file": file}, done, total)


def _save_metadata(package: Package, writer: Writer, *, dry_run: bool) -> None:
    """The package's own change history, kept with its ids; rows already kept are skipped."""
    count = writer.counts.setdefault("metadata", TableCount())
    chunk: list[tuple[uuid.UUID, dict]] = []

    def flush() -> None:
        known = set(
            ChangeRecord.objects.filter(pk__in=[pk for pk, _fields in chunk]).values_list(
                "pk", flat=True
            )
        )
        new = [ChangeRecord(id=pk, **fields) for pk, fields in chunk if pk not in known]
        count.created += len(new)
        count.unchanged += len(chunk) - len(new)
        if not dry_run:
            ChangeRecord.objects.bulk_create(new, batch_size=CHUNK)
        chunk.clear()

    for _row_name, row in package.rows("metadata"):
        pk = parse_uuid(row["id"])
        assert pk is not None  # noqa: S101 (narrows the type: ids were checked before the import)
        chunk.append((pk, metadata_fields(row)))
        if len(chunk) >= CHUNK:
            flush()
    if chunk:
        flush()
