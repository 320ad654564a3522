"""A small, realistic Sepang directory for the HSDS tests: every kind of record, and the records
that must never be published (a shelter, its phone, a confidential phone, a contact who did not
agree to be listed)."""

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
    Schedule,
    Service,
    ServiceAtLocation,
)
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


@dataclass
class SepangDirectory:
    cbo: Organization
    welfare_office: Organization
    elderly_visits: Service
    welfare_help: Service
    hall: Location
    shelter: Location
    shelter_phone: Phone
    secret_phone: Phone
    private_contact: Contact
    public_contact: Contact


def build_sepang_directory() -> SepangDirectory:
    """Needs the DOSM reference areas (the `reference_areas` fixture)."""
    terms = reference_terms()
    sepang = Area.objects.get(code="10_7")
    dengkil = Area.objects.filter(path__startswith=sepang.path, name_ms__iexact="Dengkil").first()
    cbo = OrganizationFactory.create(
        kind=Organization.Kind.CBO,
        name="CBO Kampung Jenderam Hilir",
        name_en="Jenderam Hilir Village CBO",
        area=dengkil or sepang,
        source="Senarai ahli CBO KPWKM (contoh)",
        verified_on=datetime.date(2026, 10, 1),
        is_demo=True,
    )
    cbo.identifiers.create(
        identifier_scheme="MY-KPWKM-CBO",
        identifier_type="No. daftar CBO",
        identifier="CBO-10-7-001",
    )
    welfare_office = OrganizationFactory.create(
        kind=Organization.Kind.GOVERNMENT,
        name="Pejabat Kebajikan Masyarakat Daerah Sepang",
        name_en="Sepang District Social Welfare Office",
        area=sepang,
        description_ms="",
        description_en="",
    )
    elderly_visits = ServiceFactory.create(
        organization=cbo,
        name="Lawatan warga emas",
        name_en="Visits to older people",
        eligibility_ms="Warga emas 60 tahun ke atas",
        eligibility_en="People aged 60 and over",
        hours_note_ms="Tutup pada cuti umum",
        hours_note_en="Closed on public holidays",
        verified_on=datetime.date(2026, 10, 1),
        terms=[terms["elderly"], terms["community"]],
    )
    welfare_help = ServiceFactory.create(
        organization=welfare_office,
        name="Bantuan kebajikan",
        name_en="Welfare assistance",
        terms=[terms["children"], terms["domestic_violence"], terms["welfare"]],
    )
    hall = LocationFactory.create(
        organization=cbo,
        name="Dewan Orang Ramai Jenderam Hilir",
        latitude=Decimal("2.860000"),
        longitude=Decimal("101.700000"),
        area=dengkil or sepang,
        description_ms="Di sebelah masjid",
        description_en="Next to the mosque",
    )
    AddressFactory.create(
        location=hall, address_1="Jalan Jenderam Hilir", city="Dengkil", postal_code="43800"
    )
    ServiceAtLocation.objects.create(service=elderly_visits, location=hall)
    hall.accessibility.create(description_ms="Tanjakan kerusi roda", description_en="Ramp")
    ScheduleFactory.create(
        service=elderly_visits,
        weekday=6,
        opens_at=datetime.time(8, 0),
        closes_at=datetime.time(12, 0),
    )
    Schedule.objects.create(service=welfare_help, weekday=1, all_day=True)
    ServiceAreaFactory.create(service=elderly_visits, area=dengkil or sepang)
    ServiceAreaFactory.create(service=welfare_help, area=sepang)
    PhoneFactory.create(
        service=welfare_help,
        kind=Phone.Kind.VOICE,
        number="03-8706 4000",
        description_ms="Talian pejabat",
        description_en="Office line",
    )
    PhoneFactory.create(
        organization=cbo, service=None, kind=Phone.Kind.WHATSAPP, number="012-345 6789"
    )
    shelter = LocationFactory.create(
        organization=welfare_office,
        name="Rumah Perlindungan Rahsia",
        latitude=Decimal("2.830000"),
        longitude=Decimal("101.710000"),
        is_confidential=True,
        confidential_reason="Rumah perlindungan mangsa keganasan rumah tangga",
    )
    AddressFactory.create(location=shelter, address_1="Lorong Rahsia 7", postal_code="43900")
    ServiceAtLocation.objects.create(service=welfare_help, location=shelter)
    shelter_phone = PhoneFactory.create(
        service=None, location=shelter, kind=Phone.Kind.VOICE, number="03-8888 7777"
    )
    secret_phone = PhoneFactory.create(
        service=welfare_help, kind=Phone.Kind.CELL, number="019-876 5432", is_confidential=True
    )
    private_contact = Contact.objects.create(
        organization=cbo, name="Encik Rahsia Peribadi", email="rahsia@example.com", is_public=False
    )
    PhoneFactory.create(service=None, contact=private_contact, number="017-111 2222")
    public_contact = Contact.objects.create(
        organization=cbo, name="Puan Setiausaha CBO", title="Setiausaha", is_public=True
    )
    return SepangDirectory(
        cbo=cbo,
        welfare_office=welfare_office,
        elderly_visits=elderly_visits,
        welfare_help=welfare_help,
        hall=hall,
        shelter=shelter,
        shelter_phone=shelter_phone,
        secret_phone=secret_phone,
        private_contact=private_contact,
        public_contact=public_contact,
    )


# Text that must appear nowhere in anything published.
def secrets_of(directory: SepangDirectory) -> list[str]:
    return [
        str(directory.shelter.pk),
        directory.shelter.name,
        "Lorong Rahsia",
        str(directory.shelter_phone.pk),
        "88887777",
        str(directory.secret_phone.pk),
        "198765432",
        str(directory.private_contact.pk),
        "Rahsia Peribadi",
        "171112222",
    ]
