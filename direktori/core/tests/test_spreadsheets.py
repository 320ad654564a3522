"""Reading uploaded spreadsheets, shared by the bulk invitation and the appointment lists."""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from direktori.core.spreadsheets import MAX_BYTES, cell_text, read_table, read_upload


def xlsx(rows: Sequence[Sequence[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def test_csv_with_excels_bom_and_semicolons() -> None:
    data = "\ufeffname;phone\nSiti;012-345 6789\n".encode()
    assert list(read_table(data, max_rows=10, max_columns=5)) == [
        ["name", "phone"],
        ["Siti", "012-345 6789"],
    ]


def test_xlsx_cells_read_as_typed() -> None:
    data = xlsx([["name", "phone", "on"], ["Siti", 60123456789.0, datetime.date(2026, 1, 31)]])
    assert list(read_table(data, max_rows=10, max_columns=4)) == [
        ["name", "phone", "on", ""],
        ["Siti", "60123456789", "2026-01-31T00:00:00", ""],  # a date cell is a datetime
    ]


def test_xlsx_reads_only_the_columns_and_rows_asked_for() -> None:
    data = xlsx([["a", "b", "c"], *[[n, n, n] for n in range(10)]])
    lines = list(read_table(data, max_rows=3, max_columns=2))
    assert lines[0] == ["a", "b"] and len(lines) == 5  # header, 3 rows, and one to tell it is long


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xd0\xcf\x11\xe0rest", "Old Excel files"),
        (b"PK\x03\x04not a workbook", "could not be read as an XLSX"),
        ("nama\nSiti\n".encode("utf-16"), "not a CSV file in UTF-8"),
    ],
)
def test_unreadable_files_say_why(data: bytes, message: str) -> None:
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError, match=message):
        list(read_table(data, max_rows=10, max_columns=5))


def test_too_large_an_upload_is_not_read() -> None:
    upload = SimpleUploadedFile("big.csv", b"a" * (MAX_BYTES + 1))
    with pytest.raises(ValidationError):
        read_upload(upload, max_rows=10, max_columns=5)
    assert upload.tell() == 0


def test_cell_text() -> None:
    assert cell_text(None) == "" and cell_text(1.5) == "1.5" and cell_text(12.0) == "12"
