"""The statistics dashboard and its downloads: the same figures as the API for the same query,
exact only for officers in scope, and no small count anywhere in the public page or files."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from direktori.accounts.models import User
from direktori.accounts.testing import signed_in

from .data import PRESS_RELEASE

pytestmark = pytest.mark.django_db

HALF_YEAR = {"start": "2023-01", "end": "2023-06"}
API_HALF_YEAR = {"from": "2023-01-01", "to": "2023-06-30"}
#: Sepang's only 'elderly' figure is 2, in March 2023 (data.py).
SMALL = {"category": "elderly", **HALF_YEAR}
CELL = re.compile(r'<td class="num" data-key="([^"]+)">\s*(.*?)\s*</td>', re.S)


def page(client: Client, user: User | None = None, /, **params: str) -> str:
    if user is not None:
        signed_in(client, user)
    response = client.get("/en/statistik/", params)
    assert response.status_code == 200
    return response.content.decode()


def shown(html: str, table: str) -> dict[str, str]:
    """key → what the table with this caption id shows in its count column."""
    start = html.index(f'id="caption-{table}"')
    end = html.index("</table>", start)
    return {key: _text(value) for key, value in CELL.findall(html[start:end])}


def _text(cell: str) -> str:
    return re.sub(r"<[^>]+>", "", cell).strip()


def api_view(body: dict[str, Any]) -> dict[str, str]:
    found = {row["key"]: _api_text(row["count"]) for row in body["rows"]}
    found["total"] = _api_text(body["total"])
    return found


def _api_text(count: int | None) -> str:
    return "not disclosed" if count is None else str(count)


def test_the_page_shows_the_press_release_as_the_api_does(
    press_release: Path, client: Client, api_get: Callable[..., Any]
) -> None:
    for category, (national, selangor, sepang) in PRESS_RELEASE.items():
        html = page(client, category=category, **HALF_YEAR)
        by_state = shown(html, "official")
        assert by_state["total"] == str(national)
        assert by_state["10"] == str(selangor)
        api = api_get(category=category, **API_HALF_YEAR, group_by="state").json()
        assert by_state == api_view(api)
        months = api_get(category=category, **API_HALF_YEAR, group_by="month").json()
        assert shown(html, "official-months") == {
            key: value for key, value in api_view(months).items() if key != "total"
        }
        html = page(client, category=category, area="10_7", **HALF_YEAR)
        assert shown(html, "official")["total"] == str(sepang)
        html = page(client, category=category, area="10", **HALF_YEAR)
        api = api_get(category=category, **API_HALF_YEAR, state="10", group_by="district").json()
        assert shown(html, "official") == api_view(api)


def test_the_chart_and_the_map_draw_the_tables_figures(press_release: Path, client: Client) -> None:
    html = page(client, category="child_protection", area="10", **HALF_YEAR)
    months = shown(html, "official-months")
    titles = re.findall(r"<rect [^>]*><title>([^<]+)</title>", html)
    assert titles == [f"{key}: {value}" for key, value in months.items()]
    districts = shown(html, "official")
    map_titles = dict(
        re.findall(r'<path d="[^"]+" fill="[^"]+"[^>]*><title>([^:<]+): ([^<]+)</title>', html)
    )
    assert map_titles["Sepang"] == districts["10_7"]
    assert 'role="img" aria-labelledby="chart-title chart-desc"' in html


def test_rates_use_the_census_population(press_release: Path, client: Client) -> None:
    from direktori.stats.census import population

    html = page(client, category="domestic_violence", area="10", measure="rate", **HALF_YEAR)
    people = population("10_7")
    assert people is not None
    rate = f"{PRESS_RELEASE['domestic_violence'][2] * 100_000 / people.people:.1f}"
    row = re.search(r'data-key="10_7">\s*7\s*</td>\s*<td class="num">([^<]+)</td>', html)
    assert row is not None and row[1] == rate
    assert f"Sepang: {rate}" in html  # the map, shaded by rate


def test_a_small_district_shows_no_small_count_to_the_public(
    press_release: Path, client: Client, officers: dict[str, User]
) -> None:
    for user in (None, officers["member"], officers["johor"]):
        html = page(Client(), user, area="10_7", **SMALL)
        assert shown(html, "official")["total"] == "not disclosed"
        assert shown(html, "official-months") == {"2023-03": "not disclosed"}
        assert "Sepang: 2" not in html and ">2</td>" not in html
        for kind in ("csv", "xlsx"):
            assert _download_counts(Client(), user, kind, area="10_7", **SMALL) == {
                "total": "",
                "2023-03": "",
            }


def test_officers_in_scope_see_exact_counts(
    press_release: Path, client: Client, officers: dict[str, User]
) -> None:
    for user in (officers["sepang"], officers["selangor"], officers["hq"]):
        html = page(Client(), user, area="10_7", **SMALL)
        assert shown(html, "official")["total"] == "2"
        assert shown(html, "official-months") == {"2023-03": "2"}
        assert _download_counts(Client(), user, "csv", area="10_7", **SMALL)["total"] == "2"
    # A district officer looking at the whole state sees the public view of it.
    html = page(Client(), officers["sepang"], area="10", **SMALL)
    assert shown(html, "official")["total"] == "not disclosed"


def _download_counts(
    client: Client, user: User | None, kind: str, /, **params: str
) -> dict[str, str]:
    """The official figures' counts in a download: key → count ('' when not disclosed)."""
    if user is not None:
        signed_in(client, user)
    response = client.get(f"/en/statistik/muat-turun.{kind}", params)
    assert response.status_code == 200
    lines = _download_rows(response.content, kind)
    return {
        ("total" if row[0].endswith(": total") else row[1]): str(row[3])
        for row in lines[1:]
        if row[0].startswith("Official figures")
    }


def _download_rows(content: bytes, kind: str) -> list[list[Any]]:
    if kind == "csv":
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [
        ["" if cell is None else cell for cell in row] for row in sheet.iter_rows(values_only=True)
    ]


def test_the_downloads_hold_what_the_page_shows(press_release: Path, client: Client) -> None:
    params = {"category": "child_protection", "area": "10", **HALF_YEAR}
    html = page(client, **params)
    on_page = shown(html, "official") | shown(html, "official-months")
    for kind in ("csv", "xlsx"):
        found = _download_counts(client, None, kind, **params)
        assert found == {key: value.replace("not disclosed", "") for key, value in on_page.items()}
    rows = _download_rows(client.get("/en/statistik/muat-turun.csv", params).content, "csv")
    assert ["source", "", "JKM, Laporan Statistik 2023", "", "", ""] in rows


def test_defaults_and_bad_choices(press_release: Path, client: Client) -> None:
    html = page(client)
    # The latest six whole months with national figures: the data ends in December 2023.
    assert 'name="start" value="2023-07"' in html and 'name="end" value="2023-12"' in html
    html = page(client, start="2023-13", area="nowhere")
    assert "Write the month as YYYY-MM" in html
    assert 'id="caption-official"' in html  # the default figures are still shown
