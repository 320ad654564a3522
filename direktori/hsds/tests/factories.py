"""A small, realistic directory for the HSDS tests: Sepang services, one far away in Kelantan, and a
confidential shelter whose records must never be published. Needs the `reference_areas` fixture."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from direktori.areas.models import Area
from direktori.directory.models import (
    Contact,
    Location,
    Organization,
    Phone,
    Service,
    TaxonomyTerm,
)
from direktori.directory.models.organisations import Status
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
from direktori.search.indexing import reindex_all

# Real places: Bandar Baru Salak Tinggi (43900), Pekan Dengkil (43800), Kota Bharu (15000).
SALAK_TINGGI = (Decimal("2.816000"), Decimal("101.733000"))
DENGKIL = (Decimal("2.858000"), Decimal("101.681000"))
KOTA_BHARU = (Decimal("6.125000"), Decimal("102.238000"))

SHELTER_NUMBER = "010-200 9911"
SHELTER_NUMBER_E164 = "+60102009911"
SECRET_NUMBER = "010-200 9922"
SECRET_NUMBER_E164 = "+60102009922"
PRIVATE_CONTACT_NAME = "Encik Tidak Tersenarai"


@dataclass
class Dataset:
    terms: dict[str, TaxonomyTerm]
    sepang_cbo: Organization
    welfare_office: Organization
    kelantan_ngo: Organization
    elderly_care: Service  # Sepang CBO; serves Sepang; at Salak Tinggi
    helpline: Service  # welfare office; no service area; at Dengkil and at the shelter
    kelantan_service: Service  # serves Kelantan; at Kota Bharu
    closed_service: Service  # Sepang CBO, inactive; serves Selangor; no location
    salak_tinggi: Location
    dengkil: Location
    kota_bharu: Location
    shelter: Location
    shelter_phone: Phone
    secret_phone: Phone

    @property
    def services(self) -> list[Service]:
        return [self.elderly_care, self.helpline, self.kelantan_service, self.closed_service]


def _area(code: str) -> Area:
    return Area.objects.get(code=code)


def _place(
    organization: Organization, where: tuple[Decimal, Decimal], postcode: str, **fields: object
) -> Location:
    location = LocationFactory.create(
        organization=organization, latitude=where[0], longitude=where[1], **fields
    )
    AddressFactory.create(location=location, postal_code=postcode, city="")
    return location


def hsds_dataset() -> Dataset:
    terms = reference_terms()
    sepang, dengkil_mukim = _area("10_7"), _area("10_7:dengkil")
    sepang_cbo = OrganizationFactory.create(
        name="Persatuan Kebajikan Warga Emas Sepang",
        area=sepang,
        verified_on=datetime.date(2026, 6, 1),
        source="Lawatan pegawai",
    )
    welfare_office = OrganizationFactory.create(
        name="Pejabat Kebajikan Masyarakat Daerah Sepang",
        kind=Organization.Kind.GOVERNMENT,
        area=sepang,
    )
    kelantan_ngo = OrganizationFactory.create(
        name="Pertubuhan Sokongan Keluarga Kelantan",
        kind=Organization.Kind.NGO,
        area=_area("3_2"),
        name_en="",
        description_en="",
    )
    elderly_care = ServiceFactory.create(
        organization=sepang_cbo,
        name="Pusat Jagaan Harian Warga Emas",
        terms=[terms["elderly"], terms["welfare"]],
        hours_note_ms="Tutup pada cuti umum",
        hours_note_en="Closed on public holidays",
        verified_on=datetime.date(2026, 6, 1),
    )
    helpline = ServiceFactory.create(
        organization=welfare_office, name="Talian Nasihat Keluarga", terms=[terms["helpline"]]
    )
    kelantan_service = ServiceFactory.create(
        organization=kelantan_ngo, name="Kaunseling Keluarga Kota Bharu", terms=[terms["family"]]
    )
    closed_service = ServiceFactory.create(
        organization=sepang_cbo, name="Kelas Senaman Warga Emas", status=Status.INACTIVE
    )
    ServiceAreaFactory.create(service=elderly_care, area=sepang)
    ServiceAreaFactory.create(service=kelantan_service, area=_area("3"))
    ServiceAreaFactory.create(service=closed_service, area=_area("10"))

    salak_tinggi = _place(
        sepang_cbo,
        SALAK_TINGGI,
        "43900",
        area=Area.objects.get(name_ms="Bandar Baru Salak Tinggi"),
        description_en="Ground floor",
    )
    dengkil = _place(welfare_office, DENGKIL, "43800", area=dengkil_mukim)
    kota_bharu = _place(kelantan_ngo, KOTA_BHARU, "15000", area=_area("3_2"))
    shelter = _place(
        welfare_office, DENGKIL, "43800", name="Rumah Perlindungan Dengkil", is_confidential=True
    )
    for service, location in (
        (elderly_care, salak_tinggi),
        (helpline, dengkil),
        (helpline, shelter),
        (kelantan_service, kota_bharu),
    ):
        service.service_at_locations.create(location=location)

    PhoneFactory.create(service=elderly_care, extension="12")
    PhoneFactory.create(service=None, organization=welfare_office, kind=Phone.Kind.VOICE)
    PhoneFactory.create(service=None, location=salak_tinggi, description_en="Front desk")
    shelter_phone = PhoneFactory.create(service=None, location=shelter, number=SHELTER_NUMBER)
    secret_phone = PhoneFactory.create(service=helpline, number=SECRET_NUMBER, is_confidential=True)
    ScheduleFactory.create(service=elderly_care, weekday=1)
    ScheduleFactory.create(service=helpline, weekday=7, all_day=True, opens_at=None, closes_at=None)
    ScheduleFactory.create(service=None, location=salak_tinggi, weekday=2)
    ScheduleFactory.create(service=None, location=shelter, weekday=3)
    salak_tinggi.accessibility.create(description_ms="Tanjakan", description_en="Ramp")
    shelter.accessibility.create(description_ms="Pintu berkunci")
    elderly_care.languages.create(code="ms", name="Bahasa Melayu")
    salak_tinggi.languages.create(code="ta", name="Tamil")
    listed = Contact.objects.create(service=elderly_care, name="Puan Aminah", is_public=True)
    PhoneFactory.create(service=None, contact=listed)
    private = Contact.objects.create(
        organization=welfare_office, name=PRIVATE_CONTACT_NAME, is_public=False
    )
    PhoneFactory.create(service=None, contact=private, number="010-200 9933")
    sepang_cbo.identifiers.create(
        identifier_scheme="MY-ROS", identifier_type="ROS", identifier="PPM-001-10-2020"
    )
    reindex_all()  # tests run in a transaction that never commits: index as a commit would
    return Dataset(
        terms=terms,
        sepang_cbo=sepang_cbo,
        welfare_office=welfare_office,
        kelantan_ngo=kelantan_ngo,
        elderly_care=elderly_care,
        helpline=helpline,
        kelantan_service=kelantan_service,
        closed_service=closed_service,
        salak_tinggi=salak_tinggi,
        dengkil=dengkil,
        kota_bharu=kota_bharu,
        shelter=shelter,
        shelter_phone=shelter_phone,
        secret_phone=secret_phone,
    )
