from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from direktori.directory.models import Contact, Organization
from direktori.directory.tests.factories import (
    AddressFactory,
    LocationFactory,
    OrganizationFactory,
    PhoneFactory,
    ScheduleFactory,
    ServiceAreaFactory,
    ServiceFactory,
    reference_terms,
)
from direktori.hsds import published, rows
from direktori.hsds.models import ChangeRecord
from direktori.hsds.profile import EMPTY_METADATA_VALUE, PROFILE_TAXONOMY_ID, TERM_IDS, Term

pytestmark = pytest.mark.django_db

SPEC = Path(__file__).resolve().parents[1] / "spec"
DATAPACKAGE_FIELDS = {
    resource["name"]: [field["name"] for field in resource["schema"]["fields"]]
    for resource in json.loads((SPEC / "datapackage.json").read_text())["resources"]
}


def attribute_values(entity: str, obj: Any) -> dict[str, str | None]:
    return {row["link_type"]: row["value"] for row in rows.attribute_rows_for(entity, obj)}


def build_everything() -> dict[str, Any]:
    terms = reference_terms()
    service = ServiceFactory.create(terms=[terms["elderly"]], hours_note_ms="Tutup cuti umum")
    location = LocationFactory.create(organization=service.organization)
    service.service_at_locations.create(location=location)
    contact = Contact.objects.create(service=service, name="Puan Aminah", is_public=True)
    ChangeRecord.objects.create(
        resource_id=service.id,
        resource_type="service",
        last_action_date=timezone.now(),
        last_action_type="create",
        field_name="id",
        updated_by="import",
    )
    return {
        "organization": (rows.organization_row, published.organizations()),
        "service": (rows.service_row, published.services()),
        "location": (rows.location_row, published.locations()),
        "address": (rows.address_row, [AddressFactory.create(location=location)]),
        "phone": (rows.phone_row, [PhoneFactory.create(service=service, extension="12")]),
        "contact": (rows.contact_row, [contact]),
        "schedule": (rows.schedule_row, [ScheduleFactory.create(service=service)]),
        "service_area": (rows.service_area_row, [ServiceAreaFactory.create(service=service)]),
        "language": (rows.language_row, [service.languages.create(code="ms", name="Melayu")]),
        "accessibility": (
            rows.accessibility_row,
            [location.accessibility.create(description_ms="Tanjakan kerusi roda")],
        ),
        "service_at_location": (rows.service_at_location_row, published.service_at_locations()),
        "taxonomy": (rows.taxonomy_row, published.taxonomies()),
        "taxonomy_term": (rows.taxonomy_term_row, published.taxonomy_terms()),
        "organization_identifier": (
            rows.organization_identifier_row,
            [
                service.organization.identifiers.create(
                    identifier_scheme="MY-ROS", identifier_type="ROS", identifier="PPM-001"
                )
            ],
        ),
        "metadata": (rows.metadata_row, published.metadata()),
    }


def test_every_row_has_exactly_the_fields_of_its_datapackage_table() -> None:
    for table, (build, records) in build_everything().items():
        built = [build(record) for record in records]
        assert built, table
        for row in built:
            assert list(row) == DATAPACKAGE_FIELDS[table], table
            json.dumps(row)  # JSON-ready
    for row in rows.profile_taxonomy_rows():
        assert list(row) == DATAPACKAGE_FIELDS["taxonomy"]
    for row in rows.profile_term_rows():
        assert list(row) == DATAPACKAGE_FIELDS["taxonomy_term"]
        assert row["taxonomy_id"] == str(PROFILE_TAXONOMY_ID)
    service = published.services().get()
    for row in rows.attribute_rows_for("service", service):
        assert list(row) == DATAPACKAGE_FIELDS["attribute"]


def test_confidential_location_and_everything_hanging_from_it_is_never_published() -> None:
    service = ServiceFactory.create()
    shelter = LocationFactory.create(organization=service.organization, is_confidential=True)
    open_office = LocationFactory.create(organization=service.organization)
    AddressFactory.create(location=shelter, address_1="Rumah Selamat")
    AddressFactory.create(location=open_office)
    PhoneFactory.create(service=None, location=shelter, number="010-200 9991")
    PhoneFactory.create(service=service, number="010-200 9992", is_confidential=True)
    PhoneFactory.create(service=service, number="010-200 9993")
    ScheduleFactory.create(service=None, location=shelter)
    shelter.accessibility.create(description_ms="Tanjakan")
    shelter.languages.create(code="ta", name="Tamil")
    service.service_at_locations.create(location=shelter)
    service.service_at_locations.create(location=open_office)
    hidden = Contact.objects.create(service=service, name="Encik Rahsia", is_public=False)
    PhoneFactory.create(service=None, contact=hidden, number="010-200 9994")
    ChangeRecord.objects.create(
        resource_id=shelter.id,
        resource_type="location",
        last_action_date=timezone.now(),
        last_action_type="update",
        field_name="name",
        previous_value="Rumah Lama",
        updated_by="import",
    )

    assert list(published.locations()) == [open_office]
    assert [a.location for a in published.addresses()] == [open_office]
    assert [p.number for p in published.phones()] == ["+60102009993"]
    assert not published.schedules().exists()
    assert not published.accessibility().exists()
    assert not published.languages().exists()
    assert [sal.location for sal in published.service_at_locations()] == [open_office]
    assert not published.contacts().exists()
    assert not published.metadata().exists()


def test_organization_attributes_carry_kind_status_area_translation_and_verification() -> None:
    organization = OrganizationFactory.create(
        kind=Organization.Kind.GOVERNMENT,
        is_demo=True,
        source="Laman JKM",
        verified_on=datetime.date(2026, 3, 1),
    )
    values = attribute_values("organization", published.organizations().get(pk=organization.pk))
    assert values[Term.ORGANIZATION_KIND] == "government"
    assert values[Term.ORGANIZATION_STATUS] == "active"
    assert values[Term.AREA] == "10_7"
    assert values[Term.DEMO_DATA] == "true"
    assert values[Term.SOURCE] == "Laman JKM"
    assert values[Term.VERIFIED_ON] == "2026-03-01"
    translation = json.loads(values[Term.TRANSLATION_EN] or "")
    assert translation == {
        "name": organization.name_en,
        "description": "An organisation for tests.",
    }


def test_translation_only_when_there_is_english_and_ids_are_stable() -> None:
    organization = OrganizationFactory.create(name_en="", description_en="", source="")
    first = rows.attribute_rows_for("organization", organization)
    assert Term.TRANSLATION_EN not in {row["link_type"] for row in first}
    assert Term.DEMO_DATA not in {row["link_type"] for row in first}
    assert first == rows.attribute_rows_for("organization", organization)
    assert first[0]["taxonomy_term_id"] == str(TERM_IDS[Term.ORGANIZATION_KIND])


def test_service_terms_are_attributes_linked_to_the_term_with_the_taxonomy_code() -> None:
    terms = reference_terms()
    service = ServiceFactory.create(terms=[terms["elderly"], terms["welfare"]])
    attributes = rows.attribute_rows_for("service", published.services().get())
    linked = {row["taxonomy_term_id"]: row["link_type"] for row in attributes}
    assert linked[str(terms["elderly"].id)] == "target-groups"
    assert linked[str(terms["welfare"].id)] == "service-categories"
    assert {row["link_id"] for row in attributes} == {str(service.id)}


def test_all_day_schedule_runs_from_midnight_to_the_last_second() -> None:
    schedule = ScheduleFactory.create(all_day=True, opens_at=None, closes_at=None, weekday=7)
    row = rows.schedule_row(schedule)
    assert (row["byday"], row["opens_at"], row["closes_at"]) == ("SU", "00:00:00", "23:59:59")
    assert row["freq"] == "WEEKLY"


def test_address_without_postcode_is_not_exported_and_city_falls_back_to_area() -> None:
    assert rows.address_row(AddressFactory.create(postal_code="")) is None
    address = published.addresses().get(pk=AddressFactory.create(city="").pk)
    row = rows.address_row(address)
    assert row is not None
    assert row["city"] == "Sepang"
    assert row["state_province"] == "Selangor"


def test_metadata_writes_empty_values_as_null_and_the_date_only() -> None:
    record = ChangeRecord.objects.create(
        resource_id=ServiceFactory.create().id,
        resource_type="service",
        last_action_date=datetime.datetime(2026, 5, 1, 20, 0, tzinfo=datetime.UTC),
        last_action_type="create",
        field_name="id",
        updated_by="import pakej.zip",
    )
    row = rows.metadata_row(record)
    assert row["previous_value"] == row["replacement_value"] == EMPTY_METADATA_VALUE
    assert row["last_action_date"] == "2026-05-02"  # Kuala Lumpur is UTC+8


def _build_all(builders: dict[str, tuple[Any, Any]]) -> None:
    for entity, (build, queryset) in builders.items():
        for record in queryset:
            build(record)
            if entity in rows.ENGLISH_FIELDS:
                rows.attribute_rows_for(entity, record)


@pytest.mark.parametrize("count", [2, 8])
def test_building_rows_runs_no_query_per_row(count: int, django_assert_max_num_queries) -> None:
    terms = reference_terms()
    for _ in range(count):
        service = ServiceFactory.create(terms=[terms["elderly"], terms["health"]])
        location = LocationFactory.create(organization=service.organization)
        AddressFactory.create(location=location)
        service.service_at_locations.create(location=location)
        ScheduleFactory.create(service=service)
        ServiceAreaFactory.create(service=service)
        PhoneFactory.create(service=service)
    builders = {
        "organization": (rows.organization_row, published.organizations()),
        "service": (rows.service_row, published.services()),
        "location": (rows.location_row, published.locations()),
        "address": (rows.address_row, published.addresses()),
        "phone": (rows.phone_row, published.phones()),
        "schedule": (rows.schedule_row, published.schedules()),
        "service_area": (rows.service_area_row, published.service_areas()),
        "service_at_location": (rows.service_at_location_row, published.service_at_locations()),
        "taxonomy_term": (rows.taxonomy_term_row, published.taxonomy_terms()),
        "metadata": (rows.metadata_row, published.metadata()),
    }
    # One query per table, plus the prefetches of the services' terms and of the locations'
    # addresses without a postcode.
    with django_assert_max_num_queries(len(builders) + 2):
        _build_all(builders)
