"""Small data for the spreadsheet tests: Sepang and one other Selangor district, the reference
terms, one entry with everything a row holds, and an account of every role."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from direktori.accounts.models import Role, User
from direktori.accounts.testing import account, signed_in
from direktori.areas.models import Area
from direktori.areas.services import area_save
from direktori.directory.models import Organization, Service, TaxonomyTerm
from direktori.directory.tests.factories import (
    AddressFactory,
    LocationFactory,
    OrganizationFactory,
    PhoneFactory,
    ServiceFactory,
    reference_terms,
    sepang_area,
)
from direktori.publishing.entries import KEYS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class World:
    sepang: Area
    other: Area  # another district of Selangor
    terms: dict[str, TaxonomyTerm]
    organization: Organization
    service: Service
    users: dict[str, User] = field(default_factory=dict)

    def client(self, role: str) -> Client:
        return Client() if role == "anonymous" else signed_in(Client(), self.users[role])


def other_district() -> Area:
    sepang = sepang_area()
    return area_save(
        Area(
            code="10_2",
            kind=Area.Kind.DISTRICT,
            name_ms="Hulu Langat",
            name_en="Hulu Langat",
            slug="hulu-langat",
            parent=sepang.parent,
        )
    )


def entry_with_everything(terms: dict[str, TaxonomyTerm]) -> Service:
    organization = OrganizationFactory.create(name="PKMD Sepang", kind=Organization.Kind.GOVERNMENT)
    service = ServiceFactory.create(
        organization=organization,
        name="Bantuan Warga Emas",
        name_en="Help for the elderly",
        eligibility_ms="Warga emas, 60 tahun; miskin",
        email="pkmd@example.gov.my",
        url="https://example.gov.my/pkmd",
        hours_note_ms="Isnin–Jumaat, 8 pagi",
        terms=[terms["elderly"], terms["welfare"]],
    )
    place = LocationFactory.create(organization=organization, name="Pejabat")
    AddressFactory.create(location=place, address_1="Jalan Ujian 1", postal_code="43900")
    PhoneFactory.create(service=service, number="03-8706 4433", kind="voice", position=0)
    PhoneFactory.create(service=service, number="019-261 5999", kind="whatsapp", position=1)
    PhoneFactory.create(service=service, number="03-8706 5555", is_confidential=True)
    return service


@pytest.fixture
def world(db: None) -> World:
    sepang = sepang_area()
    other = other_district()
    terms = reference_terms()
    service = entry_with_everything(terms)
    found = World(sepang, other, terms, service.organization, service)
    Area.objects.get(code="MY")
    found.users = {
        Role.CBO_MEMBER: account(Role.CBO_MEMBER, "10_7", organisation=found.organization),
        Role.CBO_CHAIR: account(Role.CBO_CHAIR, "10_7", organisation=found.organization),
        Role.DISTRICT_OFFICER: account(Role.DISTRICT_OFFICER, "10_7"),
        Role.STATE_OFFICER: account(Role.STATE_OFFICER, "10"),
        Role.HQ_ADMIN: account(Role.HQ_ADMIN, "MY"),
        "other_officer": account(Role.DISTRICT_OFFICER, "10_2"),
    }
    return found


def sheet_rows(body: bytes) -> list[list[str]]:
    """The first sheet of an XLSX file as text, as the import reads it."""
    book = load_workbook(io.BytesIO(body))
    return [
        ["" if value is None else str(value) for value in row]
        for row in book.worksheets[0].iter_rows(values_only=True)
    ]


def as_dicts(rows: list[list[str]]) -> list[dict[str, str]]:
    return [dict(zip(KEYS, row, strict=False)) for row in rows[1:]]


def upload(client: Client, body: bytes, name: str = "entri.xlsx", prefix: str = "") -> Any:
    file = SimpleUploadedFile(name, body, content_type=XLSX)
    return client.post(prefix + reverse("publishing:entries_import"), {"file": file})


def confirm(client: Client, response: Any) -> Any:
    token = response.context["confirm_form"].initial["token"]
    return client.post(reverse("publishing:entries_import"), {"token": token})
