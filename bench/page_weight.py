"""Page weight and server response time of the public pages, measured against a running server.

Page weight: Debian's chromium (driven by Playwright) opens each page in a fresh browser context, so
the cache is empty and nothing is shared between pages, like a first visit. Every response is
recorded through the Chrome DevTools Protocol:

- ``transfer`` is ``Network.loadingFinished.encodedDataLength``: the bytes that actually came over
  the connection for that request, compressed body *and* response headers. It is what DevTools
  calls "transferred" and what a visitor pays for on mobile data, so the budget is checked on it.
  (``Content-Length`` alone would leave out the headers, and is missing for chunked responses.)
- ``body`` is the ``Content-Length`` of the (compressed) body when the server sent one (else the
  transfer size): it tells the content from the headers.

Compression is whatever the browser and the server agree on, as for a visitor: Chromium offers
``gzip, deflate, br, zstd`` to 127.0.0.1 (a secure context), so WhiteNoise sends the stylesheet and
scripts as the ``.br`` files ``collectstatic`` wrote, Django's GZipMiddleware gzips the HTML, and
fonts (WOFF2, compressed already) go as they are. The report records the ``Accept-Encoding`` sent.

Server response time: ``urllib`` requests one page at a time with ``Accept-Encoding: gzip``, after
a few warm-up requests, and times each from sending the request to having read the whole body.
"""

from __future__ import annotations

import statistics
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The resource types that count against the page-weight budget (CDP Network.ResourceType).
BUDGET_TYPES = ("Document", "Stylesheet", "Script", "Font")

# One place says how chromium starts, for the browser tests and this benchmark alike.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.browser.chromium import CHROMIUM_ARGS as CHROMIUM_ARGS  # noqa: E402


@dataclass
class Resource:
    url: str
    kind: str = "Other"
    status: int = 0
    encoding: str = ""
    content_length: int | None = None
    transfer: int = 0
    finished: bool = False
    failed: str = ""

    @property
    def body(self) -> int:
        return self.content_length if self.content_length is not None else self.transfer


@dataclass
class PageWeight:
    label: str
    url: str
    status: int = 0
    resources: list[Resource] = field(default_factory=list)
    accept_encoding: str = ""

    def transfer(self, *kinds: str) -> int:
        kinds = kinds or BUDGET_TYPES
        return sum(r.transfer for r in self.resources if r.kind in kinds)

    def body(self, *kinds: str) -> int:
        kinds = kinds or BUDGET_TYPES
        return sum(r.body for r in self.resources if r.kind in kinds)

    @property
    def other_transfer(self) -> int:
        return sum(r.transfer for r in self.resources if r.kind not in BUDGET_TYPES)

    @property
    def problems(self) -> list[str]:
        found = [f"{r.url}: {r.failed}" for r in self.resources if r.failed]
        found += [f"{r.url}: HTTP {r.status}" for r in self.resources if r.status >= 400]
        found += [
            f"{r.url}: sent uncompressed ({r.body} bytes)"
            for r in self.resources
            if r.kind in ("Document", "Stylesheet", "Script") and not r.encoding and r.body > 1024
        ]
        return found


def measure_page_weight(browser: Any, label: str, url: str) -> PageWeight:
    """Open `url` in a fresh context (empty cache) and record what every response weighed."""
    context = browser.new_context()
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        resources: dict[str, Resource] = {}
        sent_encodings: dict[str, str] = {}

        def resource(event: dict[str, Any]) -> Resource:
            return resources.setdefault(event["requestId"], Resource(url=""))

        def on_request(event: dict[str, Any]) -> None:
            item = resource(event)
            item.url = event["request"]["url"]
            item.kind = event.get("type", item.kind)

        def on_extra_info(event: dict[str, Any]) -> None:
            # The headers really sent (Accept-Encoding is added below the page's own request).
            for key, value in event.get("headers", {}).items():
                if key.lower() == "accept-encoding":
                    sent_encodings[event["requestId"]] = value

        def on_response(event: dict[str, Any]) -> None:
            item = resource(event)
            response = event["response"]
            headers = {key.lower(): value for key, value in response["headers"].items()}
            item.url = response["url"]
            item.kind = event.get("type", item.kind)
            item.status = int(response["status"])
            item.encoding = headers.get("content-encoding", "")
            length = headers.get("content-length")
            item.content_length = int(length) if length and length.isdigit() else None

        def on_finished(event: dict[str, Any]) -> None:
            item = resource(event)
            item.transfer = int(event["encodedDataLength"])
            item.finished = True

        def on_failed(event: dict[str, Any]) -> None:
            resource(event).failed = event.get("errorText", "failed")

        cdp.on("Network.requestWillBeSent", on_request)
        cdp.on("Network.requestWillBeSentExtraInfo", on_extra_info)
        cdp.on("Network.responseReceived", on_response)
        cdp.on("Network.loadingFinished", on_finished)
        cdp.on("Network.loadingFailed", on_failed)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})

        response = page.goto(url, wait_until="networkidle")
        page.evaluate("() => document.fonts.ready.then(() => true)")
        page.wait_for_timeout(300)
        result = PageWeight(label=label, url=url, status=response.status if response else 0)
        result.resources = [r for r in resources.values() if r.url.startswith("http")]
        documents = [key for key, r in resources.items() if r.kind == "Document"]
        result.accept_encoding = sent_encodings.get(documents[0], "") if documents else ""
        return result
    finally:
        context.close()


@dataclass
class Timing:
    label: str
    url: str
    samples_ms: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p90(self) -> float:
        ordered = sorted(self.samples_ms)
        return ordered[max(0, round(0.9 * len(ordered)) - 1)]

    @property
    def fastest(self) -> float:
        return min(self.samples_ms)


def time_server(label: str, url: str, *, requests: int = 20, warm_up: int = 3) -> Timing:
    """Median time of `requests` sequential GETs (request sent → whole body read), after warm-up."""

    def once() -> float:
        # Only ever our own http://127.0.0.1 server (run.py), never a file: or other scheme.
        request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})  # noqa: S310
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{url} answered {response.status}")
        return (time.perf_counter() - started) * 1000

    for _ in range(warm_up):
        once()
    return Timing(label=label, url=url, samples_ms=[once() for _ in range(requests)])
