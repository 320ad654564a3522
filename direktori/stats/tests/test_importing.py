"""`import_statistics` (CONTRACT): all-or-nothing, every problem by row and column, re-import
replaces, CSV and XLSX, DOSM names in any case and the spellings of federal territories."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.utils import translation
from openpyxl import Workbook

from direktori.audit.models import AuditEvent
from direktori.stats.models import StatisticImport, StatisticRecord, StatisticRollup

from .data import COLUMNS, write_csv

SOURCE = "JKM Selangor"


def row(**values: str) -> dict[str, str]:
    base = {
        "period_start": "2023-01-01",
        "period_end": "2023-01-31",
        "state": "Selangor",
        "district": "Sepang",
        "category": "child_protection",
        "count": "12",
        "source": SOURCE,
    }
    return base | values


def run(path: Path, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_statistics", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(path: Path) -> str:
    err = io.StringIO()
    with translation.override("en"), pytest.raises(CommandError, match="nothing was saved"):
        call_command("import_statistics", str(path), stderr=err)
    assert not StatisticRecord.objects.exists()
    assert not StatisticRollup.objects.exists()
    return err.getvalue()


@pytest.mark.django_db
def test_a_file_with_an_unknown_district_or_a_negative_count_is_refused_whole(
    reference_areas: None, tmp_path: Path
) -> None:
    rows = [row(), row(district="Atlantis"), row(category="elderly", count="-3")]
    report = refused(write_csv(tmp_path / "bad.csv", rows))
    assert "row 3, column district: No district has this DOSM name or code: Atlantis." in report
    assert "row 4, column count: A count cannot be negative." in report
    assert "row 2" not in report


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("values", "column", "message"),
    [
        ({"district": "Kluang"}, "district", "This district is not in Selangor."),
        ({"state": "Selangorr"}, "state", "No state has this DOSM name or code: Selangorr."),
        ({"period_start": "2023-13-01"}, "period_start", "Write the date as YYYY-MM-DD"),
        ({"period_end": "2022-12-31"}, "period_end", "The period must not end before it starts."),
        ({"count": "12.5"}, "count", "Give a whole number of cases"),
        ({"count": "1,23"}, "count", "Give a whole number of cases"),
        ({"count": "3.767"}, "count", "Give a whole number of cases"),
        ({"count": "dua"}, "count", "Give a whole number of cases"),
        ({"count": ""}, "count", "This is required."),
        ({"category": "poverty"}, "category", "Give one of: child_protection, domestic_violence"),
        ({"source": ""}, "source", "This is required."),
        ({"source": "x" * 201}, "source", "Keep the source under 200 characters."),
    ],
)
def test_each_problem_names_its_row_and_column(
    reference_areas: None, tmp_path: Path, values: dict[str, str], column: str, message: str
) -> None:
    report = refused(write_csv(tmp_path / "bad.csv", [row(category="elderly"), row(**values)]))
    assert f"row 3, column {column}: {message}" in report


@pytest.mark.django_db
def test_the_same_figure_twice_in_one_file_is_refused(
    reference_areas: None, tmp_path: Path
) -> None:
    report = refused(write_csv(tmp_path / "twice.csv", [row(), row(district="10_7", state="10")]))
    same = "Row 2 has the same period, area, category and source."
    assert f"row 3, column period_start: {same}" in report


@pytest.mark.django_db
def test_a_file_without_the_columns_is_refused(reference_areas: None, tmp_path: Path) -> None:
    path = tmp_path / "columns.csv"
    path.write_text("period_start,period_end,count\n2023-01-01,2023-01-31,3\n", encoding="utf-8")
    missing = "missing: state, district, category, source"
    with translation.override("en"), pytest.raises(CommandError, match=missing):
        call_command("import_statistics", str(path))


@pytest.mark.django_db
def test_re_importing_replaces_and_never_adds_twice(reference_areas: None, tmp_path: Path) -> None:
    first = write_csv(tmp_path / "first.csv", [row(), row(category="domestic_violence", count="4")])
    out, _err = run(first)
    assert out.strip() == "2 added, 0 replaced, 0 unchanged."
    out, _err = run(first)
    assert out.strip() == "0 added, 0 replaced, 2 unchanged."
    corrected = write_csv(tmp_path / "corrected.csv", [row(count="15")])
    out, _err = run(corrected)
    assert out.strip() == "0 added, 1 replaced, 0 unchanged."
    assert StatisticRecord.objects.count() == 2
    assert StatisticRecord.objects.get(category="child_protection").count == 15
    rollups = StatisticRollup.objects.filter(category="child_protection")
    assert {r.area.code: r.count for r in rollups.select_related("area")} == {
        "MY": 15,
        "10": 15,
        "10_7": 15,
    }
    assert StatisticImport.objects.count() == 3
    assert AuditEvent.objects.filter(object_type="stats.statisticimport").count() == 3


@pytest.mark.django_db
def test_a_count_may_group_its_thousands_with_commas(reference_areas: None, tmp_path: Path) -> None:
    run(write_csv(tmp_path / "grouped.csv", [row(count="3,767"), row(category="other", count="7")]))
    assert StatisticRecord.objects.get(category="child_protection").count == 3767


@pytest.mark.django_db
def test_a_dry_run_saves_nothing(reference_areas: None, tmp_path: Path) -> None:
    out, _err = run(write_csv(tmp_path / "dry.csv", [row()]), "--dry-run")
    assert out.strip() == "Dry run, nothing saved: would be 1 added, 0 replaced, 0 unchanged."
    assert not StatisticRecord.objects.exists()


@pytest.mark.django_db
def test_unallocated_rows_are_kept_against_the_state_or_the_country(
    reference_areas: None, tmp_path: Path
) -> None:
    rows = [row(district="", count="5"), row(state="", district="", count="7")]
    run(write_csv(tmp_path / "unallocated.csv", rows))
    assert dict(StatisticRecord.objects.values_list("area__code", "count")) == {"10": 5, "MY": 7}
    assert StatisticRollup.objects.get(area__code="MY").count == 12


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "district"),
    [
        ("W.P. Kuala Lumpur", "W.P. Kuala Lumpur"),
        ("WP Kuala Lumpur", "wp kuala lumpur"),
        ("Wilayah Persekutuan Kuala Lumpur", "Kuala Lumpur"),
        ("Federal Territory of Kuala Lumpur", "14_1"),
        ("14", ""),
    ],
)
def test_federal_territories_in_the_spellings_agencies_use(
    reference_areas: None, tmp_path: Path, state: str, district: str
) -> None:
    run(write_csv(tmp_path / "kl.csv", [row(state=state, district=district)]))
    assert StatisticRecord.objects.get().area.code == ("14_1" if district else "14")


@pytest.mark.django_db
def test_an_xlsx_file_is_read_like_a_csv(reference_areas: None, tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(COLUMNS)
    sheet.append(["2023-01-01", "2023-01-31", "Selangor", "Sepang", "child_protection", 12, SOURCE])
    sheet.append(["2023-02-01", "2023-02-28", "10", "10_7", "Child_Protection", 9.0, SOURCE])
    path = tmp_path / "figures.xlsx"
    workbook.save(path)
    out, _err = run(path)
    assert out.strip() == "2 added, 0 replaced, 0 unchanged."
    assert StatisticRecord.objects.aggregate(n=Sum("count"))["n"] == 21
