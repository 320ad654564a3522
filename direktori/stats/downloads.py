"""The dashboard's downloads: exactly the tables on the screen (the same `dashboard.build`, so the
same query and the same hidden cells), as CSV with every cell made safe against formulas
(`core.spreadsheets.csv_cell`) or as an XLSX workbook (openpyxl) whose text cells are text,
never formulas."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from direktori.core.spreadsheets import csv_cell

from .dashboard import Dashboard, Figures, Line

HEADER = ("table", "key", "name", "count", "rate_per_100000", "note")


def rows(dashboard: Dashboard) -> list[list[Any]]:
    """Every line of every table shown, then what they are and where they come from."""
    choice = dashboard.choice
    found: list[list[Any]] = [list(HEADER)]
    for table, figures in (
        (_("Official figures"), dashboard.official),
        (_("Referrals made through this site"), dashboard.referrals),
    ):
        found += _figure_rows(table, figures)
    about = [
        (_("What"), dashboard.category_label),
        (_("Area"), choice.area.label),
        (_("From"), choice.start.isoformat()),
        (_("To"), choice.end.isoformat()),
        (
            _("Rates"),
            _("per 100,000 children aged 0 to 14 (census 2020)")
            if dashboard.base == "children"
            else _("per 100,000 people (census 2020)"),
        ),
        (
            _("Counts"),
            _("exact (your area)")
            if dashboard.exact
            else _(
                "public view: counts from 1 to 4, and others needed to protect them, are not "
                "disclosed"
            ),
        ),
        (
            _("Referrals"),
            _("Referrals by CBO members through this system — not official JKM figures"),
        ),
    ]
    found += [["about", "", label, "", "", value] for label, value in about]
    found += [["source", "", source, "", "", ""] for source in dashboard.sources]
    return found


def _figure_rows(table: str, figures: Figures) -> list[list[Any]]:
    def row(part: str, line: Line) -> list[Any]:
        return [
            f"{table}: {part}",
            line.key,
            line.name,
            "" if line.count is None else line.count,
            "" if line.rate is None else line.rate,
            _("not disclosed") if line.suppressed else "",
        ]

    found = [row(_("total"), figures.total)]
    found += [row(_("by area"), line) for line in figures.by_area]
    found += [row(_("by month"), line) for line in figures.by_month]
    return found


def as_csv(dashboard: Dashboard) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in rows(dashboard):
        writer.writerow([csv_cell(cell) for cell in line])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(dashboard: Dashboard) -> bytes:
    book = Workbook()
    sheet = book.create_sheet("statistik", 0)
    book.remove(book.worksheets[1])  # the empty sheet a new workbook comes with
    for number, line in enumerate(rows(dashboard), start=1):
        for column, value in enumerate(line, start=1):
            cell = sheet.cell(row=number, column=column, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text, never a formula, whatever it starts with
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
