"""`make bench` (third part): search at national scale, against a plain FTS5 index and Datasette.

For each database (SQLite, PostgreSQL): a fresh database, `generate_synthetic --services N` (which
indexes the directory for search at its end; wall time and peak memory) and `seed_demo` (so that
the evaluation set's Sepang services are among the N), then, on the same services:

1. our engine in-process (`engine.search`): latency over the fixed query mix (bench/search_mix.py)
   and hit@5 / MRR on the evaluation set (direktori/search/evaluation/sepang.toml);
2. our API, `GET /api/v1/search`, through gunicorn as `make serve` runs it, under concurrent load;
3. once, from the first database: a plain FTS5 index of the same services (bench/search_plain.py:
   no normalisation, the words as typed, bm25), in-process, and Datasette serving it under the same
   load; hit@5 / MRR for both.

Figures go to the `search` section of bench/RESULTS.md (bench/search_report.py). Exit status 1
when a request failed. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import search_plain
from hsds import POSTGRES_ADMIN_URL, Run, _drop_postgres, _recreate_postgres, _timed
from results import write_section
from search_mix import MIX, Load, run_load
from search_report import Figures, report
from serving import (
    ROOT,
    free_port,
    git_commit,
    production_env,
    start_gunicorn,
    stop,
    wait_until_up,
)

DATASETTE = os.environ.get("DATASETTE", "/tmp/datasette-venv/bin/datasette")  # noqa: S108
# On a server shared with others, a name of your own (BENCH_SEARCH_DATABASE).
PG_DATABASE = os.environ.get("BENCH_SEARCH_DATABASE", "bench_search")
SEED = 2026


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=20, help="load duration per level")
    parser.add_argument("--clients", default="1,8,16", help="concurrent clients, per level")
    parser.add_argument("--rounds", type=int, default=5, help="timed in-process rounds of the mix")
    parser.add_argument("--explain", type=int, default=3, help="analyse the N slowest queries")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--no-write", action="store_true", help="print only, keep RESULTS.md")
    parser.add_argument(
        "--keep", action="store_true", help=f"keep the work directory and {PG_DATABASE}"
    )
    args = parser.parse_args()
    if not os.access(DATASETTE, os.X_OK):
        print(
            f"The benchmark compares with Datasette, expected at {DATASETTE} (DATASETTE=path). "
            "Install it apart from the project, e.g.:\n"
            "  python3.12 -m venv /tmp/datasette-venv && /tmp/datasette-venv/bin/pip install "
            "datasette"
        )
        return 2

    clients = [int(value) for value in args.clients.split(",")]
    load_before = os.getloadavg()
    work = Path(tempfile.mkdtemp(prefix="direktori-bench-search-"))
    figures: list[Figures] = []
    baseline: dict[str, Any] = {}
    try:
        for database in args.databases.split(","):
            figures.append(_bench_database(database, args, clients, work, baseline))
    finally:
        if args.keep:
            print(f"Kept {work} (SQLite database, plain.db, server logs)", flush=True)
            if "postgresql" in args.databases:
                print(f"Kept the PostgreSQL database {PG_DATABASE}", flush=True)
        else:
            shutil.rmtree(work, ignore_errors=True)
            if "postgresql" in args.databases:
                _drop_postgres(PG_DATABASE)

    text = report(
        figures,
        baseline,
        load_before=load_before,
        services=args.services,
        seed=SEED,
        rounds=args.rounds,
        seconds=args.seconds,
    )
    print()
    print(text)
    if not args.no_write:
        write_section("search", text)
        print("Written to bench/RESULTS.md")
    errors = [load for f in figures for load in f.loads if load.errors]
    errors += [load for load in baseline.get("loads", []) if load.errors]
    for load in errors:
        print(f"ERRORS: {load.system} {load.database} ×{load.clients}: {load.error_samples}")
    return 1 if errors else 0


def _bench_database(
    database: str,
    args: argparse.Namespace,
    clients: list[int],
    work: Path,
    baseline: dict[str, Any],
) -> Figures:
    figures = Figures(database=database)
    env = production_env(work)
    if database == "postgresql":
        _recreate_postgres(PG_DATABASE)
        env["DATABASE_URL"] = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + PG_DATABASE
    else:
        sqlite = work / "search.sqlite3"
        sqlite.unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{sqlite}"
    figures.location = (
        f"PostgreSQL database `{PG_DATABASE}`" if database == "postgresql" else str(sqlite)
    )

    _step(f"{database}: migrate, load_reference, collectstatic")
    _timed(["migrate", "--no-input", "-v", "0"], env)
    _timed(["load_reference", "-v", "0"], env)
    _timed(["collectstatic", "--no-input", "-v", "0"], env)  # as `make serve`
    _step(f"{database}: generate_synthetic --services {args.services:,} (then indexes for search)")
    generated = _timed(
        ["generate_synthetic", "--services", str(args.services), "--seed", str(SEED)], env
    )
    figures.runs["generate_synthetic"] = generated
    figures.generation_split = _generation_split(generated)
    _step(f"{database}: seed_demo")
    figures.runs["seed_demo"] = _timed(["seed_demo", "-v", "0"], env)
    for name, run in figures.runs.items():
        print(f"    {name}: {run.seconds:.1f} s, peak {run.peak_mib:.0f} MiB", flush=True)
    print(f"    generate_synthetic said: {generated.output.strip().splitlines()[-1]}", flush=True)

    figures.commit = git_commit()  # the code measured, should it change during a long run
    _step(f"{database}: our engine in-process ({args.rounds} rounds of {len(MIX)} queries)")
    inprocess = [
        "--engine",
        "--rounds",
        str(args.rounds),
        "--explain",
        str(args.explain),
    ]
    figures.inprocess = _child(inprocess, env, work / f"engine-{database}.json")
    print(f"    {_brief(figures.inprocess['engine'])}", flush=True)

    datasette = None
    plain = work / "plain.db"
    if not baseline:
        _step(f"Plain FTS5 index from the {database} directory, measured in-process")
        measured = _child(
            ["--plain", str(plain), "--build", "--rounds", str(args.rounds)],
            env,
            work / "plain.json",
        )
        baseline.update(measured, source=database, loads=[], size_mib=plain.stat().st_size / 2**20)
        print(f"    {_brief(baseline['plain'])}", flush=True)
        datasette, datasette_base = _start_datasette(plain, work)
        baseline["datasette_versions"] = json.loads(_get(datasette_base + "/-/versions.json"))

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(port, env, work)
    try:
        _wait(base + "/healthz", server)
        api_paths = [m.api_path() for m in MIX]
        plain_paths = [_datasette_path(m) for m in MIX]
        for count in clients:
            # Ours and Datasette alternate per level, so that a busier minute hits both alike.
            _step(f"{database}: /api/v1/search through gunicorn, {count} clients, {args.seconds} s")
            load = run_load(
                Load("ours (API, gunicorn)", database, count), "127.0.0.1", port, api_paths,
                args.seconds, server_pid=server.pid,
            )  # fmt: skip
            figures.loads.append(load)
            print(f"    {_load_brief(load)}", flush=True)
            if datasette is not None:
                _step(f"Datasette, {count} clients, {args.seconds} s")
                load = run_load(
                    Load("Datasette", "sqlite (plain.db)", count), "127.0.0.1",
                    int(urllib.parse.urlsplit(datasette_base).port or 0), plain_paths,
                    args.seconds, server_pid=datasette.pid,
                )  # fmt: skip
                baseline["loads"].append(load)
                print(f"    {_load_brief(load)}", flush=True)
        if datasette is not None:
            _step("Datasette: the evaluation set through its canned queries")
            measured = _child(["--datasette", datasette_base], env, work / "datasette.json")
            baseline["datasette"] = measured["datasette"]
            print(f"    {_brief(baseline['datasette'])}", flush=True)
    finally:
        stop(server)
        if datasette is not None:
            stop(datasette)
    return figures


def _generation_split(run: Run) -> tuple[float, float] | None:
    """(generation, indexing) seconds from generate_synthetic's last line, when it says so."""
    found = re.search(r"([\d.]+) s\b[^\d]*?([\d.]+) s\b[^\d]*$", run.output.strip())
    if not found:
        return None
    generation, total = float(found.group(1)), float(found.group(2))
    return generation, max(total - generation, 0.0)


def _child(options: list[str], env: dict[str, str], out: Path) -> dict[str, Any]:
    script = Path(__file__).with_name("search_inprocess.py")
    result = subprocess.run(
        [sys.executable, str(script), *options, "--seed", str(SEED), "--out", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"bench/search_inprocess.py {options[0]} failed ({result.returncode})")
    return json.loads(out.read_text(encoding="utf-8"))


def _start_datasette(plain: Path, work: Path) -> tuple[subprocess.Popen[bytes], str]:
    metadata = work / "datasette-metadata.json"
    search_plain.write_metadata(metadata, plain.stem)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (work / "datasette.log").open("wb")
    server = subprocess.Popen(
        [
            DATASETTE,
            "serve",
            str(plain),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--metadata",
            str(metadata),
            "--setting",
            "sql_time_limit_ms",
            "5000",
        ],
        cwd=work,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    _wait(base + "/-/versions.json", server)
    return server, base


def _wait(url: str, server: subprocess.Popen[bytes], timeout: float = 120) -> None:
    """wait_until_up, patient with a first answer slower than its 2 s (a busy machine)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            wait_until_up(url, server, timeout=max(deadline - time.monotonic(), 1))
            return
        except TimeoutError:
            if time.monotonic() > deadline:
                raise


def _datasette_path(m: Any) -> str:
    name, params = search_plain.statement(
        text=m.q, area=m.area, target_group=m.target_group, near=m.near, radius_km=m.radius_km
    )
    return f"/plain/{name}.json?_shape=array&" + urllib.parse.urlencode(params)


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (our own servers)
        return response.read()


def _brief(measured: dict[str, Any]) -> str:
    evaluation = measured["evaluation"]
    text = f"hit@{evaluation['k']} {evaluation['hit_at_k']:.3f}, MRR {evaluation['mrr']:.3f}"
    if "latency_ms" in measured:
        samples = sorted(ms for values in measured["latency_ms"].values() for ms in values)
        text += f"; mix p50 {samples[len(samples) // 2]:.1f} ms, max {samples[-1]:.1f} ms"
    return text


def _load_brief(load: Load) -> str:
    from search_mix import summary

    p50, p95, _ = summary(load.latencies_ms)
    return (
        f"{load.throughput:.1f} requests/s, p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
        f"{load.errors} errors, server CPU {load.cpu_ms_per_request:.1f} ms/request"
    )


def _step(title: str) -> None:
    print(f"==> {title} [{time.strftime('%H:%M:%S')}]", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
