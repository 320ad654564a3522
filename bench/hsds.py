"""`make bench` (second part): HSDS import, export and API at national scale, SQLite and PostgreSQL.

For each database: a fresh database with the DOSM areas, a synthetic tabular package of N services
(bench/hsds_package.py), then `import_hsds` (wall time and peak memory of the process), the same
import again (must change nothing), `export_hsds`, and `/api/hsds/services` page latency through
gunicorn. The same steps on a package of N/10 services give the baseline: the ratio of the two shows
whether the cost per service holds as the directory grows. Figures go to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from hsds_package import write_package
from results import write_section
from serving import (
    ROOT,
    free_port,
    git_commit,
    machine,
    production_env,
    start_gunicorn,
    stop,
    wait_until_up,
)

POSTGRES_ADMIN_URL = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/test")


@dataclass
class Run:
    command: str
    seconds: float
    peak_mib: float
    output: str = ""


@dataclass
class Figures:
    database: str
    services: int
    runs: dict[str, Run] = field(default_factory=dict)
    latency_ms: dict[str, list[float]] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)


def _latency_cell(figures: Figures, name: str) -> str:
    if name in figures.failures:
        return figures.failures[name]
    samples = sorted(figures.latency_ms[name])
    p90 = samples[int(0.9 * (len(samples) - 1))]
    return f"median {statistics.median(samples):.1f} ms, p90 {p90:.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=20, help="timed requests per URL")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--no-write", action="store_true", help="print only, keep RESULTS.md")
    args = parser.parse_args()

    load_before = os.getloadavg()
    work = Path(tempfile.mkdtemp(prefix="direktori-bench-hsds-"))
    results: list[Figures] = []
    try:
        sizes = [max(args.services // 10, 100), args.services]
        packages = {}
        for size in sizes:
            _step(f"Writing a synthetic HSDS package of {size:,} services")
            packages[size] = work / f"package-{size}"
            write_package(packages[size], size, seed=2026)
        for database in args.databases.split(","):
            for size in sizes:
                results.append(_bench(database, size, packages[size], work, args.requests))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    report = _report(results, load_before, args.requests)
    print()
    print(report)
    if not args.no_write:
        write_section("hsds", report)
        print("Written to bench/RESULTS.md")
    return 0


def _bench(database: str, size: int, package: Path, work: Path, requests: int) -> Figures:
    figures = Figures(database=database, services=size)
    env = production_env(work)
    env["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1"
    db_name = f"bench_hsds_{size}"
    if database == "postgresql":
        _recreate_postgres(db_name)
        env["DATABASE_URL"] = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + db_name
    else:
        sqlite = work / f"{db_name}.sqlite3"
        sqlite.unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{sqlite}"
    label = f"{database}, {size:,} services"
    _step(f"{label}: migrate and load the DOSM areas")
    _timed(["migrate", "--no-input", "-v", "0"], env)
    _timed(["load_reference", "-v", "0"], env)
    _step(f"{label}: import_hsds")
    figures.runs["import"] = _timed(["import_hsds", str(package)], env)
    _step(f"{label}: import_hsds again (nothing may change)")
    figures.runs["re-import"] = _timed(["import_hsds", str(package)], env)
    _step(f"{label}: export_hsds")
    export = work / f"export-{database}-{size}"
    figures.runs["export"] = _timed(["export_hsds", str(export)], env)
    for step, run in figures.runs.items():
        print(f"    {step}: {run.seconds:.1f} s, peak {run.peak_mib:.0f} MiB", flush=True)
    shutil.rmtree(export, ignore_errors=True)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(port, env, work)
    try:
        wait_until_up(base + "/healthz", server)
        first = json.loads(_get(base + "/api/hsds/services?per_page=1"))
        total_pages_50 = max(1, -(-first["total_items"] // 50))
        some_id = first["contents"][0]["id"]
        urls = {
            "services, page 1": "/api/hsds/services",
            "services, middle page": f"/api/hsds/services?page={max(1, total_pages_50 // 2)}",
            "services, last page": f"/api/hsds/services?page={total_pages_50}",
            "services, full, page 1": "/api/hsds/services?full=true",
            "services, search": "/api/hsds/services?search=warga",
            "service by id": f"/api/hsds/services/{some_id}",
            "service_at_locations, postcode 43900 + 5 km": (
                "/api/hsds/service_at_locations?postcode=43900&proximity=5000"
            ),
        }
        _step(f"{label}: API latency, median of {requests} requests after 3")
        for name, path in urls.items():
            try:
                for _ in range(3):
                    _get(base + path)
                figures.latency_ms[name] = [_time_get(base + path) for _ in range(requests)]
            except OSError as error:  # gunicorn ends a request after 30 s: report, go on
                figures.failures[name] = f"failed: {error.__class__.__name__}"
                wait_until_up(base + "/healthz", server)
            print(f"    {name}: {_latency_cell(figures, name)}", flush=True)
    finally:
        stop(server)
    if database == "postgresql":
        _drop_postgres(db_name)
    return figures


def _timed(command: list[str], env: dict[str, str]) -> Run:
    """Run manage.py in a child process; wall time and that child's own peak resident memory."""
    with tempfile.TemporaryFile(mode="w+") as log:
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, stdout=log, stderr=log
        )
        _, status, usage = os.wait4(child.pid, 0)  # this child's rusage, not all children's
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read()
    if child.returncode != 0:
        sys.stderr.write(output)
        raise SystemExit(f"manage.py {command[0]} failed (exit status {child.returncode})")
    return Run(command[0], seconds, usage.ru_maxrss / 1024, output)


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 (our own server)
        return response.read()


def _time_get(url: str) -> float:
    started = time.perf_counter()
    _get(url)
    return (time.perf_counter() - started) * 1000


def _psql(sql: str) -> None:
    subprocess.run(
        ["psql", POSTGRES_ADMIN_URL, "-q", "-c", sql], check=True, capture_output=True, text=True
    )


def _recreate_postgres(name: str) -> None:
    _psql(f"DROP DATABASE IF EXISTS {name}")
    _psql(f"CREATE DATABASE {name}")


def _drop_postgres(name: str) -> None:
    _psql(f"DROP DATABASE IF EXISTS {name}")


def _step(title: str) -> None:
    print(f"==> {title}", flush=True)


def _report(results: list[Figures], load_before: tuple[float, float, float], requests: int) -> str:
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "## HSDS import, export and API at scale (bench/hsds.py)",
        "",
        f"Measured on {now}.",
        "",
        f"- git commit: `{git_commit()}`",
        *machine(load_before),
        "- synthetic package: bench/hsds_package.py (each service with its organisation, a "
        "location at real Selangor coordinates, an address, a phone, opening hours and target "
        "groups); the smaller package is the baseline in the same run",
        "",
        "### Commands",
        "",
        "Wall time of `manage.py` in a child process; peak resident memory of that process.",
        "",
        "| database | services | import s | re-import s | export s | import peak MiB "
        "| import µs per service |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for f in results:
        imp = f.runs["import"]
        lines.append(
            f"| {f.database} | {f.services:,} | {imp.seconds:.1f} | "
            f"{f.runs['re-import'].seconds:.1f} | {f.runs['export'].seconds:.1f} | "
            f"{imp.peak_mib:.0f} | {imp.seconds / f.services * 1e6:.0f} |"
        )
    lines += ["", "### Ratios, large package ÷ baseline (same database, same run)", ""]
    lines += ["| database | services | import time | import time per service | peak memory |"]
    lines += ["|---|---:|---:|---:|---:|"]
    for database in dict.fromkeys(f.database for f in results):
        pair = [f for f in results if f.database == database]
        if len(pair) == 2:
            small, large = pair
            scale = large.services / small.services
            ratio = large.runs["import"].seconds / small.runs["import"].seconds
            memory = large.runs["import"].peak_mib / small.runs["import"].peak_mib
            lines.append(
                f"| {database} | ×{scale:.0f} | ×{ratio:.1f} | ×{ratio / scale:.2f} | "
                f"×{memory:.2f} |"
            )
    lines += [
        "",
        f"### `/api/hsds/` latency through gunicorn, ms (median and p90 of {requests})",
        "",
        "| database | services | URL | median | p90 |",
        "|---|---:|---|---:|---:|",
    ]
    for f in results:
        for name in [*f.latency_ms, *f.failures]:
            if name in f.failures:
                lines.append(f"| {f.database} | {f.services:,} | {name} | {f.failures[name]} | |")
                continue
            ordered = sorted(f.latency_ms[name])
            p90 = ordered[int(0.9 * (len(ordered) - 1))]
            lines.append(
                f"| {f.database} | {f.services:,} | {name} | "
                f"{statistics.median(ordered):.1f} | {p90:.1f} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
