"""PDFs from ordinary Django templates, with WeasyPrint (DESIGN §3: core holds the PDF renderer).

A PDF never fetches anything from the network: the fetcher accepts `data:` URLs (QR codes,
images inlined by the template) and files inside the project's own source tree, and refuses
everything else, so no URL in a template or in data can make the server call out or read a file
of the machine. Fonts come from the system (fontconfig): templates name "DejaVu Sans".

WeasyPrint takes most of a second to load: import this module where a PDF is made, not at the
top of a views module.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from weasyprint import HTML
from weasyprint.urls import URLFetcher

#: Where `file:` URLs may point: the project's own source (templates, static files).
LOCAL_ROOT = Path(settings.BASE_DIR).resolve() / "direktori"


class FetchRefused(ValueError):
    pass


class LocalURLFetcher(URLFetcher):
    """`data:` URLs, and `file:` URLs under LOCAL_ROOT; no network, no redirects."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)

    def fetch(self, url: str, headers: Any = None) -> Any:
        parts = urlsplit(url)
        if parts.scheme not in ("data", "file"):
            raise FetchRefused(f"Not fetched (no network): {url[:80]}")
        if parts.scheme == "file" and not Path(unquote(parts.path)).resolve().is_relative_to(
            LOCAL_ROOT
        ):
            raise FetchRefused(f"Not fetched (outside the project): {url[:80]}")
        return super().fetch(url, headers)


def html_to_pdf(html: str) -> bytes:
    document = HTML(string=html, base_url=LOCAL_ROOT.as_uri() + "/", url_fetcher=LocalURLFetcher())
    return bytes(document.write_pdf())
