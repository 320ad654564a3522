"""Loading official figures (CONTRACT `import_statistics`), for the command and an upload page.

`read_file`/`read` turn a CSV or XLSX file into rows (`direktori.core.spreadsheets`), `check`
lists every problem by row and column, or the figures when there are none, `import_all` saves
every row or none. Rows and problems are those of the other imports
(`direktori.accounts.bulk_invite`), so that pages show them alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from direktori.accounts.bulk_invite import Problem, Refused, Row
from direktori.areas.models import Area
from direktori.areas.services import COUNTRY_CODE
from direktori.core.spreadsheets import date_cell, read_table, read_upload, rows_below_header

from . import places
from .models import SOURCE_LENGTH, Category
from .services import Figure, Outcome, figures_outcome, statistics_import

COLUMNS = ("period_start", "period_end", "state", "district", "category", "count", "source")
REQUIRED = ("period_start", "period_end", "category", "count", "source")
#: The command reads files of up to this many figures (ten years of every district's monthly
#: figures in every category is 115,200); an upload is also held to 2 MB.
MAX_ROWS = 200_000
WHOLE_NUMBER = re.compile(r"[0-9]+")
#: "3,767" as agencies' tables print it (a comma between every three digits, nothing else).
GROUPED_NUMBER = re.compile(r"[0-9]{1,3}(,[0-9]{3})+")

__all__ = ["COLUMNS", "Outcome", "Problem", "Refused", "Row", "check", "import_all", "read"]

type Add = Callable[[str, str], None]


def read_file(path: Path) -> list[Row]:
    data = path.read_bytes()
    return table_rows(read_table(data, max_rows=MAX_ROWS, max_columns=len(COLUMNS) + 10))


def read(upload: Any) -> list[Row]:
    return table_rows(read_upload(upload, max_rows=MAX_ROWS, max_columns=len(COLUMNS) + 10))


def table_rows(table: Iterable[list[str]]) -> list[Row]:
    return rows_below_header(
        table,
        columns=COLUMNS,
        max_rows=MAX_ROWS,
        too_many=_("A file may hold at most %(count)d figures."),
        none_below=_("The file has no figures below its first row."),
    )


def check(rows: list[Row]) -> tuple[list[Figure], list[Problem]]:
    """Every problem of every row; the figures when there are none."""
    figures: list[Figure] = []
    problems: list[Problem] = []
    first_row: dict[tuple[Any, ...], int] = {}
    areas = _AreaFinder()
    for row in rows:
        found: list[Problem] = []

        def add(column: str, message: str, row: Row = row, found: list[Problem] = found) -> None:
            found.append(Problem(row=row.number, column=column, message=message))

        figure = _figure(row.values, areas, add)
        if figure is not None:
            if figure.key in first_row:
                add(
                    "period_start",
                    _("Row %(row)d has the same period, area, category and source.")
                    % {"row": first_row[figure.key]},
                )
            else:
                first_row[figure.key] = row.number
        if figure is not None and not found:
            figures.append(figure)
        problems += found
    return (figures if not problems else []), problems


def _figure(values: dict[str, str], areas: _AreaFinder, add: Add) -> Figure | None:
    for column in REQUIRED:
        if not values[column]:
            add(column, _("This is required."))
    start = date_cell(values, "period_start", add)
    end = date_cell(values, "period_end", add)
    if start and end and end < start:
        add("period_end", _("The period must not end before it starts."))
    area = areas.find(values["state"], values["district"], add)
    category = values["category"].lower()
    if category and category not in Category.values:
        add("category", _("Give one of: %(values)s.") % {"values": ", ".join(Category.values)})
    count = _count(values["count"], add)
    if len(values["source"]) > SOURCE_LENGTH:
        add("source", _("Keep the source under %(count)d characters.") % {"count": SOURCE_LENGTH})
    if (
        start is None
        or end is None
        or end < start
        or area is None
        or category not in Category.values
        or count is None
        or not values["source"]
        or len(values["source"]) > SOURCE_LENGTH
    ):
        return None
    return Figure(start, end, area.pk, category, count, " ".join(values["source"].split()))


def _count(text: str, add: Add) -> int | None:
    text = text.replace(" ", "")
    if not text:
        return None
    if WHOLE_NUMBER.fullmatch(text) or GROUPED_NUMBER.fullmatch(text):
        return int(text.replace(",", ""))
    if text.startswith("-") and WHOLE_NUMBER.fullmatch(text[1:]):
        add("count", _("A count cannot be negative."))
    else:
        add("count", _("Give a whole number of cases, for example 12."))
    return None


class _AreaFinder:
    """States and districts by DOSM name or code, each spelling looked up once per file."""

    def __init__(self) -> None:
        self.country = Area.objects.get(code=COUNTRY_CODE)
        self.found: dict[tuple[str, str], Area | tuple[str, str]] = {}

    def find(self, state: str, district: str, add: Add) -> Area | None:
        key = (state.casefold(), district.casefold())
        if key not in self.found:
            self.found[key] = self._look_up(state, district)
        found = self.found[key]
        if isinstance(found, tuple):
            add(*found)
            return None
        return found

    def _look_up(self, state: str, district: str) -> Area | tuple[str, str]:
        state_area = places.find(state, Area.Kind.STATE) if state else None
        if state and state_area is None:
            return (
                "state",
                _("No state has this DOSM name or code: %(value)s.") % {"value": state},
            )
        if not district:
            return state_area or self.country
        district_area = places.find(district, Area.Kind.DISTRICT, within=state_area)
        if district_area is not None:
            return district_area
        if state_area is not None and places.find(district, Area.Kind.DISTRICT) is not None:
            message = _("This district is not in %(state)s.") % {"state": state_area.name_ms}
        else:
            message = _("No district has this DOSM name or code: %(value)s.") % {"value": district}
        return ("district", message)


def import_all(
    rows: list[Row], *, file_name: str = "", actor: Any = None, dry_run: bool = False
) -> Outcome:
    """Saves every row or none (checked again inside the transaction: the database may have
    changed since a preview). Raises `Refused` with the problems."""
    with transaction.atomic():
        figures, problems = check(rows)
        if problems:
            raise Refused(problems)
        if dry_run:
            outcome, _existing = figures_outcome(figures)
            return outcome
        batch = statistics_import(figures=figures, file_name=file_name, actor=actor)
    return Outcome(batch.created, batch.replaced, batch.unchanged)
