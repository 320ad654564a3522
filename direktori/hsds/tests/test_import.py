"""import_hsds: the official example is refused with its faults named; a Sepang package imports,
whole or not at all; importing again changes nothing."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import translation

from direktori.directory.models import (
    Address,
    Contact,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    Taxonomy,
    TaxonomyTerm,
)
from direktori.hsds import profile
from direktori.hsds.importer import ImportReport, import_package
from direktori.hsds.models import ChangeRecord

from . import sepang_package as pkg

EXAMPLE = Path(__file__).resolve().parents[1] / "spec" / "examples" / "csv"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_areas")]


@pytest.fixture(autouse=True)
def _english() -> object:
    with translation.override("en"):
        yield


def counts() -> dict[str, int]:
    return {
        model.__name__: model._default_manager.count()
        for app in ("directory", "hsds")
        for model in apps.get_app_config(app).get_models()
    }


def run(path: Path, *, dry_run: bool = False) -> ImportReport:
    return import_package(path, name=path.name, dry_run=dry_run, updated_by="import_hsds test")


def area_code(location_id: str) -> str | None:
    return Location.objects.filter(pk=location_id).values_list("area__code", flat=True).get()


def places(report: ImportReport) -> set[tuple[str, int | str, str]]:
    return {(p.file, p.row, p.field) for p in report.problems}


def test_the_official_example_is_refused_with_every_fault_named() -> None:
    before = counts()

    report = run(EXAMPLE)

    assert not report.ok
    assert {
        # The location and the contact point at organisations the package does not have.
        ("locations.csv", 2, "organization_id"),
        ("contacts.csv", 2, "organization_id"),
        # The contact names a service_at_location that does not exist (the real one is e94c9f38).
        ("contacts.csv", 2, "service_at_location_id"),
        # The term's taxonomy (07ff6aee) and broader term (0bc248fa) are missing.
        ("taxonomy_terms.csv", 2, "taxonomy_id"),
        ("taxonomy_terms.csv", 2, "parent_id"),
        ("organizations.csv", 2, "parent_organization_id"),
        ("locations.csv", 2, "latitude"),
        # "ABC 1234" does not fit the directory's five-character postcode.
        ("addresses.csv", 2, "postal_code"),
        ("attributes.csv", 2, "link_entity"),
    } <= places(report)
    messages = [str(problem) for problem in report.problems]
    assert (
        "locations.csv, row 2, organization_id: refers to organisation "
        "985e4a42-bd9f-4edc-911d-0243a4640aca which is not in this package or in the directory"
    ) in messages
    assert (
        "locations.csv, row 2, latitude: 100 is not a latitude (must be between -90 and 90)"
    ) in messages
    assert report.counts == {}
    assert counts() == before
    assert any("programs.csv" in note for note in report.notes)


def test_a_sepang_package_imports_keeping_ids(tmp_path: Path) -> None:
    report = run(pkg.write_tables(tmp_path / "sepang", pkg.sepang_tables()))

    assert report.ok, [str(p) for p in report.problems]
    cbo = Organization.objects.get(pk=pkg.ORG_CBO)
    assert (cbo.kind, cbo.area.code, cbo.name_en) == (
        "cbo",
        "10_7:dengkil",
        "Dengkil Community Association",
    )
    assert cbo.source == "Senarai CBO KPWKM 2025"
    assert str(cbo.verified_on) == "2025-06-01"
    jkm = Organization.objects.get(pk=pkg.ORG_JKM)
    assert (jkm.kind, jkm.area.code, jkm.description_ms) == ("government", "10_7", "")
    ngo = Organization.objects.get(pk=pkg.ORG_NGO)
    assert ngo.kind == "ngo"
    assert any("organization-kind" in note for note in report.notes)

    # Placed by coordinates in Sepang; Dengkil's finer area attribute lies inside it.
    dengkil = Location.objects.select_related("area").get(pk=pkg.LOC_DENGKIL)
    assert dengkil.area is not None and dengkil.area.code == "10_7:dengkil"
    assert dengkil.area.path.startswith("/MY/10/10_7/")
    assert area_code(pkg.LOC_SALAK) == "10_7"

    elderly = Service.objects.get(pk=pkg.SVC_ELDERLY)
    assert (elderly.name_en, elderly.description_en) == (
        "Visits to the elderly",
        "Weekly home visits.",
    )
    assert elderly.hours_note_ms == "Kecuali cuti umum"
    assert [str(term.pk) for term in elderly.terms.all()] == [pkg.TERM_ELDERLY]
    assert str(elderly.verified_on) == "2025-06-01"
    taxonomy = Taxonomy.objects.get(pk=pkg.TAXONOMY)
    assert taxonomy.code == "kumpulan-ujian"
    assert TaxonomyTerm.objects.get(pk=pkg.TERM_CHILDREN).code == "kanak-kanak"

    assert Phone.objects.get(pk=pkg.PHONE_OFFICE).number == "+60387064000"
    assert Phone.objects.get(pk=pkg.PHONE_SHORT).number == "15999"
    whatsapp = Phone.objects.get(pk=pkg.PHONE_WHATSAPP)
    assert (whatsapp.kind, whatsapp.number) == ("whatsapp", "+60192615999")
    assert Contact.objects.get(pk=pkg.CONTACT).is_public

    weekdays = Schedule.objects.filter(service_id=pkg.SVC_ELDERLY).order_by("weekday")
    assert [s.weekday for s in weekdays] == [1, 2, 3]
    assert {s.pk for s in weekdays} == {
        profile.profile_uuid("schedule", uuid.UUID(pkg.SCHEDULE_WEEKDAYS), day)
        for day in ("MO", "TU", "WE")
    }
    monday = Schedule.objects.get(pk=pkg.SCHEDULE_MONDAY)  # one day: the HSDS id is kept
    assert monday.all_day and monday.opens_at is None
    assert not Schedule.objects.filter(service_id=pkg.SVC_WELFARE).exists()
    assert any("not weekly" in note for note in report.notes)

    areas = {a.service_id: a.area.code for a in ServiceArea.objects.select_related("area")}
    assert areas == {uuid.UUID(pkg.SVC_HELPLINE): "10_7", uuid.UUID(pkg.SVC_WELFARE): "10"}
    assert report.counts["service"].created == 3
    assert report.counts["schedule"].created == 4
    created = ChangeRecord.objects.filter(last_action_type="create", field_name="id")
    assert created.filter(resource_id=pkg.ORG_CBO, resource_type="organization").exists()
    assert created.get(resource_id=pkg.SVC_ELDERLY).updated_by == "import_hsds test"


def test_locations_without_coordinates_are_placed_from_address_or_service_area(
    tmp_path: Path,
) -> None:
    report = run(pkg.write_tables(tmp_path / "sepang", pkg.sepang_tables()))

    assert report.ok
    assert area_code(pkg.LOC_ADDRESS_ONLY) == "10_7"  # its address
    assert area_code(pkg.LOC_SERVICE_AREA) == "10_7"  # its service
    assert area_code(pkg.LOC_NOWHERE) is None
    unplaced = [note for note in report.notes if "not placed" in note]
    assert len(unplaced) == 1
    assert "locations.csv" in unplaced[0] and "(1 record: 6)" in unplaced[0]


def test_one_bad_row_refuses_the_whole_package(tmp_path: Path) -> None:
    tables = pkg.sepang_tables()
    tables["phone"][0]["number"] = "03-123"
    tables["location"][1]["longitude"] = ""
    before = counts()

    report = run(pkg.write_tables(tmp_path / "sepang", tables))

    assert not report.ok
    assert places(report) == {("phones.csv", 2, "number"), ("locations.csv", 3, "longitude")}
    assert "“03-123” is not a valid Malaysian phone number" in str(report.problems[1])
    assert counts() == before


def test_importing_again_changes_nothing_and_a_new_name_updates_in_place(
    tmp_path: Path,
) -> None:
    tables = pkg.sepang_tables()
    folder = pkg.write_tables(tmp_path / "sepang", tables)
    run(folder)
    changes = ChangeRecord.objects.count()
    stamps = dict(Organization.objects.values_list("pk", "updated_at"))
    service_stamps = dict(Service.objects.values_list("pk", "updated_at"))

    again = run(folder)

    assert again.ok
    assert ChangeRecord.objects.count() == changes
    assert dict(Organization.objects.values_list("pk", "updated_at")) == stamps
    assert dict(Service.objects.values_list("pk", "updated_at")) == service_stamps
    assert all(count.created == count.updated == 0 for count in again.counts.values())

    tables["organization"][0]["name"] = "Pertubuhan Komuniti Dengkil Baru"
    newer = run(pkg.write_tables(tmp_path / "newer", tables))

    assert newer.counts["organization"].updated == 1
    change = ChangeRecord.objects.get(last_action_type="update")
    assert (change.resource_id, change.resource_type, change.field_name) == (
        uuid.UUID(pkg.ORG_CBO),
        "organization",
        "name",
    )
    assert (change.previous_value, change.replacement_value) == (
        "Pertubuhan Komuniti Dengkil",
        "Pertubuhan Komuniti Dengkil Baru",
    )
    assert Organization.objects.get(pk=pkg.ORG_CBO).name == "Pertubuhan Komuniti Dengkil Baru"
    assert Organization.objects.count() == 3


def test_a_dry_run_counts_but_saves_nothing(tmp_path: Path) -> None:
    before = counts()

    report = run(pkg.write_tables(tmp_path / "sepang", pkg.sepang_tables()), dry_run=True)

    assert report.ok and not report.saved
    assert report.counts["organization"].created == 3
    assert counts() == before


def test_references_to_records_already_in_the_directory_are_accepted(tmp_path: Path) -> None:
    run(pkg.write_tables(tmp_path / "first", pkg.sepang_tables()))
    phone = {
        "id": "0d000000-0000-4000-8000-000000000099",
        "service_id": pkg.SVC_ELDERLY,
        "number": "012-345 6789",
        "type": "cell",
    }

    report = run(pkg.write_tables(tmp_path / "second", {"phone": [phone]}))

    assert report.ok, [str(p) for p in report.problems]
    assert Phone.objects.get(pk=phone["id"]).service_id == uuid.UUID(pkg.SVC_ELDERLY)


def test_addresses_without_postcode_travel_in_an_attribute(tmp_path: Path) -> None:
    tables = pkg.sepang_tables()
    address = {
        "id": "10000000-0000-4000-8000-000000000077",
        "address_1": "Dewan Orang Ramai",
        "region": "Sepang",
        "state_province": "Selangor",
        "country": "MY",
    }
    tables["attribute"].append(
        pkg.attribute("location", pkg.LOC_NOWHERE, profile.Term.ADDRESS_WITHOUT_POSTCODE, address)
    )

    report = run(pkg.write_tables(tmp_path / "sepang", tables))

    assert report.ok, [str(p) for p in report.problems]
    kept = Address.objects.get(pk=address["id"])
    assert (str(kept.location_id), kept.postal_code) == (pkg.LOC_NOWHERE, "")
    assert area_code(pkg.LOC_NOWHERE) == "10_7"
