"""The search evaluation set (`evaluation/sepang.toml`) against the Sepang demo, and its scorer.

The demo is seeded here on purpose, although tests otherwise never depend on demo data: the set is
labelled against the demo's services, and the point is to measure the engine on them.
"""

import io
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase, override_settings
from pytest_django import DjangoDbBlocker

from direktori.search.evaluation import scoring
from direktori.search.evaluation.scoring import (
    EvalQuery,
    EvaluationSetError,
    ResolvedQuery,
    evaluate,
    load_queries,
    resolve,
)
from direktori.search.query import Hit, SearchQuery, SearchResults

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MIN_HIT_AT_5 = 0.95
MIN_MRR = 0.85


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """The demo seeded once for the module, in a transaction rolled back at its end. What would run
    after the seed commits (keeping the search index in step) runs when the seed ends."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("seed_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


# The set itself


def test_the_set_is_large_and_varied_enough() -> None:
    queries = load_queries()
    assert len(queries) >= 100
    for kind in scoring.KINDS:
        assert sum(q.kind == kind for q in queries) >= 10, kind
    malay = sum(q.lang == "ms" for q in queries)
    assert 0.4 <= malay / len(queries) <= 0.6


@pytest.mark.django_db
def test_every_label_resolves_against_the_demo(seeded: None) -> None:
    queries = load_queries()
    resolved = resolve(queries)  # raises, naming every query whose labels or filters are wrong
    assert len(resolved) == len(queries)
    assert all(r.expected for r in resolved)


@pytest.mark.django_db
def test_the_engine_finds_the_right_services(seeded: None) -> None:
    # Imported here so that the rest of the module runs while the engine is being written.
    from direktori.search.engine import search

    report = evaluate(load_queries(), search, k=5)
    message = (
        f"hit@5 {report.hit_at_k:.3f} (at least {MIN_HIT_AT_5}), "
        f"MRR {report.mrr:.3f} (at least {MIN_MRR}); not in the top 5:\n{report.failures_text()}"
    )
    assert report.hit_at_k >= MIN_HIT_AT_5, message
    assert report.mrr >= MIN_MRR, message


@pytest.mark.django_db
def test_the_plain_search_baseline_runs_through_the_scorer(seeded: None) -> None:
    report = evaluate(load_queries(), scoring.plain_search, k=5)
    assert report.by_kind()["exact"].hit_rate == 1.0
    assert 0 < report.hit_at_k < 1
    markdown = report.as_markdown()
    assert all(f"| {kind} |" in markdown for kind in scoring.KINDS)


@pytest.mark.django_db
def test_a_label_that_matches_nothing_names_its_query(seeded: None) -> None:
    query = EvalQuery(
        q="klinik kesihatan salak",
        kind="exact",
        lang="ms",
        expect=("Klinik Kesihatan (KK) Salak / Klinik Kesihatan Salak",),
    )
    with pytest.raises(EvaluationSetError, match=r'"klinik kesihatan salak" \[exact\].*matches no'):
        resolve([query])


@pytest.mark.django_db
def test_an_answer_the_query_own_filters_exclude_is_refused(seeded: None) -> None:
    query = EvalQuery(
        q="klinik",
        kind="filter",
        lang="ms",
        expect=("Klinik Kesihatan (KK) Dengkil / Klinik Kesihatan (KK) Dengkil",),
        area="10_7:sepang",
    )
    with pytest.raises(EvaluationSetError, match="filters exclude"):
        resolve([query])


@pytest.mark.django_db
def test_a_near_answer_beyond_the_radius_is_refused(seeded: None) -> None:
    query = EvalQuery(
        q="klinik",
        kind="near",
        lang="ms",
        expect=("Klinik Kesihatan (KK) Sepang / Klinik Kesihatan (KK) Sepang",),
        near=(2.8647, 101.6801),  # Dengkil, some 20 km from Sepang town
        radius_km=10,
    )
    with pytest.raises(EvaluationSetError, match="filters exclude"):
        resolve([query])


# Loading


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "set.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_load_reads_every_field(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[[query]]
q = "klinik"
kind = "near"
lang = "ms"
expect = ["A / B", "C / D"]
target_group = "elderly"
category = "health"
area = "10_7"
near = [2.8, 101.7]
radius_km = 5
note = "why"
""",
    )
    assert load_queries(path) == [
        EvalQuery(
            q="klinik",
            kind="near",
            lang="ms",
            expect=("A / B", "C / D"),
            target_group="elderly",
            category="health",
            area="10_7",
            near=(2.8, 101.7),
            radius_km=5.0,
            note="why",
        )
    ]


@pytest.mark.parametrize(
    ("row", "error"),
    [
        ('q = "x"\nkind = "fuzzy"\nlang = "ms"\nexpect = ["A / B"]', "kind must be"),
        ('q = "x"\nkind = "exact"\nlang = "fr"\nexpect = ["A / B"]', "lang must be"),
        ('q = "x"\nkind = "exact"\nlang = "ms"\nexpect = []', "at least one"),
        ('q = "x"\nkind = "exact"\nlang = "ms"\nexpect = ["A - B"]', "is not"),
        ('q = "x"\nkind = "exact"\nlang = "ms"\nexpect = ["A / B"]\nwhere = "y"', "unknown keys"),
        ('q = "x"\nkind = "near"\nlang = "ms"\nexpect = ["A / B"]\nradius_km = 3', "needs near"),
        ('q = ""\nkind = "near"\nlang = "none"\nexpect = ["A / B"]', "asks for nothing"),
        ('q = "x"\nkind = "filter"\nlang = "none"\nexpect = ["A / B"]\narea = "10_7"', '"none"'),
    ],
)
def test_load_refuses_a_malformed_query(tmp_path: Path, row: str, error: str) -> None:
    with pytest.raises(EvaluationSetError, match=error):
        load_queries(write(tmp_path, f"[[query]]\n{row}\n"))


def test_load_refuses_a_repeated_query(tmp_path: Path) -> None:
    row = '[[query]]\nq = "KK Salak"\nkind = "exact"\nlang = "ms"\nexpect = ["A / B"]\n'
    with pytest.raises(EvaluationSetError, match="repeats query 1"):
        load_queries(write(tmp_path, row + row.replace("KK Salak", "kk salak")))


# Scoring, with fake search functions


def make_queries(count: int) -> list[ResolvedQuery]:
    return [
        ResolvedQuery(
            query=EvalQuery(q=f"query {n}", kind=kind, lang="ms", expect=("A / B",)),
            search=SearchQuery(text=f"query {n}"),
            expected=frozenset({uuid.uuid4()}),
        )
        for n, kind in zip(range(count), ["exact", "typo"] * count, strict=False)
    ]


def ranked(queries: list[ResolvedQuery], position: int) -> dict[str, list[uuid.UUID]]:
    """For each query, 20 results with its expected service at `position` (1-based; 0: absent)."""
    results = {}
    for resolved in queries:
        ids = [uuid.uuid4() for _ in range(scoring.DEPTH)]
        if position:
            ids[position - 1] = next(iter(resolved.expected))
        results[resolved.search.text] = ids
    return results


def search_fn(results: dict[str, list[uuid.UUID]]) -> scoring.SearchFn:
    def search(query: SearchQuery, offset: int = 0, limit: int = 20) -> SearchResults:
        ids = results[query.text][offset : offset + limit]
        return SearchResults(
            count=len(ids), hits=[Hit(service_id=i, score=1.0 / (n + 1)) for n, i in enumerate(ids)]
        )

    return search


def test_a_perfect_search_scores_one() -> None:
    queries = make_queries(4)
    report = evaluate(queries, search_fn(ranked(queries, 1)), labels={})
    assert (report.hit_at_k, report.mrr) == (1.0, 1.0)
    assert report.failures == []


def test_a_reversed_search_scores_lower() -> None:
    queries = make_queries(4)
    perfect = ranked(queries, 1)
    reversed_results = {text: ids[::-1] for text, ids in perfect.items()}
    report = evaluate(queries, search_fn(reversed_results), labels={})
    assert report.hit_at_k == 0.0
    assert report.mrr == pytest.approx(1 / scoring.DEPTH)


def test_a_miss_scores_zero() -> None:
    queries = make_queries(4)
    report = evaluate(queries, search_fn(ranked(queries, 0)), labels={})
    assert (report.hit_at_k, report.mrr) == (0.0, 0.0)
    assert len(report.failures) == 4


def test_hit_at_k_counts_up_to_k_and_mrr_up_to_the_depth() -> None:
    queries = make_queries(4)
    results = {}
    for resolved, position in zip(queries, (1, 5, 6, 0), strict=True):
        ids = [uuid.uuid4() for _ in range(scoring.DEPTH)]
        if position:
            ids[position - 1] = next(iter(resolved.expected))
        results[resolved.search.text] = ids
    report = evaluate(queries, search_fn(results), k=5, labels={})
    assert report.hit_at_k == 0.5
    assert report.mrr == pytest.approx((1 + 1 / 5 + 1 / 6 + 0) / 4)
    assert [o.rank for o in report.failures] == [6, None]


def test_results_beyond_the_depth_do_not_count() -> None:
    queries = make_queries(1)
    expected = next(iter(queries[0].expected))
    ids = [uuid.uuid4() for _ in range(scoring.DEPTH)] + [expected]

    def greedy(query: SearchQuery, offset: int = 0, limit: int = 20) -> SearchResults:
        return SearchResults(count=len(ids), hits=[Hit(service_id=i, score=0) for i in ids])

    report = evaluate(queries, greedy, labels={})
    assert report.mrr == 0.0


def test_scores_per_kind_and_the_markdown_report() -> None:
    queries = make_queries(4)  # exact, typo, exact, typo
    results = ranked(queries, 1)
    results[queries[1].search.text] = ranked([queries[1]], 0)[queries[1].search.text]
    returned = results[queries[1].search.text][0]
    report = evaluate(queries, search_fn(results), labels={returned: "Org / Service"})
    kinds = report.by_kind()
    assert (kinds["exact"].hit_rate, kinds["typo"].hit_rate) == (1.0, 0.5)
    assert kinds["typo"].mrr == 0.5
    markdown = report.as_markdown()
    assert "| exact | 2 | 1.000 | 1.000 |" in markdown
    assert "| typo | 2 | 0.500 | 0.500 |" in markdown
    assert "| **all** | 4 | 0.750 | 0.750 |" in markdown
    assert '"query 1" [typo] [ms]: expected not found' in markdown
    assert "1. Org / Service" in markdown
