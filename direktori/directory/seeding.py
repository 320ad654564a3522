"""Writing seeded records (the demo directory and the real agencies beside it) by stable id.

What is missing is created, what differs is updated, the rest is left alone: a second run changes
nothing, not even `updated_at`.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.db import models

from . import phones
from .models import Phone, Schedule, Service, TaxonomyTerm
from .models.taxonomy import SERVICE_CATEGORIES, TARGET_GROUPS
from .reference import stable_id

M = TypeVar("M", bound=models.Model)

ALL_WEEK = (1, 2, 3, 4, 5, 6, 7)
WEEKDAYS = (1, 2, 3, 4, 5)


def coordinate(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


@dataclass
class SeedReport:
    created: Counter[str] = field(default_factory=Counter)
    changed: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)

    @property
    def total_created(self) -> int:
        return sum(self.created.values())

    @property
    def total_changed(self) -> int:
        return sum(self.changed.values())


class Seeder:
    def __init__(self) -> None:
        self.report = SeedReport()
        self._terms: dict[str, TaxonomyTerm] | None = None
        self._existing_ids: dict[type[models.Model], set[Any]] = {}

    def upsert(self, model: type[M], *, key: str, **values: Any) -> M:
        record_id = stable_id(key)
        label = model._meta.model_name or model.__name__
        record = (
            model._default_manager.filter(pk=record_id).first()
            if record_id in self._ids_of(model)
            else None
        )
        if record is None:
            record = model(id=record_id, **values)
            # The id is known to be new: skip the one check (a query per record) that says so.
            record.full_clean(exclude=["id"])
            record.save(force_insert=True)
            self.report.created[label] += 1
            return record
        differing = {
            name: value for name, value in values.items() if not _same(record, name, value)
        }
        if not differing:
            self.report.unchanged[label] += 1
            return record
        for name, value in differing.items():
            setattr(record, name, value)
        record.full_clean()
        record.save()
        self.report.changed[label] += 1
        return record

    def _ids_of(self, model: type[models.Model]) -> set[Any]:
        # One query per model instead of one per record: a fresh database answers "none" at once.
        if model not in self._existing_ids:
            self._existing_ids[model] = set(model._default_manager.values_list("pk", flat=True))
        return self._existing_ids[model]

    def terms(self, codes: Iterable[str]) -> list[TaxonomyTerm]:
        if self._terms is None:
            self._terms = {
                term.code: term
                for term in TaxonomyTerm.objects.filter(
                    taxonomy__code__in=(TARGET_GROUPS, SERVICE_CATEGORIES)
                )
            }
        return [self._terms[code] for code in codes]

    def terms_set(self, service: Service, codes: Iterable[str]) -> None:
        wanted = self.terms(codes)
        current = set(service.terms.values_list("pk", flat=True))
        if current != {term.pk for term in wanted}:
            service.terms.set(wanted)
            counter = self.report.changed if current else self.report.created
            counter["service terms"] += 1

    def phone_upsert(self, *, key: str, kind: str, number: str, **values: Any) -> Phone:
        # Stored numbers are normalised; comparing the raw text would "change" them on every run.
        normalised = phones.normalise(number, short_code=kind == Phone.Kind.SHORT_CODE)
        return self.upsert(Phone, key=key, kind=kind, number=normalised, **values)

    def hours_upsert(
        self,
        *,
        key: str,
        service: Service,
        days: Iterable[int],
        opens_at: datetime.time | None = None,
        closes_at: datetime.time | None = None,
    ) -> None:
        """One weekly row per day; without times the service is open all day (24 hours)."""
        all_day = opens_at is None
        for day in days:
            self.upsert(
                Schedule,
                key=f"{key}/hours/{day}/{opens_at}",
                service=service,
                weekday=day,
                all_day=all_day,
                opens_at=opens_at,
                closes_at=closes_at,
            )


def _same(record: models.Model, name: str, value: Any) -> bool:
    model_field = record._meta.get_field(name)
    if model_field.is_relation:
        current = getattr(record, model_field.attname)  # type: ignore[union-attr]
        return bool(current == (value.pk if value is not None else None))
    current = getattr(record, name)
    if isinstance(value, Decimal) and current is not None:
        return bool(Decimal(current) == value)
    return bool(current == value)
