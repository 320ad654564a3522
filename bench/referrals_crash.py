"""`make bench` (referrals, crash): the server is killed (SIGKILL, master and workers) while CBO
members submit referrals, and restarted; no accepted referral is lost, none is made twice, none is
half-saved. On SQLite and on PostgreSQL.

For each database: a fresh database prepared as `make serve` does, 20 CBO member accounts with API
tokens, gunicorn started as `make serve` starts it. 20 client threads submit referrals one after
another through `POST /api/v1/referrals`, each with a new client_token, and behave as the referral
form's script does: a submission without an answer (connection refused or reset by the crash) is
sent again, with the same client_token, until it is answered. Three times, at a random moment
2–4 s into the load, the whole server (its process group) gets SIGKILL mid-request, and is started
again a second later on the same port. Afterwards the database is read back: every submission
answered 200/201 is present exactly once with the id it was answered with and by its sender; every
answer for one client_token gave the same id; no referral exists that no answer accepted; every
referral is whole (reference, status, target, district, exactly one `submit` event and no other,
one audit event); on SQLite, `PRAGMA integrity_check` says ok. Submissions cut by a crash after
their transaction committed show up as a retry answered 200 (found again, not made twice).
Figures go to bench/RESULTS.md ("referrals-crash").
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from referral_bench import (
    Answer,
    Load,
    Log,
    MailSink,
    accounts,
    checks,
    database_rows,
    header,
    payload,
    prepare,
    run,
    step,
    submit,
    verify,
)
from serving import free_port, manage, start_gunicorn, stop, wait_until_up

INTEGRITY = """
from django.db import connection
with connection.cursor() as cursor:
    if connection.vendor == "sqlite":
        cursor.execute("PRAGMA integrity_check")
        print(cursor.fetchone()[0])
    else:
        print("—")  # PostgreSQL: its own write-ahead log; no such check
"""


@dataclass
class Figures:
    database: str
    kills: int = 0
    answers: list[Answer] = field(default_factory=list)
    referrals: int = 0
    integrity: str = ""
    problems: list[str] = field(default_factory=list)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-write", action="store_true", help="print only, keep RESULTS.md")
    args = parser.parse_args()
    return run(
        section="referrals-crash",
        databases=args.databases,
        write=not args.no_write,
        bench=partial(_bench, clients=args.clients, kills=args.kills, seed=args.seed),
        report=partial(_report, clients=args.clients, kills=args.kills),
    )


def _kill(server: subprocess.Popen[bytes]) -> None:
    """SIGKILL to the gunicorn master and its workers at once (its own process group): a crash,
    not a shutdown."""
    os.killpg(server.pid, signal.SIGKILL)
    server.wait()


def _bench(database: str, work: Path, *, clients: int, kills: int, seed: int) -> Figures:
    figures = Figures(database)
    rng = random.Random(seed)
    mail = MailSink()
    step(f"{database}: a fresh database, as `make serve` prepares it")
    env = prepare(database, work, mail.port)
    keys = accounts(env, clients)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(port, env, work)
    wait_until_up(base + "/healthz", server)
    log = Log()
    stopping = threading.Event()
    threads = [
        threading.Thread(target=_client, args=(port, index, key, log, stopping), daemon=True)
        for index, key in enumerate(keys)
    ]
    try:
        for thread in threads:
            thread.start()
        for number in range(1, kills + 1):
            time.sleep(rng.uniform(2, 4))
            step(f"{database}: SIGKILL {number} of {kills}, mid-request")
            _kill(server)
            figures.kills += 1
            time.sleep(1)
            server = start_gunicorn(port, env, work)
            wait_until_up(base + "/healthz", server)
        time.sleep(3)
        stopping.set()  # each client stops once its last submission is answered
        for thread in threads:
            thread.join(timeout=120)
    finally:
        stop(server)
        mail.shutdown()
    figures.answers = log.answers
    rows = database_rows(env)
    figures.integrity = manage(["shell", "-c", INTEGRITY], env).strip().splitlines()[-1]
    verdict = verify(figures.answers, rows)
    figures.referrals = verdict.referrals
    figures.problems = verdict.problems
    if database == "sqlite" and figures.integrity != "ok":
        figures.problems.append(f"integrity_check: {figures.integrity}")
    if any(thread.is_alive() for thread in threads):
        figures.problems.append("a client still had no answer after 2 minutes")
    return figures


def _client(port: int, index: int, key: str, log: Log, stopping: threading.Event) -> None:
    """Submits one referral after another; one without an answer is sent again with the same
    client_token until it is answered (what referral_form.js does)."""
    rng = random.Random(index)
    token, body = "", b""
    while True:
        if not token:
            if stopping.is_set():
                return
            token = str(uuid.uuid4())
            body = payload(rng, token)
        answer = submit(port, index, key, token, body, timeout=15)
        log.add(answer)
        if answer.referral_id:
            token = ""
        else:
            time.sleep(0.2)  # the server is down or restarting


def _report(results: list[Figures], load_before: Load, *, clients: int, kills: int) -> str:
    lines = [
        *header("Referrals when the server is killed (bench/referrals_crash.py)", load_before),
        "- server: gunicorn as `make serve` starts it (2 workers), on a database prepared as "
        "`make serve` prepares it (SQLite in WAL mode with `synchronous=NORMAL`, or PostgreSQL)",
        f"- {clients} CBO members submit through the API without pause; {kills} times the whole "
        "server gets SIGKILL 2–4 s into the load, mid-request, and is started again 1 s later on "
        "the same port. A submission without an answer is sent again with its `client_token` "
        "until answered (as the referral form's script does)",
        "",
        "| database | kills | requests | answered 201 | answered 200 "
        "| no answer (server down or killed) | answers lost after commit, found by the retry "
        "(200) | referrals in the database | SQLite integrity |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for figures in results:
        statuses = Counter(answer.status for answer in figures.answers)
        cut = {answer.token for answer in figures.answers if answer.status == 0}
        found_again = {
            answer.token
            for answer in figures.answers
            if answer.status == 200 and answer.token in cut
        }
        others = sum(n for status, n in statuses.items() if status not in (0, 200, 201))
        lines.append(
            f"| {figures.database} | {figures.kills} | {len(figures.answers):,} "
            f"| {statuses[201]:,} | {statuses[200]:,} | {statuses[0]:,}"
            f"{f' (+{others} other)' if others else ''} | {len(found_again)} "
            f"| {figures.referrals:,} | {figures.integrity} |"
        )
    lines += checks(
        results,
        "every answered submission present exactly once with the id it was answered with and "
        "by its sender; no referral that no answer accepted; none half-saved (each has its "
        "reference, status, target and district, one `submit` event and no other, one audit "
        "event)",
    )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
