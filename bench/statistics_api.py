"""`make bench` (last part): `GET /api/v1/statistics` over 1,000,000 statistic records, SQLite and
PostgreSQL.

For each database: a fresh database with the DOSM areas; about 1,000,000 records written straight
into the table (every district and every state's unallocated part × 6 categories × 120 months of
2014–2023 × 8 sources; executemany on SQLite, COPY on PostgreSQL), then the roll-ups rebuilt as an
import does (`services.rollups_refresh`), with every category's canonical public table protected
and stored (timed apart: the import-time cost of disclosure control). Then API latency through
gunicorn for national, state, district and monthly queries, as the public (with disclosure
control: a few reads of the stored public cells) and as an HQ administrator (exact counts), with
Django's cache off, in two set-ups of the same run: the roll-ups (as deployed) and no roll-ups
(officers' requests sum the records: the naive query). Figures go to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from results import write_section
from serving import (
    ROOT,
    free_port,
    git_commit,
    machine,
    manage,
    production_env,
    start_gunicorn,
    stop,
    wait_until_up,
)

POSTGRES_ADMIN_URL = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/test")
DB_NAME = "bench_stats"
CATEGORIES = ["child_protection", "domestic_violence", "elderly", "disability", "destitute"]
CATEGORIES.append("other")
YEARS = range(2014, 2024)
YEAR = {"from": "2022-01-01", "to": "2022-12-31"}
QUERIES = {
    "national, 2022": {**YEAR},
    "national by state, 2022": {**YEAR, "group_by": "state"},
    "state by district, 2022": {**YEAR, "state": "10", "group_by": "district"},
    "district, 2022": {**YEAR, "district": "10_7"},
    "district by month, 10 years": {"district": "10_7", "group_by": "month"},
    "national by month, 10 years": {"group_by": "month"},
}
SETUPS = {
    "roll-ups, cache off": {"DIREKTORI_STATISTICS_CACHE_SECONDS": "0"},
    "records summed (no roll-ups)": {
        "DIREKTORI_STATISTICS_ROLLUPS": "0",
        "DIREKTORI_STATISTICS_CACHE_SECONDS": "0",
    },
}
NAIVE = "records summed (no roll-ups)"


@dataclass
class Figures:
    database: str
    load: dict[str, float] = field(default_factory=dict)
    latency_ms: dict[tuple[str, str, str], list[float]] = field(default_factory=dict)
    failures: dict[tuple[str, str, str], str] = field(default_factory=dict)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="about this many records")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per URL")
    parser.add_argument("--naive-requests", type=int, default=5, help="the same, no roll-ups")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--no-write", action="store_true", help="print only, keep RESULTS.md")
    parser.add_argument("--generate", type=int, help=argparse.SUPPRESS)  # the child's job
    args = parser.parse_args()
    if args.generate:
        print(json.dumps(generate(args.generate)))
        return 0

    load_before = os.getloadavg()
    work = Path(tempfile.mkdtemp(prefix="direktori-bench-stats-"))
    results = []
    try:
        for database in args.databases.split(","):
            results.append(_bench(database, args, work))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report = _report(results, load_before, args)
    print()
    print(report)
    if not args.no_write:
        write_section("statistics", report)
        print("Written to bench/RESULTS.md")
    return 0


def _bench(database: str, args: argparse.Namespace, work: Path) -> Figures:
    figures = Figures(database=database)
    env = production_env(work)
    if database == "postgresql":
        _psql(f"DROP DATABASE IF EXISTS {DB_NAME}")
        _psql(f"CREATE DATABASE {DB_NAME}")
        env["DATABASE_URL"] = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + DB_NAME
    else:
        env["DATABASE_URL"] = f"sqlite:///{work / (DB_NAME + '.sqlite3')}"
    _step(f"{database}: migrate and load the DOSM areas")
    manage(["migrate", "--no-input", "-v", "0"], env)
    manage(["load_reference", "-v", "0"], env)
    _step(f"{database}: {args.rows:,} records, then the roll-ups")
    child = subprocess.run(
        [sys.executable, __file__, "--generate", str(args.rows)],
        cwd=ROOT,
        env=env | {"DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )
    if child.returncode != 0:
        sys.stderr.write(child.stdout + child.stderr)
        raise SystemExit("generating the records failed")
    loaded = json.loads(child.stdout.strip().splitlines()[-1])
    token = loaded.pop("token")
    figures.load = loaded
    print(f"    {json.dumps(loaded)}", flush=True)
    for setup, extra in SETUPS.items():
        port = free_port()
        base = f"http://127.0.0.1:{port}/api/v1/statistics?"
        server = start_gunicorn(port, env | extra, work)
        try:
            wait_until_up(f"http://127.0.0.1:{port}/healthz", server)
            requests = args.naive_requests if setup == NAIVE else args.requests
            for name, params in QUERIES.items():
                for caller, headers in (("public", {}), ("HQ officer", {"Authorization": token})):
                    key = (setup, name, caller)
                    url = base + urlencode({"category": "child_protection", **params})
                    try:
                        # Warm-up: each worker's first request of this URL (as many as the
                        # workers, give or take: which worker takes a request is not ours to say).
                        for _ in range(1 if setup == NAIVE else 4):
                            _get(url, headers)
                        figures.latency_ms[key] = [_time_get(url, headers) for _ in range(requests)]
                    except OSError as error:  # gunicorn ends a request after 30 s
                        figures.failures[key] = f"failed: {error.__class__.__name__}"
                        wait_until_up(f"http://127.0.0.1:{port}/healthz", server)
                    print(f"    {setup} | {name} | {caller}: {_cell(figures, key)}", flush=True)
        finally:
            stop(server)
    if database == "postgresql":
        _psql(f"DROP DATABASE IF EXISTS {DB_NAME}")
    return figures


def generate(target: int) -> dict[str, object]:
    """In the child process, on the database of DATABASE_URL: the records, the roll-ups and an
    HQ administrator's token. Returns the timings."""
    import django

    django.setup()
    from django.db import connection, transaction

    from direktori.accounts.models import ApiToken, Role
    from direktori.accounts.services import user_create
    from direktori.areas.models import Area
    from direktori.stats import services
    from direktori.stats.models import PublicStatisticCell, StatisticImport, StatisticRecord

    areas = list(
        Area.objects.filter(kind__in=[Area.Kind.DISTRICT, Area.Kind.STATE])
        .order_by("code")
        .values_list("id", "kind")
    )
    months = [(year, month) for year in YEARS for month in range(1, 13)]
    per_source = len(areas) * len(CATEGORIES) * len(months)
    sources = [f"Sumber {n + 1}" for n in range(max(1, math.ceil(target / per_source)))]
    batch = StatisticImport.objects.create(file_name="bench/statistics_api.py")
    randomness = random.Random(2026)
    # Each area and category has its own level, from a few cases a year to dozens a month.
    level = {
        (area_id, category): randomness.choice([0.2, 0.6, 1.5, 4, 10, 25])
        for area_id, _kind in areas
        for category in CATEGORIES
    }
    now = datetime.datetime.now(datetime.UTC)
    table = StatisticRecord._meta.db_table
    columns = "period_start, period_end, area_id, category, count, source, imported_at, batch_id"
    postgres = connection.vendor == "postgresql"
    batch_id = batch.pk if postgres else batch.pk.hex
    stamp = now if postgres else now.strftime("%Y-%m-%d %H:%M:%S")

    def rows() -> Iterator[tuple[Any, ...]]:
        for source in sources:
            for year, month in months:
                start = datetime.date(year, month, 1)
                end = (start + datetime.timedelta(days=32)).replace(day=1)
                end -= datetime.timedelta(days=1)
                first, last = (start, end) if postgres else (start.isoformat(), end.isoformat())
                for area_id, _kind in areas:
                    for category in CATEGORIES:
                        count = int(randomness.expovariate(1 / level[(area_id, category)]))
                        yield (first, last, area_id, category, count, source, stamp, batch_id)

    started = time.perf_counter()
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        if postgres:
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows():
                    copy.write_row(row)
                    written += 1
        else:
            placeholders = ", ".join(["%s"] * 8)
            statement = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
            chunk: list[tuple[Any, ...]] = []
            for row in rows():
                chunk.append(row)
                if len(chunk) == 20_000:
                    cursor.executemany(statement, chunk)
                    written += len(chunk)
                    chunk = []
            cursor.executemany(statement, chunk)
            written += len(chunk)
    inserted = time.perf_counter() - started
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
    protecting = {"seconds": 0.0}
    protect = services.public_cells_refresh

    def timed_protect(category: str) -> int:
        began = time.perf_counter()
        try:
            return protect(category)
        finally:
            protecting["seconds"] += time.perf_counter() - began

    services.public_cells_refresh = timed_protect
    started = time.perf_counter()
    rollup_rows = services.rollups_refresh()
    refreshed = time.perf_counter() - started
    cells = PublicStatisticCell.objects.count()
    hidden = PublicStatisticCell.objects.filter(suppressed=True).count()
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    user = user_create(
        username="bench-hq",
        role=Role.HQ_ADMIN,
        area=Area.objects.get(code="MY"),
        password="Bench-only-2026-kata-laluan!",  # noqa: S106 -- a throwaway benchmark database
    )
    _token, key = ApiToken.issue(
        user=user, lifetime=datetime.timedelta(hours=6), verified_second_factor=True
    )
    return {
        "records": written,
        "sources": len(sources),
        "insert_s": round(inserted, 1),
        "rollup_s": round(refreshed - protecting["seconds"], 1),
        "rollup_rows": rollup_rows,
        "protect_s": round(protecting["seconds"], 1),
        "public_cells": cells,
        "public_hidden": hidden,
        "token": f"Bearer {key}",
    }


def _get(url: str, headers: dict[str, str]) -> bytes:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (our own server)
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
        return response.read()


def _time_get(url: str, headers: dict[str, str]) -> float:
    started = time.perf_counter()
    _get(url, headers)
    return (time.perf_counter() - started) * 1000


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


def _cell(figures: Figures, key: tuple[str, str, str]) -> str:
    if key in figures.failures:
        return figures.failures[key]
    samples = figures.latency_ms[key]
    return f"median {statistics.median(samples):.1f} ms, p95 {_p95(samples):.1f} ms"


def _psql(sql: str) -> None:
    subprocess.run(
        ["psql", POSTGRES_ADMIN_URL, "-q", "-c", sql], check=True, capture_output=True, text=True
    )


def _step(title: str) -> None:
    print(f"==> {title}", flush=True)


def _report(
    results: list[Figures], load_before: tuple[float, float, float], args: argparse.Namespace
) -> str:
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "## Statistics API over 1,000,000 records (bench/statistics_api.py)",
        "",
        f"Measured on {now}.",
        "",
        f"- git commit: `{git_commit()}`",
        *machine(load_before),
        "- data: every district and every state's unallocated part × 6 categories × 120 months "
        "(2014–2023) × sources, counts drawn per area and category from a few a year to dozens "
        "a month; queries for `category=child_protection`; gunicorn, 2 workers, `DJANGO_DEBUG` "
        "off, sequential requests with urllib",
        "",
        "### Loading",
        "",
        "Disclosure control is decided at import: *protect s* is the time to protect and store "
        "the six categories' canonical public tables (part of the same transaction as the "
        "roll-ups), *public cells* how many cells they hold and how many of them are hidden.",
        "",
        "| database | records | sources | insert s | roll-up rebuild s | roll-up rows "
        "| protect s | public cells | hidden |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for f in results:
        lines.append(
            f"| {f.database} | {f.load['records']:,} | {f.load['sources']} | "
            f"{f.load['insert_s']} | {f.load['rollup_s']} | {f.load['rollup_rows']:,} | "
            f"{f.load['protect_s']} | {f.load['public_cells']:,} | {f.load['public_hidden']:,} |"
        )
    lines += [
        "",
        f"### Latency, ms: median and p95 of {args.requests} requests after 4 "
        f"({args.naive_requests} after 1 without roll-ups); target p95 ≤ 100 ms",
        "",
        "| database | query | caller | set-up | median | p95 |",
        "|---|---|---|---|---:|---:|",
    ]
    for f in results:
        for (setup, name, caller), samples in f.latency_ms.items():
            lines.append(
                f"| {f.database} | {name} | {caller} | {setup} | "
                f"{statistics.median(samples):.1f} | {_p95(samples):.1f} |"
            )
        for (setup, name, caller), failure in f.failures.items():
            lines.append(f"| {f.database} | {name} | {caller} | {setup} | {failure} | |")
    lines += [
        "",
        "### Records summed ÷ roll-ups (p95, same database and run, cache off)",
        "",
        "| database | query | caller | ratio |",
        "|---|---|---|---:|",
    ]
    for f in results:
        for name in QUERIES:
            for caller in ("public", "HQ officer"):
                naive = f.latency_ms.get((NAIVE, name, caller))
                fast = f.latency_ms.get(("roll-ups, cache off", name, caller))
                if naive and fast:
                    ratio = _p95(naive) / _p95(fast)
                    lines.append(f"| {f.database} | {name} | {caller} | ×{ratio:.1f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
