import pytest

from direktori.areas.geo import DistrictLocator, district_at

pytestmark = pytest.mark.django_db


def test_klinik_kesihatan_salak_is_in_sepang(reference_areas: None) -> None:
    area = district_at(2.789722, 101.749167)
    assert area is not None
    assert area.code == "10_7"
    assert area.name_ms == "Sepang"


def test_kuala_lumpur_centre_is_in_the_federal_territory(reference_areas: None) -> None:
    area = district_at(3.1478, 101.6953)
    assert area is not None
    assert area.code.startswith("14_")


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [(2.5, 101.3), (5.0, 105.0)],
    ids=["strait-of-malacca", "south-china-sea"],
)
def test_the_sea_is_in_no_district(
    reference_areas: None, latitude: float, longitude: float
) -> None:
    assert district_at(latitude, longitude) is None


def test_a_locator_answers_many_points(reference_areas: None) -> None:
    locator = DistrictLocator.from_database()
    assert locator.district_code_at(2.92055625, 101.6312693) == "10_7"  # Hospital Cyberjaya
    assert (locator.district_code_at(6.10929, 116.13328) or "").startswith("12_")  # Sabah
    assert locator.district_code_at(0.0, 0.0) is None


def test_without_boundaries_nothing_is_located(db: None) -> None:
    assert district_at(2.789722, 101.749167) is None
