"""What keeps search fast at national scale (ADR 0009): filters as words of the index, fewer
alternatives for the index to merge, and each process's memory of recent matches."""

import itertools
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from direktori.directory.models import Service
from direktori.search import lexicon, tokens
from direktori.search.backends import backend
from direktori.search.backends.base import fewest
from direktori.search.engine import _known_words, search
from direktori.search.models import (
    SearchDocument,
    SearchFacet,
    SearchGeneration,
    SearchPlace,
)
from direktori.search.plan import Term, analyse
from direktori.search.query import SearchQuery
from direktori.search.ranking import _Way


def _holds(terms: tuple[Term, ...], words: set[str]) -> bool:
    return all(
        not set(term.forms).isdisjoint(words)
        or (term.prefix and any(w.startswith(term.forms[0]) for w in words))
        for term in terms
    )


@pytest.mark.parametrize(
    "typed", ["oku", "warga emas", "help for battered wife", "kaunseling keluarga", "org tua"]
)
def test_fewer_alternatives_find_exactly_the_same_documents(db: None, typed: str) -> None:
    plan = analyse(typed, lexicon.current(), known=_known_words, similar=lambda word: [])
    rng = random.Random(typed)
    for group in plan.groups:
        ways = [_Way.of(a) for a in group.alternatives]
        vocabulary = sorted({f for a in group.alternatives for t in a.terms for f in t.forms})
        vocabulary += ["other", "words", f"{group.alternatives[0].terms[-1].forms[0]}nya"]
        simplified = fewest(group.alternatives)
        assert len(simplified) <= len(group.alternatives)
        for _ in range(400):
            words = set(rng.sample(vocabulary, rng.randint(1, min(6, len(vocabulary)))))
            assert any(way.held_by(words) for way in ways) == any(
                _holds(terms, words) for terms in simplified
            ), (typed, words)


def test_the_cells_of_a_circle_hold_every_point_of_its_bounding_box() -> None:
    rng = random.Random(7)
    for centre, km in [((2.83, 101.74), 5), ((3.07, 101.52), 25), ((5.4, 100.3), 200)]:
        cells = set(tokens.cells(centre, km))
        south, north, west, east = tokens.bounding_box(centre, km)
        for _ in range(500):
            point = (rng.uniform(south, north), rng.uniform(west, east))
            assert set(tokens.place(*point)) & cells, (centre, km, point)
    assert len(tokens.cells((3.07, 101.52), 25)) <= tokens.MAX_CELLS
    assert tokens.cells((3.07, 101.52), 400)[0].startswith("h")  # coarse past MAX_CELLS


def test_facet_tokens_are_single_distinct_words() -> None:
    codes = ["10", "10_7", "10_7:dengkil", "10_7:dengkil:cyberjaya", "MY"]
    words = [tokens.area(code) for code in codes] + [tokens.place(2.8327, 101.7430)[0]]
    assert all(word.isalnum() and word.islower() for word in words)
    assert len(set(words)) == len(words)


def test_each_document_carries_its_filters_as_words(sepang: None) -> None:
    """The words of `facets` say what SearchFacet and SearchPlace say, and `inactive`."""
    for document in SearchDocument.objects.all():
        keys = SearchFacet.objects.filter(service=document.service_id).values_list("key", flat=True)
        places = SearchPlace.objects.filter(service=document.service_id)
        expected = {tokens.facet(key) for key in keys}
        expected |= {cell for p in places for cell in tokens.place(p.latitude, p.longitude)}
        if not document.active:
            expected.add(tokens.INACTIVE)
        assert set(document.facets.split()) == expected, document.title


def _full_text_statements(captured: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"] for q in captured.captured_queries if "search_fts" in q["sql"] or "tsv" in q["sql"]
    ]


def test_a_remembered_search_is_answered_again_until_the_index_changes(sepang: None) -> None:
    query = SearchQuery(text="zamrudhijau", exact=True)  # as typed: no correction
    assert search(query).count == 0
    with CaptureQueriesContext(connection) as captured:
        again = search(query)
    assert again.count == 0 and not _full_text_statements(captured)

    before = SearchGeneration.current()
    service = Service.objects.active().get(name="Hospital Serdang")
    service.alternate_name = "Zamrudhijau"
    service.save()
    from direktori.search.indexing import reindex

    reindex([service.pk])
    assert SearchGeneration.current() != before
    with CaptureQueriesContext(connection) as captured:
        results = search(query)
    assert _full_text_statements(captured)
    assert [h.service_id for h in results.hits] == [service.pk]


def test_a_remembered_reading_of_the_words_follows_a_new_synonym_group(sepang: None) -> None:
    from direktori.search.models import Synonym

    before = search(SearchQuery(text="xyzzy", exact=True)).count
    Synonym.objects.create(phrases="xyzzy, klinik")
    assert before == 0 < search(SearchQuery(text="xyzzy", exact=True)).count


def test_open_now_is_never_answered_from_memory(sepang: None) -> None:
    query = SearchQuery(text="klinik", open_now=True)
    search(query)
    with CaptureQueriesContext(connection) as captured:
        search(query)
    assert _full_text_statements(captured)


def test_filters_as_words_give_what_the_filter_tables_give(sepang: None) -> None:
    """One full-text query with the facet words finds exactly the matches (`matching_sql`) that
    are active and have every SearchFacet row, and counts them."""
    from direktori.directory.models import TaxonomyTerm
    from direktori.search.backends.base import Filters
    from direktori.search.documents import area_facet, term_facet

    elderly = TaxonomyTerm.objects.target_groups().get(code="elderly").pk
    engine = backend()
    for text, keys in itertools.product(
        ["klinik", "bantuan", "warga emas", "kanak2 oku"],
        [(), (area_facet("10_7"),), (area_facet("10_7"), term_facet(elderly)), (area_facet("10"),)],
    ):
        plan = analyse(text, lexicon.current(), known=_known_words, similar=lambda word: [])
        sql, params = engine.matching_sql(plan.groups)
        expected = set(
            SearchDocument.objects.filter(active=True)
            .extra(where=[f"service_id IN ({sql})"], params=params)  # noqa: S610
            .values_list("service_id", flat=True)
        )
        for key in keys:
            expected &= set(
                SearchFacet.objects.filter(key=key).values_list("service_id", flat=True)
            )
        ids, count = engine.match(plan.groups, every=True, filters=Filters(facets=keys), limit=1000)
        assert (set(ids), count) == (expected, len(expected)), (text, keys)


def test_a_list_without_words_is_the_filter_based_in_the_area_first_then_by_name(
    sepang: None,
) -> None:
    """The filter runs first (facet words), then the order; the count comes with the page and
    stays right past the last page."""
    from direktori.areas.models import Area

    selangor = Area.objects.get(code="10")
    keys = ("a:10",)
    expected = list(
        SearchDocument.objects.filter(
            active=True,
            service_id__in=SearchFacet.objects.filter(key__in=keys).values("service_id"),
        )
        .order_by("title", "service_id")
        .values_list("service_id", "base_path")
    )
    local = [pk for pk, path in expected if path.startswith(selangor.path)]
    expected_ids = local + [pk for pk, path in expected if not path.startswith(selangor.path)]
    query = SearchQuery(area=selangor)
    first = search(query, limit=5)
    rest = search(query, offset=5, limit=len(expected_ids))
    assert first.count == rest.count == len(expected_ids) > 5
    assert [h.service_id for h in first.hits + rest.hits] == expected_ids
    assert search(query, offset=len(expected_ids) + 10, limit=5).count == len(expected_ids)


def test_a_closed_service_is_never_shown_even_when_the_index_missed_it(sepang: None) -> None:
    """A bulk update bypasses the signals: the index still has the service, the list does not."""
    from direktori.directory.models import Organization
    from direktori.search.engine import services_for

    hits = search(SearchQuery(text="hospital serdang")).hits
    serdang = Service.objects.get(pk=hits[0].service_id)
    assert serdang.name == "Hospital Serdang"
    Service.objects.filter(pk=serdang.pk).update(status="inactive")
    assert serdang.pk in {h.service_id for h in search(SearchQuery(text="hospital serdang")).hits}
    assert serdang.pk not in {s.pk for s in services_for(hits)}
    Service.objects.filter(pk=serdang.pk).update(status="active")
    Organization.objects.filter(pk=serdang.organization_id).update(status="inactive")
    assert serdang.pk not in {s.pk for s in services_for(hits)}


def test_past_the_limit_names_holding_the_words_as_written_come_first(sepang: None) -> None:
    """Too many matches to weigh each: the tiers keep the service named as corrected ("talian
    kaseh" → Talian Kasih) ahead of the helplines that only a synonym finds."""
    from direktori.search.backends.base import Filters

    plan = analyse(
        "talian kaseh", lexicon.current(), known=_known_words, similar=backend().similar_words
    )
    assert plan.corrections == {"kaseh": "kasih"}
    ids, count = backend().match(plan.groups, every=True, filters=Filters(), limit=1)
    assert count > 1
    assert [Service.objects.get(pk=pk).name for pk in ids] == ["Talian Kasih"]


def test_an_organisations_kind_is_indexed_in_both_languages() -> None:
    """Not the active language's label twice (as `get_kind_display()` gave)."""
    from direktori.directory.models import Organization
    from direktori.search.documents import _both_languages, _kind_display

    malay, english = _both_languages(_kind_display(Organization.Kind.CBO))
    assert english == "Community Based Organisation (CBO)"
    assert malay != english
