"""The `search` section of bench/RESULTS.md, from bench/search.py's figures."""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass, field
from typing import Any

from hsds import Run
from search_mix import MIX, Load, summary
from serving import WORKERS, git_commit, machine

TARGET_P95_MS = 50.0


@dataclass
class Figures:
    database: str
    location: str = ""
    commit: str = ""  # when its measurements began
    runs: dict[str, Run] = field(default_factory=dict)
    generation_split: tuple[float, float] | None = None  # generation, indexing (s)
    inprocess: dict[str, Any] = field(default_factory=dict)
    loads: list[Load] = field(default_factory=list)


def _all(latency: dict[str, list[float]]) -> list[float]:
    return [ms for values in latency.values() for ms in values]


def _ms(value: float) -> str:
    return f"{value:.1f}"


def _loads_at(loads: list[Load], clients: int) -> Load | None:
    return next((load for load in loads if load.clients == clients), None)


def report(
    figures: list[Figures],
    baseline: dict[str, Any],
    *,
    load_before: tuple[float, float, float],
    services: int,
    seed: int,
    rounds: int,
    seconds: float,
) -> str:
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    datasette = baseline.get("datasette_versions", {})
    lines = [
        "## Search at national scale (bench/search.py)",
        "",
        f"Measured on {now}.",
        "",
        f"- git commit: `{git_commit()}` at the end; the code measured: "
        + "; ".join(f"{f.database} `{f.commit}`" for f in figures)
        + (" (**it changed during the run**)" if len({f.commit for f in figures}) > 1 else ""),
        *machine(load_before),
        f"- directory: `generate_synthetic --services {services:,} --seed {seed}`, then "
        "`seed_demo` (the evaluation set's Sepang services among them), on each database; "
        f"{baseline.get('plain_services', 0):,} active services indexed",
        f"- query mix: {len(MIX)} fixed queries (bench/search_mix.py), the same for every system; "
        f"in-process: {rounds} timed rounds after one untimed; over HTTP: {seconds:g} s per level, "
        "each request on a new connection, clients in the same machine (Python threads)",
        f"- our server: gunicorn, {WORKERS} sync workers (`make serve`, `WEB_CONCURRENCY=2`); "
        f"Datasette {datasette.get('datasette', {}).get('version', '?')} (uvicorn, default "
        f"settings but `sql_time_limit_ms` 5000), SQLite "
        f"{datasette.get('sqlite', {}).get('version', '?')}, canned queries over `plain.db` "
        f"({baseline.get('size_mib', 0):.0f} MiB, built in "
        f"{baseline.get('plain_build_seconds', 0):.1f} s from the {baseline.get('source', '?')} "
        "directory)",
        "",
        "### The directory",
        "",
        "Wall time of `manage.py` in a child process; peak resident memory of that process. "
        "generate_synthetic's time includes refreshing the search index at its end.",
        "",
        "| database | generate_synthetic s | of which generation s | of which indexing s "
        "| peak MiB | seed_demo s |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for f in figures:
        run = f.runs["generate_synthetic"]
        split = f.generation_split
        lines.append(
            f"| {f.database} | {run.seconds:.1f} | {_ms(split[0]) if split else '?'} "
            f"| {_ms(split[1]) if split else '?'} | {run.peak_mib:.0f} "
            f"| {f.runs['seed_demo'].seconds:.1f} |"
        )
    lines += [""] + [
        f"Planner statistics when measured, {f.database}: {f.inprocess.get('statistics', '?')}."
        for f in figures
    ]
    lines += _targets(figures, baseline)
    lines += _inprocess(figures, baseline, rounds)
    lines += _http(figures, baseline)
    lines += _relevance(figures, baseline)
    lines += _ratios(figures, baseline)
    lines += _per_query(figures, baseline)
    lines += _slowest(figures, baseline)
    return "\n".join(lines)


def _targets(figures: list[Figures], baseline: dict[str, Any]) -> list[str]:
    lines = [
        "",
        "### Targets",
        "",
        f"p95 ≤ {TARGET_P95_MS:.0f} ms at this size on both databases (in-process over the mix, "
        "and through gunicorn with one client at a time); throughput through HTTP at least "
        "Datasette's at the same number of clients.",
        "",
        "| target | database | ours | Datasette | met |",
        "|---|---|---:|---:|---|",
    ]
    for f in figures:
        for what, key in (
            ("p95 in-process ms", "latency_ms"),
            ("p95 in-process ms, match cache empty", "cold_latency_ms"),
        ):
            if key not in f.inprocess["engine"]:
                continue
            p95 = summary(_all(f.inprocess["engine"][key]))[1]
            lines.append(
                f"| {what} | {f.database} | {_ms(p95)} | | "
                f"{'yes' if p95 <= TARGET_P95_MS else '**no**'} |"
            )
        single = _loads_at(f.loads, 1)
        if single:
            p95 = summary(single.latencies_ms)[1]
            lines.append(
                f"| p95 through gunicorn, 1 client, ms | {f.database} | {_ms(p95)} | | "
                f"{'yes' if p95 <= TARGET_P95_MS else '**no**'} |"
            )
        for load in f.loads:
            theirs = _loads_at(baseline.get("loads", []), load.clients)
            if theirs is None:
                continue
            met = load.throughput >= theirs.throughput
            lines.append(
                f"| requests/s, {_clients(load.clients)} | {f.database} | "
                f"{load.throughput:.1f} | {theirs.throughput:.1f} | {'yes' if met else '**no**'} |"
            )
    return lines


def _inprocess(figures: list[Figures], baseline: dict[str, Any], rounds: int) -> list[str]:
    lines = [
        "",
        f"### In-process latency over the mix, ms ({len(MIX)} queries × {rounds} rounds)",
        "",
        "Ours: `engine.search(query, limit=20)` (words read, candidates matched, ranked; not the "
        "services' details), and the whole API view through Django's test client (the engine, "
        "then the 20 services' details and the JSON; no server, no network). Each process "
        "remembers the database's answer (candidates and count) to its recent searches until the "
        "index changes (direktori/search/cache.py): after the untimed first round these are "
        "answered from memory and ranked again; *match cache empty* clears that memory before "
        "every query, as for a search not seen since the last change. Plain FTS5: one "
        "SQLite statement through Python's `sqlite3`.",
        "",
        "Load: the machine's load average over the minute before the measurement ended.",
        "",
        "| system | database | p50 | p95 | max | mean | load |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    rows = [
        ("ours (engine.search)", f.database, f.inprocess["engine"], f.inprocess) for f in figures
    ]
    rows += [
        (
            "ours (engine.search), match cache empty",
            f.database,
            {"latency_ms": f.inprocess["engine"]["cold_latency_ms"]},
            f.inprocess,
        )
        for f in figures
        if "cold_latency_ms" in f.inprocess["engine"]
    ]
    rows += [("ours (API view)", f.database, f.inprocess["api"], f.inprocess) for f in figures]
    if "plain" in baseline:
        rows.append(
            ("plain FTS5, no normalisation", "sqlite (plain.db)", baseline["plain"], baseline)
        )
    for system, database, measured, run in rows:
        samples = _all(measured["latency_ms"])
        p50, p95, top = summary(samples)
        lines.append(
            f"| {system} | {database} | {_ms(p50)} | {_ms(p95)} | {_ms(top)} "
            f"| {_ms(statistics.fmean(samples))} | {run.get('load_average', 0):.1f} |"
        )
    return lines


def _http(figures: list[Figures], baseline: dict[str, Any]) -> list[str]:
    lines = [
        "",
        "### Through HTTP under concurrent load",
        "",
        "Each client sends the mix's queries in turn (ours: `/api/v1/search?…`, 20 results with "
        "their details; Datasette: the canned query as `…json?_shape=array`, 20 ids with names "
        "and organisation names), one "
        "request at a time, each on a new connection. Latency from sending the request to the "
        "last byte, ms. Errors: any failure or an answer other than 200. Load: the machine's load "
        "average over the last minute of the level (the clients and servers count in it). Server "
        "CPU: the CPU time of the server's processes (gunicorn's master and workers; Datasette) "
        "over the level divided by its requests, ms; it does not depend on what else the machine "
        "is doing, as requests/s do (PostgreSQL's own processes are not in it).",
        "",
        "| system | database | clients | requests | errors | requests/s | p50 | p95 | max "
        "| server CPU ms/request | load |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    loads = [load for f in figures for load in f.loads] + list(baseline.get("loads", []))
    for load in sorted(loads, key=lambda load: (load.clients, load.system != "Datasette")):
        p50, p95, top = summary(load.latencies_ms)
        lines.append(
            f"| {load.system} | {load.database} | {load.clients} | {load.requests:,} | "
            f"{load.errors} | {load.throughput:.1f} | {_ms(p50)} | {_ms(p95)} | {_ms(top)} "
            f"| {load.cpu_ms_per_request:.1f} | {load.load_average:.1f} |"
        )
    samples = [sample for load in loads for sample in load.error_samples]
    if samples:
        lines += ["", "Errors, first of each run:", "", *(f"- `{s}`" for s in samples)]
    return lines


def _systems(figures: list[Figures], baseline: dict[str, Any]) -> list[tuple[str, dict]]:
    systems = [(f"ours, {f.database}", f.inprocess["engine"]["evaluation"]) for f in figures]
    if "plain" in baseline:
        systems.append(("plain FTS5", baseline["plain"]["evaluation"]))
    if "datasette" in baseline:
        systems.append(("Datasette (plain FTS5)", baseline["datasette"]["evaluation"]))
    return systems


def _relevance(figures: list[Figures], baseline: dict[str, Any]) -> list[str]:
    systems = _systems(figures, baseline)
    if not systems:
        return []
    queries = next(iter(systems))[1]["by_kind"]
    lines = [
        "",
        "### Relevance on the evaluation set",
        "",
        "direktori/search/evaluation/sepang.toml (labelled Sepang queries) run against the whole "
        "directory, synthetic services included: hit@5 (an expected service in the first 5) and "
        "MRR (reciprocal rank of the first expected service, 0 beyond 20). The set labels the "
        "Sepang demo's services only; among 100,000 services, a query without a place (\"bakul "
        'makanan") is answered as well by a synthetic service of the same name elsewhere, which '
        "counts as a miss. The last column counts it as a hit: any service in the first 5 "
        "whose name is the name of an expected service.",
        "",
        "| system | queries | hit@5 | MRR | not in the top 5 | hit@5, same name anywhere |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, e in systems:
        total = sum(row[0] for row in e["by_kind"].values())
        lines.append(
            f"| {name} | {total} | {e['hit_at_k']:.3f} | {e['mrr']:.3f} | {e['failures']} "
            f"| {e.get('hit_at_k_same_name', 0):.3f} |"
        )
    lines += [
        "",
        "hit@5 / MRR by kind of query:",
        "",
        "| kind | queries | " + " | ".join(name for name, _ in systems) + " |",
        "|---|---:|" + "---:|" * len(systems),
    ]
    for kind, row in queries.items():
        cells = []
        for _, e in systems:
            score = e["by_kind"].get(kind)
            cells.append(f"{score[2]:.2f} / {score[3]:.2f}" if score else "—")
        lines.append(f"| {kind} | {row[0]} | " + " | ".join(cells) + " |")
    return lines


def _ratios(figures: list[Figures], baseline: dict[str, Any]) -> list[str]:
    lines = ["", "### Ratios", ""]
    plain = baseline.get("plain")
    for f in figures:
        ours = f.inprocess["engine"]
        for load in f.loads:
            theirs = _loads_at(baseline.get("loads", []), load.clients)
            if theirs and theirs.throughput:
                lines.append(
                    f"- {f.database}, {_clients(load.clients)}: our API's requests/s ÷ Datasette's "
                    f"= ×{load.throughput / theirs.throughput:.2f}; p95 ÷ Datasette's p95 = "
                    f"×{_ratio(summary(load.latencies_ms)[1], summary(theirs.latencies_ms)[1])}; "
                    "server CPU per request ÷ Datasette's = "
                    f"×{_ratio(load.cpu_ms_per_request, theirs.cpu_ms_per_request)}"
                )
        if plain:
            e, p = ours["evaluation"], plain["evaluation"]
            ours_p95 = summary(_all(ours["latency_ms"]))[1]
            plain_p95 = summary(_all(plain["latency_ms"]))[1]
            lines.append(
                f"- {f.database}: our hit@5 ÷ plain FTS5's = "
                f"×{_ratio(e['hit_at_k'], p['hit_at_k'])} "
                f"({e['hit_at_k']:.3f} vs {p['hit_at_k']:.3f}); MRR ×"
                f"{_ratio(e['mrr'], p['mrr'])} ({e['mrr']:.3f} vs {p['mrr']:.3f}); in-process p95 "
                f"÷ plain FTS5's = ×{_ratio(ours_p95, plain_p95)}"
            )
    return lines


def _cut(line: str, width: int = 300) -> str:
    return line if len(line) <= width else line[:width] + " …"


def _clients(count: int) -> str:
    return f"{count} client{'s' if count != 1 else ''}"


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "∞"


def _per_query(figures: list[Figures], baseline: dict[str, Any]) -> list[str]:
    columns = [(f"ours {f.database}", f.inprocess["engine"]["latency_ms"]) for f in figures]
    columns += [
        (f"ours {f.database}, cache empty", f.inprocess["engine"]["cold_latency_ms"])
        for f in figures
        if "cold_latency_ms" in f.inprocess["engine"]
    ]
    columns += [(f"API view {f.database}", f.inprocess["api"]["latency_ms"]) for f in figures]
    if "plain" in baseline:
        columns.append(("plain FTS5", baseline["plain"]["latency_ms"]))
    lines = [
        "",
        "### In-process median per query of the mix, ms",
        "",
        "| kind | query | " + " | ".join(name for name, _ in columns) + " |",
        "|---|---|" + "---:|" * len(columns),
    ]
    for m in MIX:
        cells = [
            _ms(statistics.median(latency[m.label])) if m.label in latency else "—"
            for _, latency in columns
        ]
        lines.append(f"| {m.kind} | `{m.label}` | " + " | ".join(cells) + " |")
    return lines


def _slowest(figures: list[Figures], baseline: dict[str, Any]) -> list[str]:
    lines = [
        "",
        "### Where the time goes: the slowest queries of the mix",
        "",
        "Each run once more with Django's query capture (a little slower than above): the total, "
        "the time in SQL, every statement, and the plan of the slowest statement (SQLite: "
        "`EXPLAIN QUERY PLAN`; PostgreSQL: `EXPLAIN (ANALYZE, BUFFERS)`).",
    ]
    for f in figures:
        for item in f.inprocess["engine"].get("slowest", []):
            lines += [
                "",
                f"#### {f.database}: `{item['query']}`: {item['total_ms']:.1f} ms, of which SQL "
                f"{item['sql_ms']:.1f} ms in {len(item['statements'])} statements",
                "",
                "| ms | statement |",
                "|---:|---|",
                *(
                    f"| {ms:.1f} | `{' '.join(sql.split())[:220].replace('|', '¦')}` |"
                    for ms, sql in item["statements"]
                ),
                "",
                "Slowest statement and its plan:",
                "",
                "```sql",
                item["slowest_sql"][:1500],
                "```",
                "",
                "```",
                *(_cut(line) for line in item["plan"]),
                "```",
                "",
                "Python functions with the most own time (cProfile, one run):",
                "",
                "```",
                *item.get("profile", []),
                "```",
            ]
    for f in figures:
        for item in f.inprocess["api"].get("slowest", []):
            lines += [
                "",
                f"#### {f.database}, through the API view ({item['why']}): `{item['query']}`: "
                f"{item['total_ms']:.1f} ms (the engine alone: median {item['engine_ms']:.1f} ms), "
                f"of which SQL {item['sql_ms']:.1f} ms in {len(item['statements'])} statements",
                "",
                "| ms | statement |",
                "|---:|---|",
                *(
                    f"| {ms:.1f} | `{' '.join(sql.split())[:220].replace('|', '¦')}` |"
                    for ms, sql in item["statements"]
                ),
                "",
                "Plan of the slowest statement:",
                "",
                "```",
                *(_cut(line) for line in item["plan"]),
                "```",
            ]
    plan = baseline.get("plain", {}).get("slowest_plan")
    if plan:
        lines += ["", f"Plain FTS5, its slowest query `{plan[0]}`:", "", "```", *plan[1], "```"]
    return lines
