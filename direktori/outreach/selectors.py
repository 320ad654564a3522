"""The district summary: people reached and activities per locality and target group."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from direktori.areas.models import Area
from direktori.directory.models import TaxonomyTerm

from .models import Activity


@dataclass
class Cell:
    people: int = 0
    activities: int = 0

    def add(self, people: int, activities: int) -> None:
        self.people += people
        self.activities += activities


@dataclass
class SummaryRow:
    locality: Area
    cells: list[Cell]
    total: Cell


@dataclass
class Summary:
    start: datetime.date
    end: datetime.date
    target_groups: list[TaxonomyTerm]
    rows: list[SummaryRow]
    totals: list[Cell]
    total: Cell = field(default_factory=Cell)


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last three months: from the same day three months ago (or the month's last day)."""
    month = today.month - 3
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for day in range(today.day, 0, -1):
        try:
            return datetime.date(year, month, day), today
        except ValueError:
            continue
    raise AssertionError("unreachable")


def activity_summary(*, user: Any, start: datetime.date, end: datetime.date) -> Summary:
    """Over the activities `user` sees (`Activity.objects.visible_to`), dated start..end."""
    grouped = (
        Activity.objects.visible_to(user)
        .between(start, end)
        .values("locality_id", "target_group_id")
        .annotate(people=Sum("people_reached"), activities=Count("id"))
        .order_by()
    )
    figures = {(g["locality_id"], g["target_group_id"]): g for g in grouped}
    groups = list(
        TaxonomyTerm.objects.filter(pk__in={key[1] for key in figures}).order_by("position", "code")
    )
    localities = Area.objects.filter(pk__in={key[0] for key in figures}).order_by("path")
    totals = [Cell() for _ in groups]
    summary = Summary(start=start, end=end, target_groups=groups, rows=[], totals=totals)
    for locality in localities:
        row = SummaryRow(locality=locality, cells=[Cell() for _ in groups], total=Cell())
        for index, group in enumerate(groups):
            figure = figures.get((locality.pk, group.pk))
            if figure:
                people, count = int(figure["people"]), int(figure["activities"])
                row.cells[index].add(people, count)
                row.total.add(people, count)
                totals[index].add(people, count)
                summary.total.add(people, count)
        summary.rows.append(row)
    return summary


def summary_csv_rows(summary: Summary) -> list[list[Any]]:
    """One row per locality and target group with any activity, then the total."""
    rows: list[list[Any]] = [
        ["locality_code", "locality", "target_group", "people_reached", "activities"]
    ]
    for row in summary.rows:
        for group, cell in zip(summary.target_groups, row.cells, strict=True):
            if cell.activities:
                rows.append(
                    [row.locality.code, row.locality.name, group.name, cell.people, cell.activities]
                )
    rows.append(["", _("Total"), "", summary.total.people, summary.total.activities])
    return rows
