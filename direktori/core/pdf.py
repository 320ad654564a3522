"""PDFs from ordinary Django templates, with WeasyPrint (DESIGN §3: core holds the PDF renderer).

A PDF never fetches anything from the network: the fetcher accepts `data:` URLs (QR codes,
images inlined by the template) and files inside the project's own source tree, and refuses
everything else, so no URL in a template or in data can make the server call out or read a file
of the machine. Fonts come from the system (fontconfig): templates name "DejaVu Sans".

WeasyPrint takes most of a second to load: import this module where a PDF is made, not at the
top of a views module.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

import cssselect2
from django.conf import settings
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

#: Where `file:` URLs may point: the project's own source (templates, static files).
LOCAL_ROOT = Path(settings.BASE_DIR).resolve() / "direktori"
#: Relative URLs in a PDF's template (its stylesheets) are read from LOCAL_ROOT.
BASE_URL = LOCAL_ROOT.as_uri() + "/"


class FetchRefused(ValueError):
    pass


#: A URL of a scheme of the caller's own -> its body and media type.
Made = Callable[[str], tuple[bytes, str]]


class LocalURLFetcher(URLFetcher):
    """`data:` URLs, `file:` URLs under LOCAL_ROOT, and what the caller makes itself (`made`: for
    a scheme of its own, its URL -> the body and its media type, e.g. a booklet's QR codes made
    in another process); no network, no redirects."""

    def __init__(self, made: Mapping[str, Made] | None = None) -> None:
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)
        self.made = dict(made or {})

    def fetch(self, url: str, headers: Any = None) -> Any:
        parts = urlsplit(url)
        if parts.scheme in self.made:
            try:
                body, media_type = self.made[parts.scheme](url)
            except Exception as error:
                # Stops the rendering: WeasyPrint would otherwise log it and leave the image out.
                raise FatalURLFetchingError(f"{url[:80]}: {error}") from error
            return URLFetcherResponse(url, body=body, headers={"Content-Type": media_type})
        if parts.scheme not in ("data", "file"):
            raise FetchRefused(f"Not fetched (no network): {url[:80]}")
        if parts.scheme == "file" and not Path(unquote(parts.path)).resolve().is_relative_to(
            LOCAL_ROOT
        ):
            raise FetchRefused(f"Not fetched (outside the project): {url[:80]}")
        return super().fetch(url, headers)


class XHTML(HTML):
    """A document written as well-formed XHTML, read with Python's XML parser (expat, in C):
    WeasyPrint's own HTML parser is pure Python and took a second and a half for a booklet of a
    thousand entries, a twentieth of its time. Anything that is not well-formed XML is read by
    that parser instead, as `HTML` would, so a template that slips is only slower."""

    def __init__(self, string: str, *, url_fetcher: URLFetcher) -> None:
        try:
            root = ElementTree.fromstring(string)  # noqa: S314 -- our own template's output
        except ElementTree.ParseError:
            super().__init__(string=string, base_url=BASE_URL, url_fetcher=url_fetcher)
            return
        # What HTML.__init__ sets once tinyhtml5 has parsed (the document has no <base>).
        self.base_url = BASE_URL
        self.url_fetcher = url_fetcher
        self.media_type = "print"
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
        self.etree_element = self.wrapper_element.etree_element


@contextmanager
def cyclic_collection_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a long PDF is made, on again after (if it was).

    WeasyPrint makes millions of objects and almost no reference cycles: each of the collector's
    passes walked all of them again, a sixth of a 450-page booklet's time, to free a hundred
    objects; peak memory was the same without it. What is freed by reference counting (nearly
    everything) is freed as before."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def html_to_pdf(html: str) -> bytes:
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=LocalURLFetcher())
    return bytes(document.write_pdf())
