"""The search evaluation set and its scorer: hit@k and mean reciprocal rank (MRR).

`sepang.toml` holds queries typed the way volunteers and officers type them, each labelled with the
services a district officer would accept as the answer ("<organisation name> / <service name>", the
Malay names as stored). `resolve()` turns the labels into service ids against the current database
and refuses a label that matches nothing, or an answer the query's own filters exclude, so the set
cannot rot silently when the demo changes. `evaluate()` runs every query through a search function
with the engine's signature (`engine.search(query, offset=0, limit=20) -> SearchResults`).

hit@k: the share of queries with at least one expected service in the first k results.
MRR: the mean of 1/rank of the first expected service, 0 when none is in the first `DEPTH`.
"""

from __future__ import annotations

import math
import tomllib
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from direktori.areas.models import Area
from direktori.directory.models import Location, Service, TaxonomyTerm
from direktori.directory.models.taxonomy import TARGET_GROUPS
from direktori.search.engine import haversine_km
from direktori.search.query import DEFAULT_RADIUS_KM, Hit, SearchQuery, SearchResults

DEFAULT_PATH = Path(__file__).with_name("sepang.toml")
DEPTH = 20  # the results asked for; an expected service further down counts as not found
KINDS = (
    "exact", "typo", "abbreviation", "synonym", "reduplication",
    "english", "place", "filter", "near", "mixed",
)  # fmt: skip
# "mixed": Malay and English in one query, as people type; "none": no words, only filters
LANGUAGES = ("ms", "en", "mixed", "none")
LABEL_SEPARATOR = " / "

SearchFn = Callable[..., SearchResults]  # called as search_fn(query, offset=0, limit=DEPTH)


class EvaluationSetError(ValueError):
    """The evaluation set is malformed or no longer matches the directory."""


@dataclass(frozen=True)
class EvalQuery:
    q: str
    kind: str
    lang: str
    expect: tuple[str, ...]  # "<organisation name> / <service name>"; any of them is a hit
    target_group: str = ""  # a target group's code: children, elderly, …
    category: str = ""  # a service category's code: health, shelter, …
    area: str = ""  # a DOSM area code: 10_7, 10_7:dengkil, …
    near: tuple[float, float] | None = None
    radius_km: float | None = None
    note: str = ""  # why these answers, where it is not obvious

    @property
    def name(self) -> str:
        """How messages name the query: its text and whatever else it asks for."""
        extras = [
            f"{key}={value}"
            for key, value in (
                ("target_group", self.target_group),
                ("category", self.category),
                ("area", self.area),
                ("near", self.near),
                ("radius_km", self.radius_km),
            )
            if value
        ]
        return f'"{self.q}" [{self.kind}]' + (f" ({', '.join(extras)})" if extras else "")


@dataclass(frozen=True)
class ResolvedQuery:
    query: EvalQuery
    search: SearchQuery
    expected: frozenset[uuid.UUID]


_FIELDS = {
    "q",
    "kind",
    "lang",
    "expect",
    "target_group",
    "category",
    "area",
    "near",
    "radius_km",
    "note",
}


def load_queries(path: Path | str | None = None) -> list[EvalQuery]:
    path = Path(path) if path else DEFAULT_PATH
    with path.open("rb") as handle:
        document = tomllib.load(handle)
    rows = document.get("query")
    if not isinstance(rows, list) or not rows:
        raise EvaluationSetError(f"{path}: no [[query]] tables.")
    queries = [_query_from_row(row, number=number) for number, row in enumerate(rows, start=1)]
    seen: dict[tuple[Any, ...], int] = {}
    for number, query in enumerate(queries, start=1):
        key = (query.q.casefold(), query.target_group, query.category, query.area, query.near)
        if key in seen:
            raise EvaluationSetError(
                f"Query {number} {query.name} repeats query {seen[key]}: ask it once."
            )
        seen[key] = number
    return queries


def _query_from_row(row: dict[str, Any], *, number: int) -> EvalQuery:
    where = f"Query {number} ({row.get('q', '')!r})"
    unknown = set(row) - _FIELDS
    if unknown:
        raise EvaluationSetError(f"{where}: unknown keys {sorted(unknown)}.")
    if row.get("kind") not in KINDS:
        raise EvaluationSetError(f"{where}: kind must be one of {', '.join(KINDS)}.")
    if row.get("lang") not in LANGUAGES:
        raise EvaluationSetError(f"{where}: lang must be one of {', '.join(LANGUAGES)}.")
    expect = row.get("expect")
    if not isinstance(expect, list) or not expect:
        raise EvaluationSetError(f"{where}: expect must list at least one service.")
    for label in expect:
        if not isinstance(label, str) or LABEL_SEPARATOR not in label:
            raise EvaluationSetError(
                f'{where}: {label!r} is not "<organisation name>{LABEL_SEPARATOR}<service name>".'
            )
    if len(set(expect)) != len(expect):
        raise EvaluationSetError(f"{where}: expect lists a service twice.")
    near = row.get("near")
    if near is not None:
        if not (isinstance(near, list) and len(near) == 2):
            raise EvaluationSetError(f"{where}: near must be [latitude, longitude].")
        near = (float(near[0]), float(near[1]))
    radius_km = row.get("radius_km")
    if radius_km is not None:
        if near is None:
            raise EvaluationSetError(f"{where}: radius_km needs near.")
        radius_km = float(radius_km)
    query = EvalQuery(
        q=str(row.get("q", "")),
        kind=row["kind"],
        lang=row["lang"],
        expect=tuple(expect),
        target_group=str(row.get("target_group", "")),
        category=str(row.get("category", "")),
        area=str(row.get("area", "")),
        near=near,
        radius_km=radius_km,
        note=str(row.get("note", "")),
    )
    if not (query.q.strip() or query.target_group or query.category or query.area or near):
        raise EvaluationSetError(f"{where}: an empty query asks for nothing.")
    if (query.lang == "none") != (not query.q.strip()):
        raise EvaluationSetError(f'{where}: lang is "none" exactly when there are no words.')
    return query


def to_search_query(
    q: EvalQuery, areas: Mapping[str, Area], categories: Mapping[str, uuid.UUID] | None = None
) -> SearchQuery:
    """The engine's query for an evaluation query; `areas` and `categories` are by code."""
    term_id = None
    if q.category:
        if categories is None or q.category not in categories:
            raise EvaluationSetError(f"{q.name}: no service category {q.category!r}.")
        term_id = categories[q.category]
    area = None
    if q.area:
        if q.area not in areas:
            raise EvaluationSetError(f"{q.name}: no area with the code {q.area!r}.")
        area = areas[q.area]
    return SearchQuery(
        text=q.q,
        target_group=q.target_group,
        term_id=term_id,
        area=area,
        near=q.near,
        radius_km=q.radius_km,
    )


def resolve(queries: Iterable[EvalQuery]) -> list[ResolvedQuery]:
    """Every query with its labels as active service ids. Raises EvaluationSetError listing every
    label that matches no active service, and every expected service that the query's own filters
    would exclude (a wrong label, or a directory that changed under the set)."""
    queries = list(queries)
    services = _labelled_services()
    labels = {sid: label for label, ids in services.items() for sid in ids}
    areas = {area.code: area for area in Area.objects.filter(code__in={q.area for q in queries})}
    categories = dict(TaxonomyTerm.objects.categories().values_list("code", "id"))
    target_groups = set(TaxonomyTerm.objects.target_groups().values_list("code", flat=True))
    problems: list[str] = []
    resolved: list[ResolvedQuery] = []
    for query in queries:
        expected: set[uuid.UUID] = set()
        for label in query.expect:
            ids = services.get(label)
            if not ids:
                problems.append(f'{query.name}: "{label}" matches no active service.')
            expected.update(ids or ())
        if query.target_group and query.target_group not in target_groups:
            problems.append(f"{query.name}: no target group {query.target_group!r}.")
            continue
        try:
            search = to_search_query(query, areas, categories)
        except EvaluationSetError as error:
            problems.append(str(error))
            continue
        problems += _filter_problems(query, search, expected, labels)
        resolved.append(ResolvedQuery(query=query, search=search, expected=frozenset(expected)))
    if problems:
        raise EvaluationSetError(
            f"The search evaluation set does not match the directory ({len(problems)} problems):\n"
            + "\n".join(f"- {problem}" for problem in problems)
        )
    return resolved


def _labelled_services() -> dict[str, list[uuid.UUID]]:
    services: dict[str, list[uuid.UUID]] = defaultdict(list)
    for service_id, organisation, name in Service.objects.active().values_list(
        "id", "organization__name", "name"
    ):
        services[f"{organisation}{LABEL_SEPARATOR}{name}"].append(service_id)
    return services


def _filter_problems(
    query: EvalQuery,
    search: SearchQuery,
    expected: set[uuid.UUID],
    labels: Mapping[uuid.UUID, str],
) -> list[str]:
    """The expected services that the query's filters exclude: such a label can never be found."""
    if not expected:
        return []
    allowed = Service.objects.active().filter(id__in=expected)
    if search.target_group:
        allowed = allowed.filter(
            terms__code=search.target_group, terms__taxonomy__code=TARGET_GROUPS
        )
    if search.term_id:
        allowed = allowed.filter(terms__id=search.term_id)
    if search.area:
        allowed = allowed.in_area(search.area)
    kept = set(allowed.values_list("id", flat=True))
    if search.near:
        radius = search.radius_km or DEFAULT_RADIUS_KM
        distances = service_distances(kept, search.near)
        kept = {sid for sid in kept if distances.get(sid, math.inf) <= radius}
    return [
        f'{query.name}: expects "{labels[sid]}", which the query\'s own filters exclude.'
        for sid in sorted(expected - kept, key=lambda sid: labels[sid])
    ]


def service_distances(
    service_ids: Iterable[uuid.UUID], point: tuple[float, float]
) -> dict[uuid.UUID, float]:
    """Kilometres from the point to each service's nearest public location; a service with no
    public location (a helpline, a shelter) has none."""
    distances: dict[uuid.UUID, float] = {}
    rows = (
        Location.objects.public()
        .filter(service_at_locations__service_id__in=list(service_ids))
        .values_list("service_at_locations__service_id", "latitude", "longitude")
    )
    for service_id, latitude, longitude in rows:
        if latitude is None or longitude is None:
            continue
        distance = haversine_km(point, (float(latitude), float(longitude)))
        distances[service_id] = min(distance, distances.get(service_id, math.inf))
    return distances


# Scoring


@dataclass(frozen=True)
class Outcome:
    query: EvalQuery
    expected: frozenset[uuid.UUID]
    hits: tuple[Hit, ...]  # what came back, best first, at most DEPTH
    rank: int | None  # 1-based rank of the first expected service, None when not in the hits
    count: int = 0
    did_you_mean: str = ""
    corrected: bool = False

    @property
    def reciprocal_rank(self) -> float:
        return 1 / self.rank if self.rank else 0.0

    def hit_at(self, k: int) -> bool:
        return self.rank is not None and self.rank <= k


@dataclass(frozen=True)
class Score:
    queries: int
    hits: int
    hit_rate: float
    mrr: float


@dataclass
class Report:
    k: int
    outcomes: list[Outcome]
    labels: dict[uuid.UUID, str] = field(default_factory=dict)  # to show what came back

    @property
    def hit_at_k(self) -> float:
        return self.overall.hit_rate

    @property
    def mrr(self) -> float:
        return self.overall.mrr

    @property
    def overall(self) -> Score:
        return self._score(self.outcomes)

    def by_kind(self) -> dict[str, Score]:
        return self._grouped(lambda outcome: outcome.query.kind, KINDS)

    def by_language(self) -> dict[str, Score]:
        return self._grouped(lambda outcome: outcome.query.lang, LANGUAGES)

    @property
    def failures(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if not outcome.hit_at(self.k)]

    def _grouped(self, key: Callable[[Outcome], str], order: Sequence[str]) -> dict[str, Score]:
        groups: dict[str, list[Outcome]] = defaultdict(list)
        for outcome in self.outcomes:
            groups[key(outcome)].append(outcome)
        return {name: self._score(groups[name]) for name in order if groups[name]}

    def _score(self, outcomes: Sequence[Outcome]) -> Score:
        if not outcomes:
            return Score(queries=0, hits=0, hit_rate=0.0, mrr=0.0)
        hits = sum(outcome.hit_at(self.k) for outcome in outcomes)
        return Score(
            queries=len(outcomes),
            hits=hits,
            hit_rate=hits / len(outcomes),
            mrr=sum(outcome.reciprocal_rank for outcome in outcomes) / len(outcomes),
        )

    def label(self, service_id: uuid.UUID) -> str:
        return self.labels.get(service_id, str(service_id))

    def describe(self, outcome: Outcome) -> str:
        """One failing query: what it expected, where the first expected service came, and the
        first k results."""
        found = f"first expected at rank {outcome.rank}" if outcome.rank else "expected not found"
        if outcome.rank is None and len(outcome.hits) >= DEPTH:
            found += f" in the top {DEPTH}"
        returned = "; ".join(
            f"{rank}. {self.label(hit.service_id)}"
            + (f" ({hit.distance_km:.1f} km)" if hit.distance_km is not None else "")
            for rank, hit in enumerate(outcome.hits[: self.k], start=1)
        )
        lines = [
            f"{outcome.query.name} [{outcome.query.lang}]: {found}; {outcome.count} results",
            f"  expected: {'; '.join(outcome.query.expect)}",
            f"  top {self.k}: {returned or '(nothing)'}",
        ]
        if outcome.did_you_mean:
            corrected = "results corrected" if outcome.corrected else "not applied"
            lines.append(f"  did you mean: {outcome.did_you_mean!r} ({corrected})")
        return "\n".join(lines)

    def failures_text(self) -> str:
        return "\n".join(self.describe(outcome) for outcome in self.failures)

    def as_markdown(self) -> str:
        k = self.k
        lines = [
            f"{len(self.outcomes)} queries; hit@{k}: {self.hit_at_k:.3f}; MRR: {self.mrr:.3f} "
            f"(reciprocal rank of the first expected service, 0 beyond the top {DEPTH}).",
            "",
            f"| kind | queries | hit@{k} | MRR |",
            "|---|---:|---:|---:|",
        ]
        rows = [*self.by_kind().items(), ("**all**", self.overall)]
        lines += [f"| {name} | {s.queries} | {s.hit_rate:.3f} | {s.mrr:.3f} |" for name, s in rows]
        lines += ["", f"| language | queries | hit@{k} | MRR |", "|---|---:|---:|---:|"]
        lines += [
            f"| {name} | {s.queries} | {s.hit_rate:.3f} | {s.mrr:.3f} |"
            for name, s in self.by_language().items()
        ]
        failures = self.failures
        lines += ["", f"Not in the top {k}: {len(failures)} queries."]
        if failures:
            lines += ["", "```", *(self.describe(outcome) for outcome in failures), "```"]
        return "\n".join(lines) + "\n"


def evaluate(
    queries: Sequence[EvalQuery | ResolvedQuery],
    search_fn: SearchFn,
    k: int = 5,
    labels: Mapping[uuid.UUID, str] | None = None,
) -> Report:
    """Run every query through `search_fn` and score it. Evaluation queries not yet resolved are
    resolved against the database; without `labels`, the services that came back for a failing
    query are named from the database too."""
    if not 1 <= k <= DEPTH:
        raise ValueError(f"k must be between 1 and {DEPTH}.")
    unresolved = [query for query in queries if isinstance(query, EvalQuery)]
    resolved_by_query = {id(r.query): r for r in resolve(unresolved)} if unresolved else {}
    outcomes = []
    for item in queries:
        resolved = resolved_by_query[id(item)] if isinstance(item, EvalQuery) else item
        results = search_fn(resolved.search, offset=0, limit=DEPTH)
        hits = tuple(results.hits[:DEPTH])
        rank = next(
            (n for n, hit in enumerate(hits, start=1) if hit.service_id in resolved.expected),
            None,
        )
        outcomes.append(
            Outcome(
                query=resolved.query,
                expected=resolved.expected,
                hits=hits,
                rank=rank,
                count=results.count,
                did_you_mean=results.did_you_mean,
                corrected=results.corrected,
            )
        )
    report = Report(k=k, outcomes=outcomes)
    if labels is None:
        shown = {hit.service_id for o in report.failures for hit in o.hits[:k]}
        labels = service_labels(shown)
    report.labels = dict(labels)
    return report


def service_labels(service_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    return {
        service_id: f"{organisation}{LABEL_SEPARATOR}{name}"
        for service_id, organisation, name in Service.objects.filter(
            id__in=list(service_ids)
        ).values_list("id", "organization__name", "name")
    }


def plain_search(query: SearchQuery, offset: int = 0, limit: int = DEPTH) -> SearchResults:
    """The baseline: the plain word match the pages used before the search engine
    (`Service.objects.active().matching()`, in name order), with the same filters, and nearest
    first when the query is near a point."""
    services = Service.objects.active()
    if query.text.strip():
        services = services.matching(query.text)
    if query.target_group:
        services = services.filter(
            terms__code=query.target_group, terms__taxonomy__code=TARGET_GROUPS
        )
    if query.term_id:
        services = services.filter(terms__id=query.term_id)
    if query.area:
        ids = list(
            services.in_area(query.area).local_first(query.area).values_list("id", flat=True)
        )
    else:
        ids = list(services.order_by("name", "id").values_list("id", flat=True))
    ids = list(dict.fromkeys(ids))
    distances: dict[uuid.UUID, float] = {}
    if query.near:
        radius = query.radius_km or DEFAULT_RADIUS_KM
        distances = service_distances(ids, query.near)
        ids = sorted(
            (sid for sid in ids if distances.get(sid, math.inf) <= radius),
            key=lambda sid: distances[sid],
        )
    page = ids[offset : offset + limit]
    return SearchResults(
        count=len(ids),
        hits=[
            Hit(service_id=sid, score=float(len(ids) - n), distance_km=distances.get(sid))
            for n, sid in enumerate(page, start=offset)
        ],
    )
