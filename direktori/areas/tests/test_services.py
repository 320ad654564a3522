import pytest

from direktori.areas.models import Area
from direktori.areas.services import area_save, areas_load_reference

pytestmark = pytest.mark.django_db


def codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


def test_reference_has_every_state_and_district(reference_areas: None) -> None:
    assert Area.objects.states().count() == 16
    assert Area.objects.districts().count() == 160
    assert Area.objects.get(code="10").name_ms == "Selangor"
    sepang = Area.objects.get(code="10_7")
    assert sepang.name_ms == "Sepang"
    assert sepang.parent == Area.objects.get(code="10")
    assert sepang.boundary.geometry["type"] == "MultiPolygon"


def test_every_district_lies_in_a_state(reference_areas: None) -> None:
    for district in Area.objects.districts().select_related("parent"):
        state = district.parent
        assert state is not None
        assert state.kind == Area.Kind.STATE
        assert district.path == f"/MY/{state.code}/{district.code}/"


def test_sepang_has_its_mukim_and_localities(reference_areas: None) -> None:
    sepang = Area.objects.get(code="10_7")
    mukim = Area.objects.filter(parent=sepang, kind=Area.Kind.MUKIM)
    assert set(mukim.values_list("name_ms", flat=True)) == {"Dengkil", "Sepang", "Labu"}
    assert Area.objects.get(code="10_7:labu").is_uncertain
    assert not Area.objects.get(code="10_7:dengkil").is_uncertain

    jenderam = Area.objects.get(code="10_7:dengkil:jenderam-hulu")
    assert jenderam.kind == Area.Kind.LOCALITY
    assert jenderam.postcode == "43800"
    assert jenderam.path == "/MY/10/10_7/10_7:dengkil/10_7:dengkil:jenderam-hulu/"
    cyberjaya = Area.objects.get(code="10_7:dengkil:cyberjaya")
    assert cyberjaya.locality_type == Area.LocalityType.TOWN
    assert cyberjaya.postcode == "63000"
    # Places whose mukim no source names hang directly under the district.
    assert Area.objects.get(code="10_7:bukit-bisa").parent == sepang


def test_reloading_creates_nothing(reference_areas: None) -> None:
    count = Area.objects.count()
    report = areas_load_reference()
    assert report.created == 0
    assert report.existing == count
    assert Area.objects.count() == count


def test_an_administrators_corrected_name_survives_a_reload(reference_areas: None) -> None:
    labu = Area.objects.get(code="10_7:labu")
    labu.name_ms = "Labu (disahkan pejabat daerah)"
    area_save(labu)

    areas_load_reference()

    assert Area.objects.get(code="10_7:labu").name_ms == "Labu (disahkan pejabat daerah)"


def test_area_save_repaths_descendants_when_a_parent_changes(reference_areas: None) -> None:
    dengkil = Area.objects.get(code="10_7:dengkil")
    dengkil.parent = Area.objects.get(code="10_8")  # wrongly filed under another district

    area_save(dengkil)

    assert Area.objects.get(code="10_7:dengkil").path == "/MY/10/10_8/10_7:dengkil/"
    cyberjaya = Area.objects.get(code="10_7:dengkil:cyberjaya")
    assert cyberjaya.path == "/MY/10/10_8/10_7:dengkil/10_7:dengkil:cyberjaya/"
    assert cyberjaya in Area.objects.within(Area.objects.get(code="10_8"))
    assert cyberjaya not in Area.objects.within(Area.objects.get(code="10_7"))


def test_area_save_refuses_an_invalid_area(reference_areas: None) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        area_save(Area(code="10_7", kind=Area.Kind.DISTRICT, name_ms="Sepang", slug="sepang-2"))


def test_within_is_the_area_and_everything_below(reference_areas: None) -> None:
    dengkil = Area.objects.get(code="10_7:dengkil")
    within = codes(Area.objects.within(dengkil))
    assert "10_7:dengkil" in within
    assert "10_7:dengkil:cyberjaya" in within
    assert "10_7:sepang:bandar-sepang" not in within
    assert "10_7" not in within
    assert len(codes(Area.objects.within(Area.objects.get(code="10")))) > 10


def test_containing_is_the_area_and_its_ancestors(reference_areas: None) -> None:
    cyberjaya = Area.objects.get(code="10_7:dengkil:cyberjaya")
    assert codes(Area.objects.containing(cyberjaya)) == {
        "MY",
        "10",
        "10_7",
        "10_7:dengkil",
        "10_7:dengkil:cyberjaya",
    }
    assert [a.code for a in cyberjaya.ancestors()] == ["10", "10_7", "10_7:dengkil"]


@pytest.mark.parametrize("value", ["10_7", "Sepang", "sepang", " SEPANG "])
def test_by_code_or_name_finds_a_district(reference_areas: None, value: str) -> None:
    assert codes(Area.objects.districts().by_code_or_name(value)) == {"10_7"}


def test_by_code_or_name_knows_english_state_names(reference_areas: None) -> None:
    assert codes(Area.objects.states().by_code_or_name("penang")) == codes(
        Area.objects.states().by_code_or_name("Pulau Pinang")
    )
    assert not Area.objects.by_code_or_name("Atlantis").exists()
