"""What the referral load test (referrals_load.py) and crash test (referrals_crash.py) share: a
fresh database prepared as `make serve` does, CBO member accounts with API tokens, a mail server
that accepts and counts the officers' notifications, the client that submits referrals, and the
check of the database afterwards."""

from __future__ import annotations

import datetime
import http.client
import json
import os
import random
import shutil
import socketserver
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from hsds import POSTGRES_ADMIN_URL, _drop_postgres, _recreate_postgres
from results import write_section
from serving import git_commit, machine, manage, production_env

PG_DATABASE = "bench_referrals"
#: Districts the referrals go to (DOSM codes): Sepang, Petaling, Johor Bahru, Kota Bharu.
DISTRICTS = ("10_7", "10_5", "1_2", "3_3")
GROUPS = ("children", "disability", "elderly", "domestic_violence", "other")
URGENCIES = ("immediate", "urgent", "routine")


# The database, prepared as `make serve` prepares it ---------------------------------------------


def prepare(database: str, work: Path, smtp_port: int) -> dict[str, str]:
    """A fresh database (SQLite in `work`, or PostgreSQL `bench_referrals`), migrated, with the
    reference data and static files, as `make serve` does; the environment to serve it with.
    The hourly submission limit is off: 50 clients submit for a minute on purpose."""
    env = production_env(work)
    if database == "postgresql":
        _recreate_postgres(PG_DATABASE)
        env["DATABASE_URL"] = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + PG_DATABASE
    else:
        sqlite = work / "referrals.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite}{suffix}").unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{sqlite}"
    env.update(
        DIREKTORI_DEMO="0",
        DIREKTORI_REFERRAL_SUBMISSIONS_PER_HOUR="0",
        DIREKTORI_SMTP_HOST="127.0.0.1",
        DIREKTORI_SMTP_PORT=str(smtp_port),
        DIREKTORI_SMTP_TLS="0",
    )
    manage(["migrate", "--no-input", "-v", "0"], env)
    manage(["load_reference", "-v", "0"], env)
    manage(["collectstatic", "--no-input", "-v", "0"], env)
    return env


def finish(database: str) -> None:
    if database == "postgresql":
        _drop_postgres(PG_DATABASE)


ACCOUNTS = """
import datetime, json
from direktori.accounts.models import ApiToken, Role
from direktori.accounts.services import user_create
from direktori.areas.models import Area
from direktori.directory.models import Organization

sepang = Area.objects.get(code="10_7")
cbo = Organization.objects.create(
    kind=Organization.Kind.CBO, name="CBO Ujian Beban", area=sepang, is_demo=True
)
tokens = []
for number in range({count}):
    user = user_create(
        username=f"beban-{{number:03d}}", role=Role.CBO_MEMBER, area=sepang, organisation=cbo
    )
    _token, key = ApiToken.issue(
        user=user, lifetime=datetime.timedelta(hours=3), verified_second_factor=False
    )
    tokens.append(key)
for code in {districts!r}:
    user_create(
        username=f"pegawai-{{code}}", role=Role.DISTRICT_OFFICER,
        area=Area.objects.get(code=code), email=f"pegawai.{{code}}@contoh.invalid",
    )
print(json.dumps(tokens))
"""


def accounts(env: dict[str, str], count: int) -> list[str]:
    """`count` CBO members of a Sepang CBO, each with an API token (no password: the tokens are
    issued directly, as after `POST /api/v1/auth/token`), and one district officer with an email
    address in each district the referrals go to, who is notified of each."""
    output = manage(["shell", "-c", ACCOUNTS.format(count=count, districts=DISTRICTS)], env)
    tokens: list[str] = json.loads(output.strip().splitlines()[-1])
    return tokens


CHECK = """
import json
from django.db.models import Count, Q
from direktori.audit.models import Action, AuditEvent
from direktori.referrals.models import Referral

created = dict(
    AuditEvent.objects.filter(object_type="referrals.referral", action=Action.RECORD_CREATED)
    .values_list("object_id").annotate(n=Count("pk")).values_list("object_id", "n")
)
rows = []
for r in Referral.objects.annotate(
    submits=Count("events", filter=Q(events__action="submit")), events_n=Count("events")
).values("id", "client_token", "reporter__username", "reference", "status", "due_at",
         "district_id", "assigned_office_id", "submits", "events_n"):
    rows.append({
        "id": str(r["id"]), "token": str(r["client_token"]), "reporter": r["reporter__username"],
        "whole": bool(r["reference"]) and r["status"] == "submitted" and r["due_at"] is not None
        and r["district_id"] is not None and r["assigned_office_id"] == r["district_id"]
        and r["submits"] == 1 and r["events_n"] == 1 and created.get(str(r["id"]), 0) == 1,
    })
print(json.dumps(rows))
"""


def database_rows(env: dict[str, str]) -> list[dict[str, Any]]:
    """Every referral with its token, and whether it is whole: a reference, submitted, a target,
    routed to its district, exactly one `submit` event (and no other) and one audit event."""
    output = manage(["shell", "-c", CHECK], env)
    rows: list[dict[str, Any]] = json.loads(output.strip().splitlines()[-1])
    return rows


# The mail server the officers' notifications go to ---------------------------------------------


class _SmtpHandler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        server: MailSink = self.server  # type: ignore[assignment]
        self.wfile.write(b"220 sink\r\n")
        in_data = False
        for line in self.rfile:
            if in_data:
                if line.rstrip(b"\r\n") == b".":
                    in_data = False
                    server.count()
                    self.wfile.write(b"250 queued\r\n")
                continue
            verb = line[:4].upper()
            if verb == b"EHLO":
                self.wfile.write(b"250-sink\r\n250 8BITMIME\r\n")
            elif verb == b"DATA":
                in_data = True
                self.wfile.write(b"354 go on\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:  # HELO, MAIL, RCPT, RSET, NOOP
                self.wfile.write(b"250 ok\r\n")


class MailSink(socketserver.ThreadingTCPServer):
    """Accepts every message over plain SMTP and counts it: the notifications are sent, in the
    request, as in production, without a real mail server."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SmtpHandler)
        self.messages = 0
        self._lock = threading.Lock()
        self.port = int(self.server_address[1])
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def count(self) -> None:
        with self._lock:
            self.messages += 1


# Submitting -------------------------------------------------------------------------------------


@dataclass
class Answer:
    client: int  # which account sent it: `beban-<client>`
    token: str
    status: int  # 0: no answer (connection refused, reset, timed out)
    seconds: float
    referral_id: str = ""
    error: str = ""


@dataclass
class Log:
    """Every answer of a run, from every client thread."""

    answers: list[Answer] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, answer: Answer) -> None:
        with self.lock:
            self.answers.append(answer)


def payload(rng: random.Random, token: str) -> bytes:
    group = rng.choice(GROUPS)
    body = {
        "target_group": group,
        "district": rng.choice(DISTRICTS),
        "urgency": rng.choice(URGENCIES),
        "summary": "Ujian beban: orang yang memerlukan bantuan dilihat oleh ahli CBO.",
        "consent": {"given": True, "by": rng.choice(["subject", "guardian"])},
        "subject": {"name_or_description": "Orang ujian", "age": rng.randint(0, 95)},
        "client_token": token,
    }
    return json.dumps(body).encode()


def submit(
    port: int, client: int, key: str, token: str, body: bytes, timeout: float = 60
) -> Answer:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(
            "POST",
            "/api/v1/referrals",
            body=body,
            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        )
        response = connection.getresponse()
        data = response.read()
        seconds = time.perf_counter() - started
        referral_id = ""
        if response.status in (200, 201):
            referral_id = str(json.loads(data)["id"])
        error = "" if referral_id else f"HTTP {response.status}: {data[:200]!r}"
        return Answer(client, token, response.status, seconds, referral_id, error)
    except (OSError, http.client.HTTPException) as error:
        return Answer(client, token, 0, time.perf_counter() - started, error=type(error).__name__)
    finally:
        connection.close()


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def latency_ms(answers: list[Answer]) -> dict[str, float]:
    samples = [answer.seconds * 1000 for answer in answers]
    return {
        "p50": percentile(samples, 0.50),
        "p95": percentile(samples, 0.95),
        "p99": percentile(samples, 0.99),
        "max": max(samples, default=0.0),
        "mean": statistics.fmean(samples) if samples else 0.0,
    }


# Checking ---------------------------------------------------------------------------------------


@dataclass
class Verdict:
    accepted_tokens: int
    referrals: int
    problems: list[str]


def verify(answers: list[Answer], rows: list[dict[str, Any]]) -> Verdict:
    """Every accepted submission (200 or 201 with an id) is in the database exactly once, under
    its token, with the id it was answered with; every answer for one token gave the same id; no
    referral exists that no answer accepted; every referral is whole."""
    problems: list[str] = []
    answered: dict[str, str] = {}
    sender = {answer.token: f"beban-{answer.client:03d}" for answer in answers}
    for answer in answers:
        if not answer.referral_id:
            continue
        earlier = answered.setdefault(answer.token, answer.referral_id)
        if earlier != answer.referral_id:
            problems.append(f"token {answer.token}: ids {earlier} and {answer.referral_id}")
    by_token: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_token.setdefault(row["token"], []).append(row)
    for token, referral_id in answered.items():
        found = by_token.get(token, [])
        if len(found) != 1:
            problems.append(f"token {token}: {len(found)} referrals in the database")
        elif found[0]["id"] != referral_id:
            problems.append(f"token {token}: answered {referral_id}, stored {found[0]['id']}")
        elif found[0]["reporter"] != sender[token]:
            problems.append(f"token {token}: reported by {found[0]['reporter']}")
    unanswered = [row for row in rows if row["token"] not in answered]
    if unanswered:
        problems.append(f"{len(unanswered)} referrals in the database that no answer accepted")
    broken = [row["id"] for row in rows if not row["whole"]]
    if broken:
        problems.append(f"{len(broken)} half-saved referrals, e.g. {broken[:3]}")
    return Verdict(accepted_tokens=len(answered), referrals=len(rows), problems=problems)


# Running and reporting --------------------------------------------------------------------------


class Figures(Protocol):
    database: str
    problems: list[str]


Load = tuple[float, float, float]


def step(text: str) -> None:
    print(f"==> {text}", flush=True)


def run[F: Figures](
    *,
    section: str,
    databases: str,
    write: bool,
    bench: Callable[[str, Path], F],
    report: Callable[[list[F], Load], str],
) -> int:
    """`bench` each database in a temporary folder, print the report, write it to RESULTS.md
    under `section` unless told not to; exit status 1 when a check failed."""
    load_before = os.getloadavg()
    work = Path(tempfile.mkdtemp(prefix=f"direktori-bench-{section}-"))
    results: list[F] = []
    try:
        for database in databases.split(","):
            figures = bench(database, work)
            for problem in figures.problems:
                print(f"    PROBLEM: {problem}", flush=True)
            finish(database)
            results.append(figures)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = report(results, load_before)
    print()
    print(text)
    if write:
        write_section(section, text)
        print("Written to bench/RESULTS.md")
    return 1 if any(figures.problems for figures in results) else 0


def header(title: str, load_before: Load) -> list[str]:
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return [
        f"## {title}",
        "",
        f"Measured on {now}.",
        "",
        f"- git commit: `{git_commit()}`",
        *machine(load_before),
    ]


def checks[F: Figures](results: list[F], passed: str) -> list[str]:
    lines = ["", "Checks, read back from the database after each run:", ""]
    for figures in results:
        verdict = (
            f"{passed}: **passed**"
            if not figures.problems
            else "**FAILED**: " + "; ".join(figures.problems)
        )
        lines.append(f"- {figures.database}: {verdict}.")
    return lines
