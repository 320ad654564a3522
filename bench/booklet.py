"""`make bench` (booklet part): time and peak memory of the district booklet (`build_booklet`).

Two directories, each in a throwaway database: (a) the Sepang demo (`seed_demo`), and (b) a
synthetic directory (`generate_synthetic`) of which 1,000 organisations are moved into Sepang's
mukims and localities, so that one district has a 1,000-organisation booklet. Each booklet (Malay,
A5 and A4) is built `--runs` times, each in a fresh child process that reports its own render time
and peak resident memory (`ru_maxrss`); the medians go to bench/RESULTS.md. SQLite always;
PostgreSQL too with `--database-url` (a database this script drops and creates again).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from results import write_section
from serving import ROOT, git_commit, machine, manage, production_env

DISTRICT = "10_7"  # Sepang
TARGET_SECONDS = 30


@dataclass
class Case:
    database: str
    directory: str
    paper: str
    organisations: int = 0
    pages: int = 0
    seconds: list[float] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)
    peak_mib: list[float] = field(default_factory=list)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--organisations", type=int, default=1000)
    parser.add_argument(
        "--database-url", help="also on PostgreSQL: postgres://USER@HOST:PORT/NAME (recreated)"
    )
    parser.add_argument("--no-write", action="store_true", help="print only, keep RESULTS.md")
    parser.add_argument(
        "--child", nargs=3, metavar=("DISTRICT", "LANG", "PAPER"), help=argparse.SUPPRESS
    )
    parser.add_argument("--move", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return _child(*args.child)
    if args.move:
        return _move(args.move)

    load_before = os.getloadavg()
    started = datetime.now(UTC)
    cases: list[Case] = []
    databases = ["sqlite"] + (["postgresql"] if args.database_url else [])
    work = Path(tempfile.mkdtemp(prefix="direktori-bench-booklet-"))
    try:
        for database in databases:
            for directory in ("demo", "synthetic"):
                env = _database(database, directory, work, args.database_url)
                _fill(directory, env, args.organisations)
                for paper in ("a5", "a4"):
                    case = Case(database, directory, paper)
                    for run in range(args.runs):
                        _step(f"{database}, {directory}, {paper}: run {run + 1} of {args.runs}")
                        _measure(case, env)
                    cases.append(case)
                if database == "postgresql":
                    _psql(
                        args.database_url,
                        f"DROP DATABASE IF EXISTS {_name(args.database_url, directory)}",
                    )
    finally:
        shutil.rmtree(work, ignore_errors=True)

    report = _report(cases, load_before, started, args)
    print()
    print(report)
    if not args.no_write:
        write_section("booklet", report)
        print("Written to bench/RESULTS.md")
    return 0


def _step(text: str) -> None:
    print(f"[booklet] {text}", flush=True)


def _name(url: str, directory: str) -> str:
    return f"{urlsplit(url).path.lstrip('/') or 'bench_booklet'}_{directory}"


def _psql(url: str, sql: str) -> None:
    admin = url.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", admin, "-q", "-c", sql], check=True, capture_output=True, text=True)


def _database(database: str, directory: str, work: Path, url: str | None) -> dict[str, str]:
    env = production_env(work)
    if database == "postgresql" and url:
        name = _name(url, directory)
        _psql(url, f"DROP DATABASE IF EXISTS {name}")
        _psql(url, f"CREATE DATABASE {name}")
        env["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + name
    else:
        env["DATABASE_URL"] = f"sqlite:///{work / f'booklet-{directory}.sqlite3'}"
    _step(f"{database}, {directory}: migrate")
    manage(["migrate", "--no-input", "-v", "0"], env)
    return env


def _fill(directory: str, env: dict[str, str], organisations: int) -> None:
    if directory == "demo":
        _step("seed_demo")
        manage(["seed_demo", "-v", "0"], env)
        return
    _step(f"generate_synthetic, then {organisations:,} organisations moved into Sepang")
    manage(["load_reference", "-v", "0"], env)
    manage(["generate_synthetic", "--services", str(organisations * 3), "-v", "0"], env)
    _python(["--move", str(organisations)], env)


def _python(arguments: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *arguments],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"bench/booklet.py {arguments[0]} failed")
    return result.stdout


def _measure(case: Case, env: dict[str, str]) -> None:
    row = json.loads(_python(["--child", DISTRICT, "ms", case.paper], env).splitlines()[-1])
    case.organisations, case.pages = row["organisations"], row["pages"]
    case.seconds.append(row["seconds"])
    case.cpu_seconds.append(row["cpu_seconds"])
    _step(
        f"  {row['pages']} pages, {row['seconds']:.1f} s ({row['cpu_seconds']:.1f} s CPU), "
        f"{row['peak_mib']:.0f} MiB"
    )
    case.peak_mib.append(row["peak_mib"])


def _setup() -> None:
    import django

    django.setup()


def _child(district_code: str, language: str, paper: str) -> int:
    """One booklet in this process: render time and this process's peak memory, as JSON."""
    import resource

    _setup()
    from direktori.areas.models import Area
    from direktori.publishing.booklet import build_booklet

    cpu = time.process_time()
    booklet = build_booklet(Area.objects.get(code=district_code), language=language, paper=paper)
    cpu = time.process_time() - cpu
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": booklet.seconds,
                "cpu_seconds": cpu,
                "pages": booklet.pages,
                "organisations": booklet.organisations,
                "peak_mib": peak_kib / 1024,
                "bytes": len(booklet.pdf),
            }
        )
    )
    return 0


def _move(count: int) -> int:
    """Move `count` synthetic organisations, with their places, into Sepang's mukims and
    localities (round robin), and make every other organisation inactive."""
    _setup()
    from django.db import transaction

    from direktori.areas.models import Area
    from direktori.directory.models import Location, Organization

    sepang = Area.objects.get(code=DISTRICT)
    places = list(Area.objects.within(sepang).exclude(pk=sepang.pk).order_by("path")) or [sepang]
    ids = list(Organization.objects.order_by("id").values_list("id", flat=True)[:count])
    if len(ids) < count:
        raise SystemExit(f"Only {len(ids)} organisations were generated; {count} needed.")
    with transaction.atomic():
        Organization.objects.exclude(id__in=ids).update(status="inactive")
        for index, place in enumerate(places):
            chosen = ids[index :: len(places)]
            Organization.objects.filter(id__in=chosen).update(area=place)
            Location.objects.filter(organization_id__in=chosen).update(area=place)
    return 0


def _report(
    cases: list[Case], load: tuple[float, float, float], started: datetime, args: argparse.Namespace
) -> str:
    lines = [
        "## Booklet (`build_booklet`, bench/booklet.py)",
        "",
        f"Run {started:%Y-%m-%d %H:%M} UTC at {git_commit()}; median of {args.runs} runs, each "
        "in a fresh process (render time as the command reports it: data, layout, PDF; peak "
        f"resident memory of the process). Malay, Sepang. Target: ≤ {TARGET_SECONDS} s for 1,000 "
        "organisations.",
        "",
        *machine(load),
        "",
        "| database | directory | paper | organisations | pages | seconds (median) | runs (s) "
        "| CPU seconds (median) | peak MiB (median) |",
        "|---|---|---|---:|---:|---:|---|---:|---:|",
    ]
    for case in cases:
        directory = (
            "Sepang demo" if case.directory == "demo" else f"{args.organisations:,} in Sepang"
        )
        lines.append(
            f"| {case.database} | {directory} | {case.paper.upper()} | {case.organisations:,} | "
            f"{case.pages:,} | {statistics.median(case.seconds):.1f} | "
            f"{', '.join(f'{s:.1f}' for s in case.seconds)} | "
            f"{statistics.median(case.cpu_seconds):.1f} | "
            f"{statistics.median(case.peak_mib):.0f} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
