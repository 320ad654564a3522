"""Who may open each spreadsheet page, in both languages; the public download of search results
(public data only, never a confidential address)."""

from __future__ import annotations

import csv
import io

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from direktori.accounts.models import Role
from direktori.directory.models import ServiceAtLocation
from direktori.directory.tests.factories import (
    AddressFactory,
    LocationFactory,
    ServiceFactory,
)
from direktori.publishing import entries_export
from direktori.publishing.entries import KEYS

from .spreadsheet_fixtures import World, as_dicts, sheet_rows, world

__all__ = ["world"]

OFFICER_PAGES = (
    "publishing:entries_template",
    "publishing:entries_import",
    "publishing:entries_export_xlsx",
    "publishing:entries_export_csv",
)
EXPECTED = {
    "anonymous": "sign-in",
    Role.CBO_MEMBER: 404,
    Role.CBO_CHAIR: 404,
    Role.DISTRICT_OFFICER: 200,
    Role.STATE_OFFICER: 200,
    Role.HQ_ADMIN: 200,
}


@pytest.mark.parametrize("language", ["ms", "en"])
def test_only_officers_open_the_staff_pages(world: World, language: str) -> None:
    for role, expected in EXPECTED.items():
        client = world.client(role)
        for name in OFFICER_PAGES:
            with translation.override(language):
                url = reverse(name)
            assert url.startswith("/en/") == (language == "en")
            response = client.get(url)
            if expected == "sign-in":
                assert response.status_code == 302, (role, name)
                with translation.override(language):
                    sign_in = reverse(str(settings.LOGIN_URL))
                assert response["Location"].startswith(f"{sign_in}?next={url}")
            else:
                assert response.status_code == expected, (role, name)


def test_the_staff_page_speaks_both_languages(world: World) -> None:
    client = world.client(Role.DISTRICT_OFFICER)
    with translation.override("en"):
        english = client.get(reverse("publishing:entries_import")).content.decode()
    assert "Directory spreadsheets" in english and "Download the template (XLSX)" in english
    malay = client.get(reverse("publishing:entries_import"))
    assert '<html lang="ms"' in malay.content.decode()
    assert [option[0] for option in malay.context["filter_form"].fields["kawasan"].choices] == [
        "",
        "10_7",
    ]


def _public_world(world: World) -> None:
    """A shelter's service with a confidential place, beside the ordinary entry."""
    shelter = ServiceFactory.create(name="Rumah Perlindungan Wanita", terms=[world.terms["women"]])
    place = LocationFactory.create(organization=shelter.organization, is_confidential=True)
    AddressFactory.create(location=place, address_1="Lorong Rahsia 7", postal_code="43900")
    ServiceAtLocation.objects.create(service=shelter, location=place)


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_the_public_download_never_shows_a_confidential_address(
    world: World, kind: str, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        _public_world(world)
        world.service.save()
    url = reverse(f"publishing:search_download_{kind}")
    response = world.client("anonymous").get(url, {"kawasan": "10_7"})
    assert response.status_code == 200
    body = response.content
    rows = (
        as_dicts(sheet_rows(body))
        if kind == "xlsx"
        else [
            dict(zip(KEYS, line, strict=True))
            for line in list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))[1:]
        ]
    )
    assert sorted(row["service_name"] for row in rows) == [
        "Bantuan Warga Emas",
        "Rumah Perlindungan Wanita",
    ]
    text = body.decode("utf-8-sig") if kind == "csv" else str(rows)
    assert "Rahsia" not in text and "8706 5555" not in text
    shelter = next(row for row in rows if row["service_name"].startswith("Rumah"))
    assert shelter["address_1"] == "" and shelter["confidential"] == "tidak"
    ordinary = next(row for row in rows if row["service_name"].startswith("Bantuan"))
    assert ordinary["address_1"] == "Jalan Ujian 1"


def test_the_public_download_follows_the_search_and_its_limit(
    world: World, django_capture_on_commit_callbacks: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        _public_world(world)
        world.service.save()
    client = world.client("anonymous")
    url = reverse("publishing:search_download_xlsx")
    only = as_dicts(sheet_rows(client.get(url, {"kumpulan": "women"}).content))
    assert [row["service_name"] for row in only] == ["Rumah Perlindungan Wanita"]
    monkeypatch.setattr(entries_export, "PUBLIC_LIMIT", 1)
    assert len(as_dicts(sheet_rows(client.get(url, {"kawasan": "10_7"}).content))) == 1
    assert as_dicts(sheet_rows(client.get(url).content)) == []  # no search, no rows
    assert client.get(url, {"kumpulan": "pirates"}).status_code == 400


def test_the_search_results_link_to_the_downloads(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        world.service.save()
    html = world.client("anonymous").get(reverse("directory:search"), {"kawasan": "10_7"})
    text = html.content.decode()
    assert reverse("publishing:search_download_xlsx") + "?kawasan=10_7" in text
    assert reverse("publishing:search_download_csv") + "?kawasan=10_7" in text


def test_the_template_opens_in_a_spreadsheet(world: World) -> None:
    body = world.client(Role.HQ_ADMIN).get(reverse("publishing:entries_template")).content
    book = load_workbook(io.BytesIO(body))
    assert book.worksheets[0].title == "entri"
