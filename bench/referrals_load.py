"""`make bench` (referrals): 50 CBO members submit referrals through `POST /api/v1/referrals` for 60
seconds at once, against gunicorn started as `make serve` starts it, on SQLite and on PostgreSQL.

For each database: a fresh database prepared as `make serve` does (migrate, load_reference,
collectstatic), 50 CBO member accounts of a Sepang CBO with API tokens and one district officer
with an email address in each of the four districts the referrals go to; gunicorn (2 workers) on
a free port; 50 client threads, each submitting referrals one after another with a new
client_token each, and deliberately repeating some: every 10th referral is sent again after its
answer (a retry after a lost answer), every 25th is sent twice at the same moment (a double tap).
Each accepted referral notifies its district's officer by email in the request, after commit,
through a local SMTP server that accepts and counts the messages. Then the database is read back:
zero errors, every accepted referral (200 or 201 with an id) present exactly once with the id it
was answered with, exactly one 201 per client_token, no referral that no answer accepted, each
with its `submit` event and its audit event. Figures go to bench/RESULTS.md ("referrals-load").
"""

from __future__ import annotations

import argparse
import random
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
    latency_ms,
    payload,
    prepare,
    run,
    step,
    submit,
    verify,
)
from serving import free_port, start_gunicorn, stop, wait_until_up

RETRY_EVERY = 10
DOUBLE_TAP_EVERY = 25


@dataclass
class Figures:
    database: str
    seconds: float = 0.0
    answers: list[Answer] = field(default_factory=list)
    emails: int = 0
    referrals: int = 0
    problems: list[str] = field(default_factory=list)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--no-write", action="store_true", help="print only, keep RESULTS.md")
    args = parser.parse_args()
    return run(
        section="referrals-load",
        databases=args.databases,
        write=not args.no_write,
        bench=partial(_bench, clients=args.clients, seconds=args.seconds),
        report=partial(_report, clients=args.clients, seconds=args.seconds),
    )


def _bench(database: str, work: Path, *, clients: int, seconds: float) -> Figures:
    figures = Figures(database)
    mail = MailSink()
    step(f"{database}: a fresh database, as `make serve` prepares it")
    env = prepare(database, work, mail.port)
    step(f"{database}: {clients} CBO member accounts with API tokens")
    tokens = accounts(env, clients)
    port = free_port()
    server = start_gunicorn(port, env, work)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", server)
        warm_up = Log()  # each worker's first requests load the code: not timed, but checked
        _run_clients(port, tokens[:4], 2, warm_up)
        step(f"{database}: {clients} clients submit for {seconds:.0f} s")
        log = Log()
        emails_before = mail.messages
        started = time.perf_counter()
        _run_clients(port, tokens, seconds, log)
        figures.seconds = time.perf_counter() - started
        figures.answers = log.answers
        figures.emails = mail.messages - emails_before
    finally:
        stop(server)
        mail.shutdown()
    step(f"{database}: reading the database back")
    rows = database_rows(env)
    everything = warm_up.answers + figures.answers
    verdict = verify(everything, rows)
    figures.referrals = verdict.referrals - len({a.token for a in warm_up.answers})
    figures.problems = verdict.problems + _one_new_per_token(everything)
    errors = [answer for answer in everything if not answer.referral_id]
    if errors:
        kinds = Counter(answer.error.split(":")[0] for answer in errors)
        figures.problems.append(f"{len(errors)} errors: {dict(kinds)}")
    return figures


def _run_clients(port: int, keys: list[str], seconds: float, log: Log) -> None:
    stop_at = time.monotonic() + seconds

    def client(index: int, key: str) -> None:
        rng = random.Random(index)
        count = 0
        while time.monotonic() < stop_at:
            count += 1
            token = str(uuid.uuid4())
            body = payload(rng, token)
            if count % DOUBLE_TAP_EVERY == 0:
                twin = threading.Thread(
                    target=_submit_into, args=(log, port, index, key, token, body)
                )
                twin.start()
                log.add(submit(port, index, key, token, body))
                twin.join()
                continue
            log.add(submit(port, index, key, token, body))
            if count % RETRY_EVERY == 0:
                log.add(submit(port, index, key, token, body))

    threads = [
        threading.Thread(target=client, args=(index, key), daemon=True)
        for index, key in enumerate(keys)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _submit_into(log: Log, port: int, index: int, key: str, token: str, body: bytes) -> None:
    log.add(submit(port, index, key, token, body))


def _one_new_per_token(answers: list[Answer]) -> list[str]:
    created = Counter(answer.token for answer in answers if answer.status == 201)
    tokens = {answer.token for answer in answers if answer.referral_id}
    wrong = [token for token in tokens if created[token] != 1]
    return [f"{len(wrong)} client_tokens without exactly one 201"] if wrong else []


def _report(results: list[Figures], load_before: Load, *, clients: int, seconds: float) -> str:
    lines = [
        *header("Referrals under load (bench/referrals_load.py)", load_before),
        f"- server: gunicorn as `make serve` starts it (`config.wsgi`, 2 workers, `DJANGO_DEBUG` "
        f"off), on a database prepared as `make serve` prepares it; clients: {clients} threads "
        "of one Python process on the same machine, one connection per request",
        f"- load: {clients} CBO members (API tokens) submit referrals one after another for "
        f"{seconds:.0f} s, each with a new `client_token`; every {RETRY_EVERY}th is sent again "
        f"after its answer, every {DOUBLE_TAP_EVERY}th twice at the same moment. Each accepted "
        "referral emails its district's officer after commit, in the request, through a local "
        "SMTP server that accepts every message. The hourly per-account limit is off "
        "(`DIREKTORI_REFERRAL_SUBMISSIONS_PER_HOUR=0`): 30 an hour would stop each client "
        "within seconds. Before the timed minute, 4 clients submit for 2 s to load each "
        "worker's code (checked with the rest, not counted in the table)",
        "",
        "| database | requests | new (201) | repeats (200) | errors | requests/s | new/s "
        "| p50 ms | p95 ms | p99 ms | max ms | referrals in the database | emails |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for figures in results:
        answers = figures.answers
        statuses = Counter(answer.status for answer in answers)
        errors = sum(1 for answer in answers if not answer.referral_id)
        latency = latency_ms(answers)
        elapsed = figures.seconds or 1.0
        lines.append(
            f"| {figures.database} | {len(answers):,} | {statuses[201]:,} | {statuses[200]:,} "
            f"| {errors} | {len(answers) / elapsed:.1f} | {statuses[201] / elapsed:.1f} "
            f"| {latency['p50']:.0f} | {latency['p95']:.0f} | {latency['p99']:.0f} "
            f"| {latency['max']:.0f} | {figures.referrals:,} | {figures.emails:,} |"
        )
    lines += [
        "",
        f"With {clients} clients and 2 synchronous workers, a request mostly waits in gunicorn's "
        f"queue: by Little's law the latency is about {clients} ÷ requests/s, and each request "
        "takes about 2 ÷ requests/s of a worker's time ("
        + ", ".join(
            f"{figures.database} {2000 * figures.seconds / max(len(figures.answers), 1):.0f} ms"
            for figures in results
        )
        + "), the notification's email included; the clients share the machine's CPUs.",
    ]
    lines += checks(
        results,
        "every accepted referral present exactly once with the id it was answered with and by "
        "its sender; one 201 per `client_token`, repeats answered 200 with the same id; no "
        "referral that no answer accepted; each with one `submit` event and one audit event",
    )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
