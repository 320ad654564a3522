"""The template, the officers' export and the round trip export → import (issue 9, part 2)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from direktori.accounts.models import Role
from direktori.audit.models import Action, AuditEvent
from direktori.directory.models import Organization, Phone, Service
from direktori.directory.tests.factories import OrganizationFactory, ServiceFactory
from direktori.publishing.entries import COLUMNS, KEYS
from direktori.search.engine import search
from direktori.search.query import SearchQuery

from .spreadsheet_fixtures import World, as_dicts, confirm, sheet_rows, upload, world

__all__ = ["world"]

DISTRICT = Role.DISTRICT_OFFICER


def export(w: World, kind: str = "xlsx", role: str = DISTRICT, **filters: str) -> bytes:
    response = w.client(role).get(reverse(f"publishing:entries_export_{kind}"), filters)
    assert response.status_code == 200, response.content[:300]
    return response.content


def test_the_template_has_the_headers_instructions_and_lists(world: World) -> None:
    response = world.client(DISTRICT).get(reverse("publishing:entries_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header == [column.header for column in COLUMNS]
    assert "service_id (ID perkhidmatan" in header[0] and "service id" in header[0]
    assert sheet.max_row == 1
    instructions = [row[0] for row in book.worksheets[1].iter_rows(values_only=True)]
    assert "verified_on" in instructions
    lists = {sheet.title: sheet for sheet in book.worksheets if sheet.sheet_state == "hidden"}
    targets = {row[0] for row in lists["senarai_kumpulan_sasar"].iter_rows(values_only=True)}
    assert {"children", "elderly", "disability", "domestic_violence"} <= targets
    categories = {row[0] for row in lists["senarai_kategori"].iter_rows(values_only=True)}
    assert "welfare" in categories and "elderly" not in categories
    areas = {row[0] for row in lists["senarai_kawasan"].iter_rows(values_only=True)}
    assert "10_7" in areas and "10_2" not in areas  # only the officer's own district
    assert [r[0] for r in lists["senarai_ya_tidak"].iter_rows(values_only=True)] == ["ya", "tidak"]
    validations = {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}
    column_of = {key: chr(ord("A") + KEYS.index(key)) for key in ("target_groups", "area")}
    target = validations[column_of["target_groups"] + "2"]
    assert target.type == "list" and target.formula1.startswith("=senarai_kumpulan_sasar!")
    assert validations[column_of["area"] + "2"].formula1.startswith("=senarai_kawasan!")
    assert len(validations) == 5


def test_a_state_officers_template_lists_every_district_of_the_state(world: World) -> None:
    response = world.client(Role.STATE_OFFICER).get(reverse("publishing:entries_template"))
    book = load_workbook(io.BytesIO(response.content))
    areas = {row[0] for row in book["senarai_kawasan"].iter_rows(values_only=True)}
    assert {"10", "10_7", "10_2"} <= areas and "MY" not in areas


def test_the_export_has_the_template_columns_and_the_entry(world: World) -> None:
    rows = as_dicts(sheet_rows(export(world)))
    assert len(rows) == 1
    row = rows[0]
    assert row["service_id"] == str(world.service.pk)
    assert row["organization_id"] == str(world.organization.pk)
    assert row["organization_kind"] == "government"
    assert row["target_groups"] == "elderly" and row["categories"] == "welfare"
    assert row["area"] == "10_7" and row["postcode"] == "43900" and row["confidential"] == "tidak"
    assert row["phones"] == "03-8706 4433" and row["whatsapp"] == "019-261 5999"
    assert "5555" not in str(row)  # a confidential phone has no place in the file
    assert AuditEvent.objects.filter(action=Action.RECORD_EXPORTED).count() == 1


def test_the_export_follows_the_filters(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # the words are found in the index
        other = ServiceFactory.create(name="Kaunseling Keluarga", terms=[world.terms["children"]])
        ServiceFactory.create(organization=other.organization, name="Tutup", status="inactive")
    names = lambda **f: {r["service_name"] for r in as_dicts(sheet_rows(export(world, **f)))}  # noqa: E731
    assert names() == {"Bantuan Warga Emas", "Kaunseling Keluarga", "Tutup"}
    assert names(kumpulan="children") == {"Kaunseling Keluarga"}
    assert names(kategori="welfare") == {"Bantuan Warga Emas"}
    assert names(status="inactive") == {"Tutup"}
    assert names(kawasan="10_7", q="kaunseling") == {"Kaunseling Keluarga"}
    response = world.client(DISTRICT).get(
        reverse("publishing:entries_export_csv"), {"kawasan": "10_2"}
    )
    assert response.status_code == 400  # another district is not a choice


def test_an_officer_exports_only_their_area(world: World) -> None:
    ServiceFactory.create(name="Di Hulu Langat", organization__area=world.other)
    assert len(as_dicts(sheet_rows(export(world, role="other_officer")))) == 1
    assert len(as_dicts(sheet_rows(export(world, role=Role.STATE_OFFICER)))) == 2


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_an_export_imports_back_as_unchanged(world: World, kind: str) -> None:
    ServiceFactory.create(name="-Dengan sengkang", organization__name="@Persatuan")
    body = export(world, kind)
    client = world.client(DISTRICT)
    response = upload(client, body, name=f"entri.{kind}")
    assert response.context["problems"] == []
    assert response.context["unchanged_count"] == 2
    assert response.context["new_count"] == response.context["changed_count"] == 0
    assert "confirm_form" not in response.context


def test_one_edited_cell_imports_as_exactly_that_change(world: World) -> None:
    body = export(world)
    book = load_workbook(io.BytesIO(body))
    sheet = book.worksheets[0]
    sheet.cell(row=2, column=KEYS.index("service_name") + 1, value="Bantuan Warga Tua")
    sheet.cell(row=2, column=KEYS.index("phones") + 1, value="03-8706 4433; 012-345 6789")
    edited = io.BytesIO()
    book.save(edited)
    client = world.client(DISTRICT)
    response = upload(client, edited.getvalue())
    (plan,) = response.context["plans"]
    assert plan.outcome == "changed" and plan.changes == ["service_name", "phones"]
    assert Service.objects.get().name == "Bantuan Warga Emas"  # nothing saved before confirming
    assert confirm(client, response).context["done"]
    service = Service.objects.get()
    assert service.name == "Bantuan Warga Tua"
    numbers = Phone.objects.filter(service=service, is_confidential=False).order_by("position")
    assert [p.number for p in numbers] == ["+60387064433", "+60123456789", "+60192615999"]
    assert Phone.objects.filter(number="+60387065555", is_confidential=True).exists()
    event = AuditEvent.objects.get(action=Action.RECORD_CHANGED)
    assert event.object_id == str(service.pk) and event.detail["fields"] == [
        "phones",
        "service_name",
    ]
    assert response.context["changed_count"] == 1
    again = upload(client, export(world))
    assert again.context["unchanged_count"] == 1


def test_a_saved_change_reaches_the_search(
    world: World, django_capture_on_commit_callbacks
) -> None:
    body = (
        export(world, "csv")
        .decode("utf-8-sig")
        .replace("Bantuan Warga Emas", "Rumah Seri Kenangan")
    )
    client = world.client(DISTRICT)
    response = upload(client, body.encode("utf-8"), name="entri.csv")
    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, response)
    hits = search(SearchQuery(text="Seri Kenangan")).hits
    assert [hit.service_id for hit in hits] == [world.service.pk]


def test_text_is_never_a_formula_in_either_file(world: World) -> None:
    formula = '=HYPERLINK("http://evil.example","klik")'
    Organization.objects.filter(pk=world.organization.pk).update(name=formula)
    Service.objects.filter(pk=world.service.pk).update(description_ms="+60 tahun", name_en="@x")
    text = export(world, "csv").decode("utf-8-sig")
    row = next(r for r in csv.reader(io.StringIO(text)) if r[0] == str(world.service.pk))
    assert row[KEYS.index("organization_name")] == "'" + formula
    assert row[KEYS.index("description_ms")] == "'+60 tahun"
    book = load_workbook(io.BytesIO(export(world, "xlsx")))
    cell = book.worksheets[0].cell(row=2, column=KEYS.index("organization_name") + 1)
    assert cell.data_type == "s" and cell.value == "'" + formula
    response = upload(world.client(DISTRICT), export(world, "xlsx"))
    assert response.context["unchanged_count"] == 1  # the guard's quote is taken off again


def test_a_new_entry_is_created_with_its_organisation_place_and_numbers(world: World) -> None:
    header = ",".join(KEYS)
    values = dict.fromkeys(KEYS, "")
    values |= {
        "organization_name": "CBO Kampung Baru",
        "organization_kind": "cbo",
        "service_name": "Ziarah warga emas",
        "target_groups": "elderly; Kanak-kanak",
        "area": "Sepang",
        "address_1": "Balai Raya",
        "postcode": "43900",
        "confidential": "ya",
        "phones": "012-345 6789",
        "whatsapp": "012-345 6789",
        "verified_on": "2026-01-31",
    }
    body = (header + "\n" + ",".join(values[k] for k in KEYS) + "\n").encode()
    client = world.client(DISTRICT)
    response = upload(client, body, name="baru.csv")
    assert response.context["new_count"] == 1, response.context["problems"]
    confirm(client, response)
    service = Service.objects.get(name="Ziarah warga emas")
    assert service.organization.kind == "cbo" and service.organization.area == world.sepang
    assert sorted(t.code for t in service.terms.all()) == ["children", "elderly"]
    assert {p.kind for p in service.phones.all()} == {"cell", "whatsapp"}
    place = service.service_at_locations.get().location
    assert place.is_confidential and place.addresses.get().region == "Sepang"
    assert service.verified_by == world.users[DISTRICT]
    assert AuditEvent.objects.filter(action=Action.RECORD_CREATED, object_id=str(service.pk))
    assert upload(client, export(world)).context["unchanged_count"] == 2


def test_other_districts_entries_stay_out_of_an_export(world: World) -> None:
    hidden = OrganizationFactory.create(area=world.other, name="Luar")
    ServiceFactory.create(organization=hidden)
    assert "Luar" not in export(world, "csv").decode("utf-8-sig")
