import io
import re

import pytest
from django.core.management import call_command
from django.utils import translation

from direktori.directory.models import Taxonomy, TaxonomyTerm
from direktori.directory.models.taxonomy import SERVICE_CATEGORIES, TARGET_GROUPS
from direktori.directory.reference import stable_id, taxonomies_load_reference

from .factories import reference_terms

pytestmark = pytest.mark.django_db


def test_target_groups_are_the_six_kumpulan_sasar_in_order() -> None:
    taxonomies_load_reference()
    taxonomy = Taxonomy.objects.get(code=TARGET_GROUPS)
    assert (taxonomy.name_ms, taxonomy.name_en) == ("Kumpulan sasar", "Target groups")
    terms = list(TaxonomyTerm.objects.target_groups().order_by("position"))
    assert [term.code for term in terms] == [
        "children",
        "disability",
        "elderly",
        "domestic_violence",
        "family",
        "women",
    ]
    assert [term.name_ms for term in terms] == [
        "Kanak-kanak",
        "Orang kurang upaya (OKU)",
        "Warga emas",
        "Mangsa keganasan rumah tangga",
        "Keluarga",
        "Wanita",
    ]
    for term in terms:
        assert term.name_en and term.description_ms and term.description_en


def test_service_categories_cover_the_directory() -> None:
    taxonomies_load_reference()
    taxonomy = Taxonomy.objects.get(code=SERVICE_CATEGORIES)
    assert (taxonomy.name_ms, taxonomy.name_en) == ("Kategori perkhidmatan", "Service categories")
    codes = set(TaxonomyTerm.objects.categories().values_list("code", flat=True))
    assert codes >= {
        "emergency",
        "helpline",
        "health",
        "welfare",
        "police",
        "crisis_centre",
        "counselling",
        "community",
        "elderly_centre",
        "rehabilitation",
        "shelter",
        "legal_aid",
    }
    assert "PAWE" in TaxonomyTerm.objects.get(code="elderly_centre").name_ms
    assert "PDK" in TaxonomyTerm.objects.get(code="rehabilitation").name_ms


def test_reloading_creates_nothing() -> None:
    first = taxonomies_load_reference()
    again = taxonomies_load_reference()
    assert (
        first.created == again.existing == TaxonomyTerm.objects.count() + Taxonomy.objects.count()
    )
    assert again.created == 0


def test_an_administrators_edits_survive_a_reload_and_blanks_are_filled() -> None:
    taxonomies_load_reference()
    elderly = TaxonomyTerm.objects.get(code="elderly")
    elderly.name_ms = "Warga emas (60 tahun ke atas)"
    elderly.description_en = ""
    elderly.save()

    taxonomies_load_reference()

    elderly.refresh_from_db()
    assert elderly.name_ms == "Warga emas (60 tahun ke atas)"
    assert elderly.description_en == "Older people aged 60 and over."


def test_ids_are_the_same_on_every_machine() -> None:
    taxonomies_load_reference()
    assert TaxonomyTerm.objects.get(code="children").pk == stable_id(
        "taxonomy:target-groups:children"
    )
    assert Taxonomy.objects.get(code=TARGET_GROUPS).pk == stable_id("taxonomy:target-groups")


def test_the_factory_helper_returns_terms_by_code() -> None:
    terms = reference_terms()
    assert terms["children"].taxonomy.code == TARGET_GROUPS
    assert terms["shelter"].taxonomy.code == SERVICE_CATEGORIES


def test_load_reference_prints_one_line_and_is_idempotent() -> None:
    out = io.StringIO()
    with translation.override("en"):
        call_command("load_reference", stdout=out)
        call_command("load_reference", stdout=out)
    first, second = out.getvalue().strip().splitlines()
    assert re.findall(r"(\d+) created", first)[1] == "22"
    assert re.findall(r"(\d+) created", second) == ["0", "0", "0"]
    assert TaxonomyTerm.objects.count() == 20
