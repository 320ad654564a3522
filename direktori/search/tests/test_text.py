"""Normalisation: the same rules for what is indexed and what is typed."""

import pytest

from direktori.search import lexicon, text
from direktori.search.plan import Plan, analyse


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Kanak-kanak", ["kanak"]),
        ("kanak2 OKU", ["kanak", "oku"]),
        ("kanak kanak", ["kanak"]),
        ("Warga Émas", ["warga", "emas"]),
        ("Women’s Aid", ["womens", "aid"]),
        ("+60 3-8706 4444", ["0387064444"]),
        ("019-261 5999", ["0192615999"]),
        ("15999", ["15999"]),
    ],
)
def test_words(typed: str, expected: list[str]) -> None:
    assert text.words(typed) == expected


def test_stopwords_are_dropped_in_both_languages() -> None:
    assert text.content_words("nak cari klinik yang dekat dengan saya") == ["klinik"]
    assert text.content_words("help for the elderly") == ["help", "elderly"]


def test_malay_affixes_are_stemmed_and_overrides_win() -> None:
    assert text.malay_stem("kebajikan") == "bajik"
    assert text.malay_stem("penderaan") == "dera"
    assert text.malay_stem("dipukul") == "pukul"
    assert text.malay_stem("sungai") == "sungai"  # snowball would say "sunga"
    assert text.malay_stem("keluarga") == "keluarga"  # … and "luarga"
    assert text.malay_stem("disabled") == "disabled"  # English: no Malay prefix "di-"


def test_index_text_holds_each_word_with_its_stems() -> None:
    assert text.index_text("Pejabat Kebajikan") == "pejabat kebajikan bajik"
    assert "disabl" in text.index_text("disabled").split()


def _plan(typed: str, known: set[str] | None = None, similar: list[str] | None = None) -> Plan:
    return analyse(
        typed,
        lexicon.current(),
        known=lambda words: set(words) if known is None else known & set(words),
        similar=lambda word: similar or [],
    )


@pytest.mark.django_db
def test_abbreviations_are_written_out_before_phrases_are_found() -> None:
    plan = _plan("org tua kg labu")
    assert plan.expanded == ["orang", "tua", "kampung", "labu"]
    first = plan.groups[0]
    assert first.typed == "org tua"
    phrases = {alternative.words for alternative in first.alternatives}
    assert ("warga", "emas") in phrases and ("elderly",) in phrases


@pytest.mark.django_db
def test_a_synonym_group_from_the_admin_works_without_reindexing() -> None:
    from direktori.search.models import Synonym

    assert all(len(g.alternatives) == 1 for g in _plan("rumah kebajikan xyz").groups[-1:])
    Synonym.objects.create(phrases="xyz, pusat jagaan")
    phrases = {a.words for a in _plan("xyz").groups[0].alternatives}
    assert ("pusat", "jagaan") in phrases


@pytest.mark.django_db
def test_an_unknown_word_is_corrected_to_a_known_look_alike() -> None:
    plan = _plan("kesihatn", known={"klinik"}, similar=["kesihatan", "kesenian"])
    assert plan.corrections == {"kesihatn": "kesihatan"}
    assert plan.corrected_text == "kesihatan"


@pytest.mark.django_db
def test_known_words_and_lexicon_words_are_never_corrected() -> None:
    assert _plan("elderly", known=set(), similar=["elder"]).corrections == {}
    assert _plan("klinik", known={"klinik"}, similar=["klinix"]).corrections == {}
