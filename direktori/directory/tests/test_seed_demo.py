import csv
import datetime
import io
import re
import uuid
from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.db.models import Max, Q
from django.test import override_settings
from django.utils import timezone, translation
from pytest_django import DjangoDbBlocker, Settings

from direktori.areas import services as areas_services
from direktori.areas.geo import DistrictLocator
from direktori.areas.models import Area
from direktori.directory import demo_real, phones
from direktori.directory.demo_real import sepang_facilities, split_numbers
from direktori.directory.models import (
    Address,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)
from direktori.directory.reference import RECORD_NAMESPACE

pytestmark = pytest.mark.django_db

SEPANG_PLACES_CSV = areas_services.DATA_DIR / "sepang_places.csv"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

MODELS = (Organization, Service, Location, Address, Phone, Schedule, ServiceArea, ServiceAtLocation)


def national_rows() -> list[dict[str, str]]:
    with demo_real.NATIONAL_SERVICES_CSV.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def is_valid_number(number: str) -> bool:
    try:
        phones.normalise(number)
    except ValidationError:
        return False
    return True


def seed() -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[str]:
    """Seeded once for the module, in a transaction rolled back at its end; each test runs in a
    savepoint of its own (the `db` fixture), as Django's TestCase.setUpTestData does."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        yield seed()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = FAST_HASHERS


def phones_of(organization: Organization) -> set[str]:
    return set(
        Phone.objects.filter(
            Q(organization=organization)
            | Q(service__organization=organization)
            | Q(location__organization=organization)
        ).values_list("number", flat=True)
    )


def test_a_second_run_creates_and_changes_nothing(seeded: str) -> None:
    counts = {model: model.objects.count() for model in MODELS}
    last_change = {model: model.objects.aggregate(Max("updated_at")) for model in MODELS}
    terms = list(Service.terms.through.objects.order_by("pk").values_list("pk", flat=True))

    output = seed()

    assert {model: model.objects.count() for model in MODELS} == counts
    assert {model: model.objects.aggregate(Max("updated_at")) for model in MODELS} == last_change
    assert list(Service.terms.through.objects.order_by("pk").values_list("pk", flat=True)) == terms
    assert "0 records created, 0 changed" in output


def test_ids_are_the_same_on_every_machine(seeded: str) -> None:
    talian_kasih = Organization.objects.get(name="Talian Kasih")
    assert talian_kasih.pk == uuid.uuid5(RECORD_NAMESPACE, "real:national:Talian Kasih")
    for model in MODELS:
        assert {record_id.version for record_id in model.objects.values_list("pk", flat=True)} == {
            5
        }


def test_the_output_names_the_demo_administrator(seeded: str) -> None:
    assert "demo-admin" in seeded
    assert "Demo-Sepang-2026!" in seeded
    assert "demo" in seeded.lower()
    admin = get_user_model().objects.get(username="demo-admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password("Demo-Sepang-2026!")


def test_the_demo_password_can_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "another-Demo-pass-1")
    output = seed()
    assert "another-Demo-pass-1" in output
    assert get_user_model().objects.get(username="demo-admin").check_password("another-Demo-pass-1")


def test_real_hotlines_carry_exactly_the_numbers_of_the_csv(seeded: str) -> None:
    talian_kasih = Organization.objects.get(name="Talian Kasih")
    assert talian_kasih.kind == Organization.Kind.HOTLINE
    assert talian_kasih.area.code == "MY"
    assert set(
        Phone.objects.filter(service__organization=talian_kasih).values_list("kind", "number")
    ) == {(Phone.Kind.SHORT_CODE, "15999"), (Phone.Kind.WHATSAPP, "+60192615999")}
    emergency = Organization.objects.get(name="Talian Kecemasan 999")
    assert set(
        Phone.objects.filter(service__organization=emergency).values_list("kind", "number")
    ) == {(Phone.Kind.SHORT_CODE, "999")}
    for row in national_rows():
        organization = Organization.objects.get(name=row["name_ms"])
        expected = {
            phones.normalise(number, short_code=number.isdigit())
            for number in (row["phone"], row["whatsapp"])
            if number
        }
        assert phones_of(organization) == expected, row["name_ms"]


def test_rows_whose_contact_was_not_found_have_no_phones(seeded: str) -> None:
    missing = [row for row in national_rows() if row["status"].startswith("contact not found")]
    assert missing
    for row in missing:
        organization = Organization.objects.get(name=row["name_ms"])
        assert phones_of(organization) == set()
        assert row["source"] in organization.source
        assert "contact not found" in organization.source
        assert organization.area.code == "10_7"


def test_hours_come_from_the_csv_only(seeded: str) -> None:
    talian_kasih = Service.objects.get(organization__name="Talian Kasih")
    assert sorted(talian_kasih.schedules.values_list("weekday", "all_day")) == [
        (day, True) for day in range(1, 8)
    ]
    welfare = Service.objects.get(organization__name="Pejabat Kebajikan Masyarakat Daerah Sepang")
    assert not welfare.schedules.exists()
    assert welfare.hours_note_ms == "Isnin-Jumaat waktu pejabat"
    assert welfare.hours_note_en
    clinics = Service.objects.filter(organization__source=demo_real.MOH_SOURCE)
    assert clinics.count() == len(sepang_facilities())
    assert not Schedule.objects.filter(service__in=clinics).exists()
    assert not clinics.exclude(hours_note_ms="").exists()


def test_no_real_entry_has_an_invented_phone(seeded: str) -> None:
    published = {
        phones.normalise(number, short_code=number.isdigit())
        for row in national_rows()
        for number in (row["phone"], row["whatsapp"])
        if number
    }
    with demo_real.MOH_FACILITIES_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            published |= {
                phones.normalise(number)
                for number in split_numbers(row["phone"])
                if is_valid_number(number)
            }
    real = Phone.objects.filter(
        Q(organization__is_demo=False)
        | Q(service__organization__is_demo=False)
        | Q(location__organization__is_demo=False)
    )
    assert real.exists()
    assert set(real.values_list("number", flat=True)) <= published


def test_real_entries_are_not_verified_and_name_their_source(seeded: str) -> None:
    real = Organization.objects.filter(is_demo=False)
    assert real.count() == len(national_rows()) + len(sepang_facilities())
    assert not real.exclude(verified_on=None).exists()
    assert (
        not Service.objects.filter(organization__is_demo=False).exclude(verified_on=None).exists()
    )
    assert not real.filter(source="").exists()
    assert real.filter(source="MOH facilities list 2024-09").count() == len(sepang_facilities())


def test_clinics_named_after_a_locality_belong_to_it(seeded: str) -> None:
    jenderam = Organization.objects.get(name="Klinik Desa (KD) Jenderam Hulu")
    assert jenderam.area.code == "10_7:dengkil:jenderam-hulu"
    assert Organization.objects.get(name="Hospital Cyberjaya").area.code == "10_7:dengkil:cyberjaya"
    assert Organization.objects.get(name="Hospital Serdang").area.code == "10_7"
    oscc = Organization.objects.get(name="Pusat Krisis Sehenti (OSCC) Hospital Serdang")
    assert oscc.kind == Organization.Kind.GOVERNMENT
    assert oscc.parent_organization == Organization.objects.get(name="Hospital Serdang")


def test_a_clinic_with_two_numbers_gets_both() -> None:
    assert split_numbers("06-3573201 / 0122936098") == ["06-3573201", "0122936098"]


def test_every_demo_organisation_is_visibly_demo(seeded: str) -> None:
    demo = Organization.objects.filter(is_demo=True)
    assert demo.count() >= 20
    for organization in demo:
        assert "Demo" in organization.name
        assert "Demo" in organization.name_en
    assert not Organization.objects.filter(is_demo=False, name__icontains="demo").exists()
    kinds = {kind: demo.filter(kind=kind).count() for kind in Organization.Kind.values}
    assert kinds[Organization.Kind.CBO] == 12
    assert demo.filter(name__contains="(PAWE)").count() == 3
    assert demo.filter(name__contains="(PDK)").count() == 2


def test_demo_phones_are_from_the_fictional_block(seeded: str) -> None:
    numbers = Phone.objects.filter(
        Q(service__organization__is_demo=True) | Q(location__organization__is_demo=True)
    ).values_list("number", flat=True)
    assert numbers
    for number in numbers:
        assert re.fullmatch(r"\+60102000\d{3}", number), number


def test_every_demo_service_is_complete(seeded: str) -> None:
    target_groups = set(TaxonomyTerm.objects.target_groups())
    categories = set(TaxonomyTerm.objects.categories())
    for service in Service.objects.filter(organization__is_demo=True):
        terms = set(service.terms.all())
        assert terms & target_groups, service
        assert terms & categories, service
        assert service.description_ms and service.description_en
        assert service.schedules.exists()
        assert service.service_areas.exists()
        assert service.service_at_locations.exists()
    for organization in Organization.objects.filter(is_demo=True):
        assert 1 <= organization.services.count() <= 3
        assert organization.verified_on is not None
        assert organization.verified_by is None


def test_demo_verification_dates_include_overdue_ones(seeded: str) -> None:
    demo = Organization.objects.filter(is_demo=True)
    dates = [day for day in demo.values_list("verified_on", flat=True) if day is not None]
    assert len(dates) == demo.count()
    year_ago = timezone.localdate() - datetime.timedelta(days=365)
    assert any(day < year_ago for day in dates)
    assert any(day > year_ago for day in dates)


def test_the_shelter_is_confidential_but_reachable(seeded: str) -> None:
    shelter = Organization.objects.get(is_demo=True, services__terms__code="shelter")
    location = shelter.locations.get()
    assert location.is_confidential
    assert location.confidential_reason
    assert location not in Location.objects.public()
    assert Address.objects.filter(location=location).exists()
    assert shelter.area.code == "10_7"  # its locality is not shown publicly either
    direct = Phone.objects.filter(location=location)
    assert direct.filter(is_confidential=True).exists()
    public = Phone.objects.public().filter(organization=shelter)
    assert public.exists()
    assert not set(public.values_list("number", flat=True)) & set(
        direct.values_list("number", flat=True)
    )


def test_all_sepang_organisations_lie_in_sepang(seeded: str) -> None:
    sepang = Area.objects.get(code="10_7")
    locator = DistrictLocator.from_database()
    local = Organization.objects.exclude(area__code="MY")
    assert local.count() == Organization.objects.in_area(sepang).count()
    for location in Location.objects.filter(organization__in=local).select_related("area"):
        assert location.area is not None
        assert location.area.path.startswith(sepang.path)
        assert location.latitude is not None and location.longitude is not None
        point = float(location.latitude), float(location.longitude)
        assert locator.district_code_at(*point) == "10_7", location


def test_demo_addresses_have_real_sepang_postcodes(seeded: str) -> None:
    with SEPANG_PLACES_CSV.open(encoding="utf-8-sig") as handle:
        postcodes = {row["postcode"] for row in csv.DictReader(handle) if row["postcode"]}
    for address in Address.objects.filter(location__organization__is_demo=True):
        assert address.postal_code in postcodes
