"""The files of directory entries: the XLSX template (a header row, an instructions sheet and
drop-down lists from hidden list sheets) and the exports, XLSX and CSV, with the template's
columns (`entries.COLUMNS`). Text is never a formula: every cell is written as text, and one that
a spreadsheet would read as a formula gets a quote first (`core.spreadsheets.csv_cell`), which
the import takes off again (`entries.unguarded`)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from direktori.areas.models import Area
from direktori.core.spreadsheets import csv_cell
from direktori.directory.models import Organization, TaxonomyTerm

from .entries import COLUMNS, KEYS, MAX_ROWS, NO, TERM_COLUMNS, YES

ENTRIES_SHEET = "entri"
#: Drop-down lists: (column key, list sheet, allows several values separated by ";").
LISTS = (
    ("target_groups", "senarai_kumpulan_sasar", True),
    ("categories", "senarai_kategori", True),
    ("area", "senarai_kawasan", False),
    ("organization_kind", "senarai_jenis", False),
    ("confidential", "senarai_ya_tidak", False),
)


def header() -> list[str]:
    return [column.header for column in COLUMNS]


def as_csv(rows: Iterable[Sequence[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header())
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(rows: Iterable[Sequence[str]]) -> bytes:
    book = Workbook()
    sheet = _entries_sheet(book)
    for number, row in enumerate(rows, start=2):
        _write_row(sheet, number, row)
    return _saved(book)


def template_xlsx(areas: Iterable[Area]) -> bytes:
    """An empty entries sheet whose columns offer the lists (target groups, categories, the
    `areas` the officer may load, kinds, ya/tidak), and a sheet of instructions."""
    book = Workbook()
    sheet = _entries_sheet(book)
    _instructions(book)
    for key, title, several in LISTS:
        lines = _list_lines(key, areas)
        list_sheet = book.create_sheet(title)
        list_sheet.sheet_state = "hidden"
        for number, line in enumerate(lines, start=1):
            _write_row(list_sheet, number, line)
        column = get_column_letter(KEYS.index(key) + 1)
        validation = DataValidation(
            type="list",
            formula1=f"={title}!$A$1:$A${max(len(lines), 1)}",
            allow_blank=True,
            showErrorMessage=True,
            # Several values in one cell are allowed past a warning; the import checks each.
            errorStyle="warning" if several else "stop",
            promptTitle=key[:32],
            prompt=_("Several: separate them with ;") if several else _("Choose from the list."),
            showInputMessage=True,
        )
        validation.add(f"{column}2:{column}{MAX_ROWS + 1}")
        sheet.add_data_validation(validation)
    return _saved(book)


def _list_lines(key: str, areas: Iterable[Area]) -> list[list[str]]:
    if key in TERM_COLUMNS:
        terms = TaxonomyTerm.objects.filter(taxonomy__code=TERM_COLUMNS[key])
        return [[t.code, t.name_ms, t.name_en] for t in terms.order_by("position", "code")]
    if key == "area":
        return [[a.code, a.name_ms, a.get_kind_display()] for a in areas]
    if key == "organization_kind":
        return [[str(value), str(label)] for value, label in Organization.Kind.choices]
    return [[YES], [NO]]


def _entries_sheet(book: Workbook) -> Worksheet:
    sheet = book.worksheets[0]  # a new workbook has one sheet
    sheet.title = ENTRIES_SHEET
    _write_row(sheet, 1, header())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index in range(1, len(COLUMNS) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 24
    return sheet


def _write_row(sheet: Worksheet, number: int, row: Sequence[Any]) -> None:
    for column, value in enumerate(row, start=1):
        cell = sheet.cell(row=number, column=column, value=csv_cell(value))
        cell.data_type = "s"  # text, never a formula, whatever it starts with


def _instructions(book: Workbook) -> None:
    sheet = book.create_sheet(_("Instructions"))
    lines = [
        [_("Directory entries: one row per service, with its organisation.")],
        [
            _(
                "Leave service_id empty for a new service. Keep the ids of an exported file: "
                "they say which entry a row changes."
            )
        ],
        [
            _(
                "Target groups and categories: codes from the drop-down list; several are "
                "separated with a semicolon (;)."
            )
        ],
        [_("Area: a DOSM code from the list (for example 10_7 for Sepang), or its name.")],
        [_("Phones and WhatsApp: Malaysian numbers such as 03-8947 5555, separated with ;.")],
        [_("Confidential: ya for a shelter or safe house, whose address is never published.")],
        [_("Dates: YYYY-MM-DD, for example 2026-01-31.")],
        [
            _(
                "Upload the file: every problem is listed by row and column, and nothing is "
                "saved until every row is in order and you confirm."
            )
        ],
        [],
        [_("Column"), _("Meaning")],
        *[[column.key, f"{column.label_ms} / {column.label_en}"] for column in COLUMNS],
    ]
    for number, line in enumerate(lines, start=1):
        _write_row(sheet, number, line)
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 60


def _saved(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
