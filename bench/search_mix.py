"""The fixed query mix of bench/search.py, and the concurrent load generator.

The same 40 queries go to every system (our engine in-process, our API through gunicorn, the plain
FTS5 index in-process and through Datasette), in this order. They are typed the way volunteers and
officers type them: Malay and English words, typos, abbreviations, reduplication, with and without
district, state and target-group filters, near a point in Selangor, and filters without words.
Area filters are DOSM codes (10 = Selangor, 10_5 = Petaling, 10_7 = Sepang); the API is given the
code as `district=` or `state=`, which it accepts as well as the name.
"""

from __future__ import annotations

import http.client
import itertools
import math
import os
import statistics
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

# Places in Selangor, (latitude, longitude).
SALAK_TINGGI = (2.8327, 101.7430)
SHAH_ALAM = (3.0738, 101.5183)
KAJANG = (2.9935, 101.7874)
PETALING_JAYA = (3.1073, 101.6067)
KLANG = (3.0449, 101.4456)
DENGKIL = (2.8647, 101.6801)


@dataclass(frozen=True)
class MixQuery:
    kind: str
    q: str = ""
    target_group: str = ""  # a target group's code
    area: str = ""  # a DOSM code: a state ("10") or a district ("10_7")
    near: tuple[float, float] | None = None
    radius_km: float | None = None

    @property
    def label(self) -> str:
        extras = [
            f"{key}={value}"
            for key, value in (
                ("tg", self.target_group),
                ("area", self.area),
                ("near", self.near and f"{self.near[0]:.2f},{self.near[1]:.2f}"),
                ("r", self.radius_km and f"{self.radius_km:g}"),
            )
            if value
        ]
        text = f'"{self.q}"' if self.q else "(no words)"
        return text + (f" {' '.join(extras)}" if extras else "")

    def api_path(self) -> str:
        params: dict[str, str] = {}
        if self.q:
            params["q"] = self.q
        if self.near:
            params["lat"], params["lon"] = str(self.near[0]), str(self.near[1])
        if self.radius_km is not None:
            params["radius_km"] = f"{self.radius_km:g}"
        if self.target_group:
            params["target_group"] = self.target_group
        if self.area:
            params["district" if "_" in self.area else "state"] = self.area
        return "/api/v1/search?" + urllib.parse.urlencode(params)


MIX: tuple[MixQuery, ...] = (
    # Malay and English words, no filter
    MixQuery("words", "warga emas"),
    MixQuery("words", "bantuan"),
    MixQuery("words", "bakul makanan"),
    MixQuery("words", "kaunseling keluarga"),
    MixQuery("words", "taska komuniti"),
    MixQuery("words", "tempat perlindungan wanita"),
    MixQuery("words", "Pusat Aktiviti Warga Emas Klang"),
    MixQuery("words", "Klinik Kesihatan Salak"),
    MixQuery("words", "talian kasih"),
    MixQuery("english", "family counselling"),
    MixQuery("english", "women's shelter"),
    MixQuery("english", "legal advice"),
    MixQuery("english", "home visits to older people"),
    # typos
    MixQuery("typo", "kaunseling keluaga"),
    MixQuery("typo", "warga emsa"),
    MixQuery("typo", "klinik kesihatn salak"),
    MixQuery("typo", "tempat perlidungan"),
    # abbreviations
    MixQuery("abbreviation", "org tua kg labu"),
    MixQuery("abbreviation", "jkm sepang"),
    MixQuery("abbreviation", "pdk"),
    MixQuery("abbreviation", "oku"),
    MixQuery("abbreviation", "pawe pj"),
    # reduplication
    MixQuery("reduplication", "kanak2 oku"),
    MixQuery("reduplication", "budak-budak terbiar"),
    MixQuery("reduplication", "kanak-kanak"),
    # Malay and English in one query
    MixQuery("mixed", "help for battered wife"),
    MixQuery("mixed", "domestic violence helpline"),
    MixQuery("mixed", "ziarah elderly"),
    # words with filters
    MixQuery("filtered", "bantuan", area="10_7"),
    MixQuery("filtered", "kaunseling", target_group="family", area="10"),
    MixQuery("filtered", "food", target_group="elderly", area="10_5"),
    MixQuery("filtered", "pemulihan", target_group="children"),
    # near me, with words
    MixQuery("near", "klinik", near=SALAK_TINGGI, radius_km=10),
    MixQuery("near", "warga emas", near=SHAH_ALAM),
    MixQuery("near", "shelter", near=KAJANG, radius_km=25),
    MixQuery("near", "bantuan makanan", near=DENGKIL, radius_km=5),
    # no words: filters only, near me
    MixQuery("no words", target_group="elderly", area="10_7"),
    MixQuery("no words", target_group="children", area="10"),
    MixQuery("no words", near=PETALING_JAYA, radius_km=5),
    MixQuery("no words", target_group="disability", near=KLANG),
)


# Concurrent load


@dataclass
class Load:
    system: str
    database: str
    clients: int
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    load_average: float = 0.0  # of the machine over the last minute, when the level ended
    server_cpu_seconds: float = 0.0  # the server's processes' CPU time over the level

    @property
    def cpu_ms_per_request(self) -> float:
        """What a request cost the server in CPU: unlike requests/s, not shared with the rest of
        the machine (other work, the clients)."""
        return self.server_cpu_seconds * 1000 / self.requests if self.requests else 0.0

    @property
    def requests(self) -> int:
        return len(self.latencies_ms) + self.errors

    @property
    def throughput(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (share 0.95 = p95); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = min(len(ordered), max(1, math.ceil(share * len(ordered))))
    return ordered[rank - 1]


def summary(values: list[float]) -> tuple[float, float, float]:
    """Median, p95 and maximum, in the unit given."""
    if not values:
        return 0.0, 0.0, 0.0
    return statistics.median(values), percentile(values, 0.95), max(values)


def get(host: str, port: int, path: str, timeout: float = 60) -> tuple[int, bytes]:
    """One request on a new connection, as a browser's first request would be."""
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Accept": "application/json"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def run_load(
    load: Load,
    host: str,
    port: int,
    paths: list[str],
    seconds: float,
    warm_up: bool = True,
    server_pid: int = 0,
) -> Load:
    """`load.clients` threads send the paths in turn, each on a new connection, for `seconds`;
    a request counts when its answer is 200 and fully read. With `warm_up`, every path is asked
    once first, untimed. With `server_pid`, the CPU time of that process tree during the level."""
    if warm_up:
        for path in paths:
            get(host, port, path)
    cpu_before = process_tree_cpu(server_pid) if server_pid else 0.0
    turn = itertools.count()
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client() -> None:
        while time.perf_counter() < deadline:
            path = paths[next(turn) % len(paths)]
            started = time.perf_counter()
            try:
                status, _ = get(host, port, path)
                problem = "" if status == 200 else f"HTTP {status} for {path}"
            except (OSError, http.client.HTTPException) as error:
                problem = f"{error.__class__.__name__} for {path}: {error}"
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if problem:
                    load.errors += 1
                    if len(load.error_samples) < 5:
                        load.error_samples.append(problem)
                else:
                    load.latencies_ms.append(elapsed)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(load.clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    load.seconds = time.perf_counter() - started
    load.load_average = os.getloadavg()[0]
    if server_pid:
        load.server_cpu_seconds = process_tree_cpu(server_pid) - cpu_before
    return load


def process_tree_cpu(pid: int) -> float:
    """CPU seconds (user and system) of a process and its descendants (gunicorn's workers), from
    /proc; 0 where /proc is not there."""
    tick = os.sysconf("SC_CLK_TCK")
    pending, total = [pid], 0.0
    while pending:
        current = pending.pop()
        try:
            stat = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total += (int(stat[11]) + int(stat[12])) / tick
        pending += [int(child) for child in children]
    return total
