"""Spreadsheets staff exchange with the site: reading an uploaded CSV or XLSX file (the bulk
invitation, appointment lists) and writing cells they open (CSV downloads of any app)."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _

#: A cell starting with one of these would be read as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: The largest upload read at all.
MAX_BYTES = 2 * 1024 * 1024
XLSX_SIGNATURE = b"PK\x03\x04"  # a ZIP archive
XLS_SIGNATURE = b"\xd0\xcf\x11\xe0"  # an OLE compound file: Excel 97-2003


@dataclass(frozen=True)
class Problem:
    """What is wrong with one cell of an uploaded table (row as the spreadsheet numbers it)."""

    row: int
    column: str
    message: str


class Refused(Exception):
    """An upload refused whole: every problem of every row."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


@dataclass(frozen=True)
class Row:
    """One line of an uploaded table below its header."""

    number: int  # as the spreadsheet shows it: the header is row 1
    values: dict[str, str]


def column_key(header_cell: str) -> str:
    """`service_id (ID perkhidmatan / service id)`, `Service ID` or `service_id` → `service_id`:
    a header may carry a label after its name (the templates' headers do)."""
    return header_cell.split("(")[0].strip().lower().replace(" ", "_")


def rows_below_header(
    table: Iterable[list[str]],
    *,
    columns: Sequence[str],
    max_rows: int,
    too_many: str,
    none_below: str,
    cell: Callable[[str], str] = str.strip,
) -> list[Row]:
    """The rows of a table whose first line names its columns (in any order, others ignored);
    blank lines skipped. Raises ValidationError for an empty file, missing columns, more than
    `max_rows` rows (`too_many`, with `%(count)d`) or no row at all (`none_below`)."""
    lines = iter(table)
    header = [column_key(name) for name in next(lines, [])]
    if not any(header):
        raise ValidationError(_("The file is empty."))
    absent = [name for name in columns if name not in header]
    if absent:
        raise ValidationError(
            _("The first row must name the columns; missing: %(columns)s.")
            % {"columns": ", ".join(absent)}
        )
    where = {name: header.index(name) for name in columns}
    found: list[Row] = []
    for number, cells in enumerate(lines, start=2):
        values = {
            name: cell(cells[index].strip()) if index < len(cells) else ""
            for name, index in where.items()
        }
        if any(values.values()):
            found.append(Row(number=number, values=values))
        if len(found) > max_rows:
            raise ValidationError(too_many % {"count": max_rows})
    if not found:
        raise ValidationError(none_below)
    return found


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


def download(body: bytes, kind: str, name: str, *, private: bool) -> HttpResponse:
    """A spreadsheet (`kind` "xlsx" or "csv") to save as `name.kind`, never indexed; `private`
    for exact or personal figures, which no shared cache may keep."""
    response = HttpResponse(body, content_type=XLSX_TYPE if kind == "xlsx" else CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    response["X-Robots-Tag"] = "none"
    if private:
        response["Cache-Control"] = "private, no-store"
    return response


def csv_cell(value: Any) -> str:
    """A cell a spreadsheet shows as text: one that would start a formula gets a quote first."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def read_upload(upload: Any, *, max_rows: int, max_columns: int) -> Iterator[list[str]]:
    """The lines of an uploaded file, as `read_table`; refuses a file over MAX_BYTES first."""
    if upload.size > MAX_BYTES:
        raise ValidationError(_("The file is larger than 2 MB. Split it into smaller files."))
    return read_table(upload.read(), max_rows=max_rows, max_columns=max_columns)


def read_table(data: bytes, *, max_rows: int, max_columns: int) -> Iterator[list[str]]:
    """The lines of a CSV or XLSX file (told apart by the XLSX's ZIP signature), each a list of
    cell texts. Raises ValidationError, with a message for staff, when it cannot be read."""
    if data.startswith(XLSX_SIGNATURE):
        return xlsx_table(data, max_rows=max_rows, max_columns=max_columns)
    if data.startswith(XLS_SIGNATURE):
        raise ValidationError(_("Old Excel files (.xls) cannot be read. Save it as XLSX or CSV."))
    return csv_table(data)


def csv_table(data: bytes) -> Iterator[list[str]]:
    """A CSV file in UTF-8 (with or without Excel's BOM), separated by commas, semicolons or
    tabs, whichever the first line has most of."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            _("The file is not a CSV file in UTF-8. In Excel, save it as “CSV UTF-8”.")
        ) from error
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    return iter(csv.reader(io.StringIO(text), delimiter=delimiter))


def xlsx_table(data: bytes, *, max_rows: int, max_columns: int) -> Iterator[list[str]]:
    """The first sheet of an XLSX file: its first `max_columns` columns, and no more than two
    lines past the header and `max_rows` (enough for the caller to see the file is too long)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        # Read at once (bounded) so that a damaged file fails here, with a readable message.
        rows = []
        for values in sheet.iter_rows(values_only=True, max_col=max_columns):
            rows.append([cell_text(value) for value in values])
            if len(rows) > max_rows + 1:
                break
        workbook.close()
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ValidationError(_("The file could not be read as an XLSX spreadsheet.")) from error
    return iter(rows)


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text a person typed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone number typed as a number
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


def date_cell(
    values: Mapping[str, str], column: str, add: Callable[[str, str], None]
) -> datetime.date | None:
    """The ISO date in a row's `column` (a time after "T" is ignored); None when the cell is
    empty, or when it is not a date, after telling `add(column, message)`."""
    text = values[column]
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text.split("T")[0])
    except ValueError:
        add(column, _("Write the date as YYYY-MM-DD, for example 2026-01-31."))
        return None
