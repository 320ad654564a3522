"""bench/search.py's measurements inside Django, in a child process per database.

Run by bench/search.py with the environment of the database under test (`DATABASE_URL`):

- `--engine`: our engine (`engine.search`) over the evaluation set (hit@5, MRR) and over the query
  mix (latency, after a warm-up round); with `--explain N`, where the time of the N slowest mix
  queries goes: each SQL statement with its time, and the plan of the slowest;
- `--plain FILE` (`--build` first): the plain FTS5 index, the same two measurements;
- `--datasette URL`: the evaluation set through Datasette's canned queries over that index.

Writes one JSON object to `--out`.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import time
import urllib.parse
import urllib.request
import uuid
from collections import defaultdict
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import search_plain  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from search_mix import MIX, MixQuery  # noqa: E402

from direktori.areas.models import Area  # noqa: E402
from direktori.directory.models import Service, TaxonomyTerm  # noqa: E402
from direktori.directory.synthetic import synthetic_source  # noqa: E402
from direktori.search import cache as match_cache  # noqa: E402
from direktori.search import engine  # noqa: E402
from direktori.search.evaluation import scoring  # noqa: E402
from direktori.search.evaluation.scoring import (  # noqa: E402
    LABEL_SEPARATOR,
    Report,
    ResolvedQuery,
    evaluate,
    load_queries,
    resolve,
    service_labels,
)
from direktori.search.query import Hit, SearchQuery, SearchResults  # noqa: E402

SearchFn = Callable[..., SearchResults]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", action="store_true")
    parser.add_argument("--plain", type=Path)
    parser.add_argument("--build", action="store_true", help="build the plain index first")
    parser.add_argument("--datasette", help="base URL of Datasette serving the plain index")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds of the mix")
    parser.add_argument("--explain", type=int, default=0, help="analyse the N slowest queries")
    parser.add_argument("--seed", type=int, required=True, help="generate_synthetic's seed")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    # The set's labels name the Sepang demo's services. The synthetic directory has organisations
    # of the same names in Sepang ("Pusat Aktiviti Warga Emas (PAWE) Dengkil (Demo)"), which a
    # label would match as well: labels are read against the demo's services only.
    scoring._labelled_services = partial(_demo_services, args.seed)
    evaluation = resolve(load_queries())
    out: dict[str, Any] = {"evaluation_queries": len(evaluation), "statistics": _statistics()}
    if args.engine:
        search_fn: SearchFn = engine.search
        out["engine"] = {
            "evaluation": _scores(evaluate(evaluation, search_fn)),
            "latency_ms": _latencies(search_fn, args.rounds),
            # Each query as if for the first time since the index changed (cache.py).
            "cold_latency_ms": _latencies(search_fn, args.rounds, before=match_cache.clear),
        }
        out["api"] = {"latency_ms": _api_latencies(args.rounds)}
        if args.explain:
            out["engine"]["slowest"] = _explain(out["engine"]["cold_latency_ms"], args.explain)
            out["api"]["slowest"] = _explain_api(
                out["api"]["latency_ms"], out["engine"]["latency_ms"]
            )
    if args.plain:
        if args.build:
            started = time.perf_counter()
            out["plain_services"] = search_plain.build(args.plain)
            out["plain_build_seconds"] = time.perf_counter() - started
        index = search_plain.PlainIndex(args.plain)
        plain_fn = _plain_search(lambda name, params: index.run(name, params))
        out["plain"] = {
            "evaluation": _scores(evaluate(evaluation, plain_fn)),
            "latency_ms": _latencies(plain_fn, args.rounds),
        }
        slowest = _by_median(out["plain"]["latency_ms"])[-1]
        query = _mix_queries()[slowest]
        out["plain"]["slowest_plan"] = [slowest, index.explain(*_statement(query))]
    if args.datasette:
        out["datasette"] = {"evaluation": _scores(_evaluate_datasette(evaluation, args.datasette))}
    out["load_average"] = os.getloadavg()[0]
    args.out.write_text(json.dumps(out, indent=1), encoding="utf-8")
    return 0


def _statistics() -> str:
    """Whether the query planner has statistics of the tables (ANALYZE)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NULL AND "
                "last_autoanalyze IS NULL AND (relname LIKE 'directory_%%' OR relname LIKE "
                "'search_%%') ORDER BY relname"
            )
            never = [row[0] for row in cursor.fetchall()]
            cursor.execute("SHOW autovacuum")
            return f"autovacuum {cursor.fetchone()[0]}; tables never analysed: " + (
                ", ".join(never) if never else "none"
            )
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        return "sqlite_stat1 " + ("present (ANALYZE run)" if cursor.fetchone()[0] else "absent")


def _demo_services(seed: int) -> dict[str, list[uuid.UUID]]:
    """scoring._labelled_services without the synthetic directory of the seed."""
    services: dict[str, list[uuid.UUID]] = defaultdict(list)
    rows = (
        Service.objects.active()
        .exclude(organization__source=synthetic_source(seed))
        .values_list("id", "organization__name", "name")
    )
    for service_id, organisation, name in rows:
        services[f"{organisation}{LABEL_SEPARATOR}{name}"].append(service_id)
    return services


def _scores(report: Report) -> dict[str, Any]:
    def score(s: Any) -> list[float]:
        return [s.queries, s.hits, round(s.hit_rate, 4), round(s.mrr, 4)]

    # A same-named service anywhere (another village's "Bantuan bakul makanan") as a hit too:
    # the set labels the Sepang demo only, while a query without a place is as well answered
    # by the synthetic directory's services of the same name elsewhere.
    shown = {hit.service_id for o in report.outcomes for hit in o.hits[: report.k]}
    names = {
        sid: label.split(LABEL_SEPARATOR, 1)[1] for sid, label in service_labels(shown).items()
    }
    same_name = sum(
        any(
            names.get(hit.service_id) in {e.split(LABEL_SEPARATOR, 1)[1] for e in o.query.expect}
            or hit.service_id in o.expected
            for hit in o.hits[: report.k]
        )
        for o in report.outcomes
    )

    return {
        "k": report.k,
        "hit_at_k": round(report.hit_at_k, 4),
        "mrr": round(report.mrr, 4),
        "by_kind": {kind: score(s) for kind, s in report.by_kind().items()},
        "by_language": {lang: score(s) for lang, s in report.by_language().items()},
        "failures": len(report.failures),
        "hit_at_k_same_name": round(same_name / len(report.outcomes), 4),
    }


def _mix_queries() -> dict[str, SearchQuery]:
    areas = {area.code: area for area in Area.objects.filter(code__in={m.area for m in MIX})}
    return {m.label: _search_query(m, areas) for m in MIX}


def _search_query(m: MixQuery, areas: dict[str, Area]) -> SearchQuery:
    return SearchQuery(
        text=m.q,
        target_group=m.target_group,
        area=areas[m.area] if m.area else None,
        near=m.near,
        radius_km=m.radius_km,
    )


def _latencies(
    search_fn: SearchFn, rounds: int, before: Callable[[], None] | None = None
) -> dict[str, list[float]]:
    """Milliseconds per mix query: one untimed round, then `rounds` timed ones; `before` runs
    (untimed) before each query."""
    queries = _mix_queries()
    for query in queries.values():
        search_fn(query, offset=0, limit=20)
    times: dict[str, list[float]] = {label: [] for label in queries}
    for _ in range(rounds):
        for label, query in queries.items():
            if before:
                before()
            started = time.perf_counter()
            search_fn(query, offset=0, limit=20)
            times[label].append(round((time.perf_counter() - started) * 1000, 3))
    return times


def _api_latencies(rounds: int) -> dict[str, list[float]]:
    """The whole API view per mix query (Django's test client, no server, no network): the
    engine, then the services' details and the JSON."""
    client = Client()
    for m in MIX:
        _api_get(client, m.api_path())
    times: dict[str, list[float]] = {m.label: [] for m in MIX}
    for _ in range(rounds):
        for m in MIX:
            started = time.perf_counter()
            _api_get(client, m.api_path())
            times[m.label].append(round((time.perf_counter() - started) * 1000, 3))
    return times


def _api_get(client: Client, path: str) -> None:
    response = client.get(path, SERVER_NAME="127.0.0.1")
    if response.status_code != 200:
        raise SystemExit(f"{path}: HTTP {response.status_code} {response.content[:300]!r}")


def _explain_api(
    api: dict[str, list[float]], engine_ms: dict[str, list[float]]
) -> list[dict[str, Any]]:
    """Through the API view: the slowest query, and the one whose view adds the most to the
    engine's time; each with its statements and the plan of the slowest statement."""
    slowest = _by_median(api)[-1]
    gap = max(
        api, key=lambda label: statistics.median(api[label]) - statistics.median(engine_ms[label])
    )
    found = []
    for label in dict.fromkeys([slowest, gap]):
        path = next(m.api_path() for m in MIX if m.label == label)
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            _api_get(Client(), path)
            total = (time.perf_counter() - started) * 1000
        statements = [(float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries]
        slowest_sql = max(statements, default=(0.0, ""))[1]
        found.append(
            {
                "query": label,
                "why": "slowest" if label == slowest else "adds the most to the engine's time",
                "total_ms": round(total, 1),
                "engine_ms": round(statistics.median(engine_ms[label]), 1),
                "sql_ms": round(sum(ms for ms, _ in statements), 1),
                "statements": [[round(ms, 1), sql[:400]] for ms, sql in statements],
                "slowest_sql": slowest_sql,
                "plan": _plan(slowest_sql) if slowest_sql else [],
            }
        )
    return found


def _by_median(latencies: dict[str, list[float]]) -> list[str]:
    return sorted(latencies, key=lambda label: statistics.median(latencies[label]))


def _explain(latencies: dict[str, list[float]], count: int) -> list[dict[str, Any]]:
    """For the slowest queries by median: each SQL statement's time, the plan of the slowest, and
    the Python functions where the most time is spent (cProfile, own time); each with the match
    cache empty, as when they were slowest."""
    queries = _mix_queries()
    found = []
    for label in reversed(_by_median(latencies)[-count:]):
        match_cache.clear()
        profiler = cProfile.Profile()
        profiler.runcall(engine.search, queries[label], offset=0, limit=20)
        match_cache.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            engine.search(queries[label], offset=0, limit=20)
            total = (time.perf_counter() - started) * 1000
        statements = [(float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries]
        slowest_sql = max(statements, default=(0.0, ""))[1]
        found.append(
            {
                "query": label,
                "total_ms": round(total, 1),
                "sql_ms": round(sum(ms for ms, _ in statements), 1),
                "statements": [[round(ms, 1), sql[:400]] for ms, sql in statements],
                "slowest_sql": slowest_sql,
                "plan": _plan(slowest_sql) if slowest_sql else [],
                "profile": _top_functions(profiler),
            }
        )
    return found


def _top_functions(profiler: cProfile.Profile, count: int = 12) -> list[str]:
    stats = pstats.Stats(profiler)
    rows = []
    for (path, line, function), (_, calls, own, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        where = path.split("/site-packages/")[-1].replace(str(ROOT) + "/", "")
        rows.append(
            (
                own,
                f"{own * 1000:7.1f} ms own {cumulative * 1000:7.1f} ms cum {calls:>7} "
                f"calls  {where}:{line}({function})",
            )
        )
    return [text for _, text in sorted(rows, reverse=True)[:count]]


def _plan(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            return [row[0] for row in cursor.fetchall()]
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return [f"{row[0]} {row[1]} {row[3]}" for row in cursor.fetchall()]


_CATEGORIES: dict[uuid.UUID, str] = {}


def _statement(query: SearchQuery) -> tuple[str, dict[str, str]]:
    if query.term_id and not _CATEGORIES:
        _CATEGORIES.update(TaxonomyTerm.objects.categories().values_list("id", "code"))
    return search_plain.statement(
        text=query.text,
        area=query.area.code if query.area else "",
        target_group=query.target_group,
        category=_CATEGORIES.get(query.term_id, "") if query.term_id else "",
        near=query.near,
        radius_km=query.radius_km,
    )


def _plain_search(run: Callable[[str, dict[str, str]], list[tuple[str, Any]]]) -> SearchFn:
    """A search function with the engine's signature over the plain index (`run` executes one of
    its statements, in-process or through Datasette). Only the first page: the set asks for 20."""

    def search(query: SearchQuery, offset: int = 0, limit: int = 20) -> SearchResults:
        rows = search_plain.hits_from_rows(run(*_statement(query)))
        hits = [
            Hit(service_id, float(len(rows) - rank), distance)
            for rank, (service_id, distance) in enumerate(rows)
        ]
        return SearchResults(count=len(hits), hits=hits[offset : offset + limit])

    return search


def _evaluate_datasette(evaluation: list[ResolvedQuery], base: str) -> Report:
    def run(name: str, params: dict[str, str]) -> list[tuple[str, Any]]:
        url = f"{base}/plain/{name}.json?_shape=array&" + urllib.parse.urlencode(params)
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (our Datasette)
            return [(row["id"], row["d2"]) for row in json.loads(response.read())]

    return evaluate(evaluation, _plain_search(run))


if __name__ == "__main__":
    raise SystemExit(main())
