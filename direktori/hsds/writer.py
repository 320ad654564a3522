"""Pass two of an import, the writing half: compare a chunk of records with what the directory
holds, create the new ones, update the changed fields only, and write one change record (HSDS
`metadata`) per created record and per changed field. A dry run compares and counts but writes
nothing."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models

from direktori.directory.models import Service

from .findings import Findings
from .models import ChangeRecord
from .reader import RecordName

BATCH = 1000


@dataclass
class TableCount:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __iter__(self) -> Iterator[tuple[str, int]]:
        yield from (("created", self.created), ("updated", self.updated))
        yield ("unchanged", self.unchanged)


@dataclass
class Record:
    """One directory row as the package describes it. `fields` are compared and written;
    `defaults` only fill a new record (a callable is called then); `notes_if_new` are reported
    when the record is created."""

    pk: uuid.UUID
    fields: dict[str, Any]
    file: str
    row: RecordName
    defaults: dict[str, Any] = field(default_factory=dict)
    terms: list[uuid.UUID] | None = None
    notes_if_new: list[tuple[str, str]] = field(default_factory=list)


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


@dataclass
class Writer:
    dry_run: bool
    updated_by: str
    now: datetime.datetime
    findings: Findings
    counts: dict[str, TableCount] = field(default_factory=dict)

    def write(
        self,
        table: str,
        model: type[models.Model],
        records: list[Record],
        field_names: Callable[[str], str],
    ) -> None:
        count = self.counts.setdefault(table, TableCount())
        existing = model._default_manager.in_bulk([record.pk for record in records])
        new: list[models.Model] = []
        changed: list[models.Model] = []
        changed_fields: set[str] = set()
        changes: list[ChangeRecord] = []
        for record in records:
            current = existing.get(record.pk)
            if current is None:
                values = {**record.defaults, **record.fields}
                values = {
                    key: value() if callable(value) else value for key, value in values.items()
                }
                new.append(model(pk=record.pk, **values))
                changes.append(self._change(table, record.pk, "create", "id", "", str(record.pk)))
                count.created += 1
                for name, reason in record.notes_if_new:
                    self.findings.note(record.file, record.row, name, reason)
                continue
            differs = False
            for name, value in record.fields.items():
                before = getattr(current, name)
                if before != value:
                    changes.append(
                        self._change(
                            table,
                            record.pk,
                            "update",
                            field_names(name),
                            as_text(before),
                            as_text(value),
                        )
                    )
                    setattr(current, name, value)
                    changed_fields.add(name)
                    differs = True
            if differs:
                changed.append(current)
                count.updated += 1
            else:
                count.unchanged += 1
        terms = (
            self._compare_terms(table, records, existing, changed, changes, count)
            if model is Service
            else None
        )
        if self.dry_run:
            return
        model._default_manager.bulk_create(new, batch_size=BATCH)
        if terms is not None:
            self._write_terms(*terms)
        if changed:
            for obj in changed:
                obj.updated_at = self.now  # type: ignore[attr-defined]
            model._default_manager.bulk_update(
                changed, sorted(changed_fields | {"updated_at"}), batch_size=BATCH
            )
        ChangeRecord.objects.bulk_create(changes, batch_size=BATCH)

    def _compare_terms(
        self,
        table: str,
        records: list[Record],
        existing: dict[Any, models.Model],
        changed: list[models.Model],
        changes: list[ChangeRecord],
        count: TableCount,
    ) -> tuple[list[Any], list[tuple[uuid.UUID, set[uuid.UUID]]]]:
        """A service's terms are exactly the non-profile terms its attributes link it to."""
        through = Service.terms.through
        current: dict[uuid.UUID, set[uuid.UUID]] = {}
        for service_id, term_id in through.objects.filter(
            service_id__in=[record.pk for record in records]
        ).values_list("service_id", "taxonomyterm_id"):
            current.setdefault(service_id, set()).add(term_id)
        add: list[Any] = []
        remove: list[tuple[uuid.UUID, set[uuid.UUID]]] = []
        changed_ids = {obj.pk for obj in changed}
        for record in records:
            wanted = set(record.terms or [])
            have = current.get(record.pk, set())
            if wanted == have:
                continue
            add += [
                through(service_id=record.pk, taxonomyterm_id=term_id) for term_id in wanted - have
            ]
            if have - wanted:
                remove.append((record.pk, have - wanted))
            service = existing.get(record.pk)
            if service is None:
                continue
            changes.append(
                self._change(
                    table,
                    record.pk,
                    "update",
                    "terms",
                    ", ".join(sorted(str(term) for term in have)),
                    ", ".join(sorted(str(term) for term in wanted)),
                )
            )
            if record.pk not in changed_ids:
                changed.append(service)
                changed_ids.add(record.pk)
                count.unchanged -= 1
                count.updated += 1
        return add, remove

    def _write_terms(self, add: list[Any], remove: list[tuple[uuid.UUID, set[uuid.UUID]]]) -> None:
        through = Service.terms.through
        through.objects.bulk_create(add, batch_size=BATCH)
        for service_id, term_ids in remove:
            through.objects.filter(service_id=service_id, taxonomyterm_id__in=term_ids).delete()

    def _change(
        self, table: str, pk: uuid.UUID, action: str, name: str, before: str, after: str
    ) -> ChangeRecord:
        return ChangeRecord(
            resource_id=pk,
            resource_type=table,
            last_action_date=self.now,
            last_action_type=action,
            field_name=name,
            previous_value=before,
            replacement_value=after,
            updated_by=self.updated_by,
        )
