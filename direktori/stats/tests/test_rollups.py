"""The roll-ups hold what the records add up to, after imports that add and replace; the API
answers the same from either."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command

from direktori.accounts.models import User
from direktori.stats.models import StatisticRecord, StatisticRollup
from direktori.stats.services import rollups_refresh

from .data import write_csv


def from_records() -> dict[tuple[Any, ...], int]:
    sums: dict[tuple[Any, ...], int] = defaultdict(int)
    for record in StatisticRecord.objects.select_related("area"):
        codes = [code for code in record.area.path.split("/") if code]
        for code in codes:
            sums[(record.period_start, record.period_end, record.category, code)] += record.count
    return dict(sums)


def rollups() -> dict[tuple[Any, ...], int]:
    return {
        (r.period_start, r.period_end, r.category, r.area.code): r.count
        for r in StatisticRollup.objects.select_related("area")
    }


@pytest.mark.django_db
def test_the_rollups_are_the_records_summed_up_the_tree(
    press_release: Path, tmp_path: Path
) -> None:
    assert rollups() == from_records()
    correction = [
        {
            "period_start": "2023-01-01",
            "period_end": "2023-01-31",
            "state": "Selangor",
            "district": "Sepang",
            "category": "child_protection",
            "count": "99",
            "source": "JKM, Laporan Statistik 2023",
        },
        {
            "period_start": "2023-01-01",
            "period_end": "2023-01-31",
            "state": "Johor",
            "district": "",
            "category": "other",
            "count": "4",
            "source": "PDRM",
        },
    ]
    call_command("import_statistics", str(write_csv(tmp_path / "fix.csv", correction)))
    assert rollups() == from_records()
    StatisticRollup.objects.all().delete()
    rollups_refresh()
    assert rollups() == from_records()


@pytest.mark.django_db
@pytest.mark.parametrize("group_by", ["", "state", "district", "month"])
def test_the_api_answers_the_same_without_the_rollups(
    press_release: Path,
    api_get: Callable[..., Any],
    officers: dict[str, User],
    settings: Any,
    group_by: str,
) -> None:
    asked = [{}, {"state": "10"}, {"district": "10_7"}]
    for user in (None, officers["hq"]):
        for area in asked:
            if group_by == "state" and "district" in area:
                continue
            params = {"category": "child_protection", "to": "2023-06-30", **area}
            settings.STATISTICS_ROLLUPS = True
            fast = api_get(user, **params, group_by=group_by).json()
            settings.STATISTICS_ROLLUPS = False
            cache.clear()  # the public view's protected table is remembered
            slow = api_get(user, **params, group_by=group_by).json()
            assert fast == slow
