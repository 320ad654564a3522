import csv
import io
import math
from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Q
from django.utils import translation
from pytest_django import DjangoDbBlocker

from direktori.areas.geo import DistrictLocator
from direktori.areas.models import Area
from direktori.areas.services import areas_load_reference
from direktori.directory import phones
from direktori.directory.demo_real import MOH_FACILITIES_CSV, split_numbers
from direktori.directory.models import (
    Address,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
)
from direktori.directory.models.taxonomy import SERVICE_CATEGORIES, TARGET_GROUPS
from direktori.directory.reference import taxonomies_load_reference
from direktori.directory.synthetic import synthetic_source
from direktori.directory.synthetic_names import in_english, postcode_in, town_in, villages_of

from .factories import OrganizationFactory

pytestmark = pytest.mark.django_db

SERVICES = 200
MODELS = (Organization, Service, Location, Address, Phone, Schedule, ServiceArea, ServiceAtLocation)


def generate(*arguments: str) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command("generate_synthetic", *arguments, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture(scope="module")
def generated(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[str]:
    """Generated once for the module, in a transaction rolled back at its end; each test runs in
    a savepoint of its own (the `db` fixture)."""
    with django_db_blocker.unblock(), transaction.atomic():
        areas_load_reference()
        taxonomies_load_reference()
        yield generate("--services", str(SERVICES), "--seed", "1")
        transaction.set_rollback(True)


def organizations(seed: int = 1) -> Q:
    return Q(organization__source=synthetic_source(seed))


def snapshot(seed: int = 1) -> dict[str, set[tuple[object, ...]]]:
    """Every synthetic record of the seed, by what identifies and names it."""
    source = synthetic_source(seed)
    return {
        "organizations": set(
            Organization.objects.filter(source=source).values_list("pk", "name", "area__code")
        ),
        "services": set(
            Service.objects.filter(organizations(seed)).values_list("pk", "name", "description_en")
        ),
        "locations": set(
            Location.objects.filter(organizations(seed)).values_list("pk", "latitude", "longitude")
        ),
        "phones": set(
            Phone.objects.filter(service__organization__source=source).values_list("pk", "number")
        ),
        "hours": set(
            Schedule.objects.filter(service__organization__source=source).values_list(
                "pk", "weekday", "opens_at", "all_day"
            )
        ),
        "terms": set(
            Service.terms.through.objects.filter(service__organization__source=source).values_list(
                "service_id", "taxonomyterm_id"
            )
        ),
    }


def test_it_writes_the_number_of_services_asked_for(generated: str) -> None:
    services = Service.objects.filter(organizations())
    assert services.count() == SERVICES
    assert f"{SERVICES} services" in generated
    per_organization = Organization.objects.filter(source=synthetic_source(1)).annotate(
        n=Count("services")
    )
    assert {organization.n for organization in per_organization} <= {1, 2, 3, 4}
    assert sum(organization.n for organization in per_organization) == SERVICES
    assert services.filter(status="active").count() > SERVICES * 0.9


def test_every_service_has_terms_a_place_a_phone_and_hours(generated: str) -> None:
    services = Service.objects.filter(organizations()).prefetch_related(
        "terms__taxonomy", "service_at_locations", "phones", "schedules"
    )
    for service in services:
        groups = [term for term in service.terms.all() if term.taxonomy.code == TARGET_GROUPS]
        categories = [
            term for term in service.terms.all() if term.taxonomy.code == SERVICE_CATEGORIES
        ]
        assert 1 <= len(groups) <= 3, service.name
        assert 1 <= len(categories) <= 2, service.name
        assert len(service.service_at_locations.all()) == 1
        assert Phone.Kind.VOICE in {phone.kind for phone in service.phones.all()}
        assert service.schedules.all()
        assert service.name and service.name_en
        assert service.description_ms and service.description_en
    covered = set(
        Service.terms.through.objects.filter(service__organization__source=synthetic_source(1))
        .values_list("taxonomyterm__code", flat=True)
        .distinct()
    )
    assert {"children", "disability", "elderly", "domestic_violence"} <= covered
    assert ServiceArea.objects.filter(service__organization__source=synthetic_source(1)).exists()
    assert Schedule.objects.filter(
        service__organization__source=synthetic_source(1), all_day=True
    ).exists()


def test_every_location_is_near_a_real_facility_in_its_own_district(generated: str) -> None:
    with MOH_FACILITIES_CSV.open(encoding="utf-8") as handle:
        facilities = [(float(row["lat"]), float(row["lon"])) for row in csv.DictReader(handle)]
    locator = DistrictLocator.from_database()
    locations = Location.objects.filter(organizations()).select_related("area", "organization")
    assert locations.count() >= SERVICES / 4
    for location in locations:
        area, organization = location.area, location.organization
        assert area is not None and organization is not None
        assert location.latitude is not None and location.longitude is not None
        assert area.kind == Area.Kind.DISTRICT
        assert area == organization.area
        latitude, longitude = float(location.latitude), float(location.longitude)
        assert locator.district_code_at(latitude, longitude) in (area.code, None)
        nearest = min(kilometres((latitude, longitude), facility) for facility in facilities)
        assert nearest <= 1.01, location.name
        address = location.addresses.get()
        assert address.region == area.name_ms
        assert address.postal_code == "" or len(address.postal_code) == 5


def kilometres(a: tuple[float, float], b: tuple[float, float]) -> float:
    (lat1, lon1), (lat2, lon2) = (map(math.radians, point) for point in (a, b))
    haversine = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(haversine))


def test_organisations_are_marked_as_fictional(generated: str) -> None:
    synthetic = Organization.objects.filter(source=synthetic_source(1))
    assert synthetic.exists()
    for organization in synthetic:
        assert organization.is_demo
        assert organization.name.endswith(" (Demo)")
        assert organization.name_en.endswith(" (Demo)")


def test_no_phone_is_a_real_number(generated: str) -> None:
    real = set()
    with MOH_FACILITIES_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for number in split_numbers(row["phone"]):
                try:
                    real.add(phones.normalise(number))
                except ValidationError:
                    continue
    numbers = set(
        Phone.objects.filter(service__organization__source=synthetic_source(1)).values_list(
            "number", flat=True
        )
    )
    assert numbers
    assert not numbers & real
    for number in numbers:
        assert phones.normalise(number) == number
        assert phones.display(number).startswith("010-200")


def test_the_same_seed_gives_the_same_directory(generated: str) -> None:
    before = snapshot()

    output = generate("--services", str(SERVICES), "--seed", "1", "--replace")

    assert snapshot() == before
    assert "Deleted" in output


def test_another_seed_gives_another_directory_beside_it(generated: str) -> None:
    first = snapshot(1)

    generate("--services", str(SERVICES), "--seed", "2")

    second = snapshot(2)
    assert snapshot(1) == first
    assert Service.objects.filter(organizations(2)).count() == SERVICES
    for kind in ("organizations", "services", "locations", "phones"):
        assert not {row[0] for row in first[kind]} & {row[0] for row in second[kind]}
    assert sorted(str(row[1]) for row in first["organizations"]) != sorted(
        str(row[1]) for row in second["organizations"]
    )


def test_it_refuses_to_generate_a_seed_twice(generated: str) -> None:
    counts = {model: model.objects.count() for model in MODELS}

    with pytest.raises(CommandError, match="--replace"):
        generate("--services", str(SERVICES), "--seed", "1")

    assert {model: model.objects.count() for model in MODELS} == counts


def test_replace_deletes_only_that_seeds_directory(generated: str) -> None:
    other = OrganizationFactory.create(name="Pertubuhan Sebenar")
    synthetic = Organization.objects.filter(source=synthetic_source(1))
    old_ids = set(synthetic.values_list("pk", flat=True))

    generate("--services", "30", "--seed", "1", "--replace")

    assert Service.objects.filter(organizations()).count() == 30
    assert set(synthetic.values_list("pk", flat=True)) < old_ids
    assert Organization.objects.filter(pk=other.pk).exists()
    orphans = (
        Phone.objects.filter(service__isnull=True, organization__isnull=True, location__isnull=True)
        .filter(contact__isnull=True)
        .count()
    )
    assert orphans == 0
    assert not Schedule.objects.filter(service__isnull=True, location__isnull=True).exists()


def test_at_least_one_service_is_needed(generated: str) -> None:
    with pytest.raises(CommandError):
        generate("--services", "0", "--seed", "3")


@pytest.mark.parametrize(
    ("name", "address", "villages", "town", "postcode"),
    [
        (
            "Klinik Desa (KD) Kpg.Genting",
            "86800 Kg. Genting, Pulau Tioman",
            ("Kampung Genting",),
            "Pulau Tioman",
            "86800",
        ),
        (
            "Klinik Kesihatan (KK) Batu Lintang",
            "Kampung Batu Lintang, 95000 Sri Aman",
            ("Kampung Batu Lintang",),
            "Sri Aman",
            "95000",
        ),
        (
            "Klinik Desa (KD) Garas",
            "Jalan Tambunan-Ranau, Simpang Kiri, Jalan Kg Pahu, Tambunan",
            ("Kampung Garas",),
            "Tambunan",
            "",
        ),
        ("Hospital Kudat", "Peti Surat 22, 89057 Kudat", ("Kudat",), "Kudat", "89057"),
        (
            "Klinik Kesihatan (KK) Nanga Merit",
            "96800 Sarawak",
            ("Kampung Nanga Merit",),
            "",
            "96800",
        ),
    ],
)
def test_place_names_are_read_from_the_facility_list(
    name: str, address: str, villages: tuple[str, ...], town: str, postcode: str
) -> None:
    assert town_in(address) == town
    assert villages_of(name, address, town or "Kapit") == villages
    assert postcode_in(address) == postcode


def test_village_names_in_english() -> None:
    assert in_english("Kampung Sungai Buah") == "Sungai Buah Village"
    assert in_english("Pekan Salak") == "Salak Town"
    assert in_english("Taman Desa Mutiara") == "Taman Desa Mutiara"


def test_shelters_keep_their_place_confidential(generated: str) -> None:
    shelters = Location.objects.filter(
        organizations(), organization__name__startswith="Rumah Perlindungan Wanita"
    )
    assert shelters.exists()
    assert not shelters.filter(is_confidential=False).exists()
    assert not shelters.exclude(transportation_ms="").exists()
    others = Location.objects.filter(organizations()).exclude(pk__in=shelters)
    assert not others.filter(is_confidential=True).exists()
