"""The booklet's parts made for speed: QR codes made in another process, the template read as
XHTML, a failed part stopping the booklet rather than leaving it out."""

from __future__ import annotations

import gc
import subprocess
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint.document import Document
from weasyprint.urls import FatalURLFetchingError

from direktori.core.pdf import XHTML, LocalURLFetcher, cyclic_collection_paused
from direktori.directory.tests.factories import (
    OrganizationFactory,
    ServiceFactory,
    sepang_area,
)
from direktori.publishing import booklet, booklet_content, qr_codes

pytestmark = pytest.mark.django_db

URLS = [
    f"https://direktori.example/organisasi/{n:08d}-0000-0000-0000-000000000000/" for n in (1, 2)
]


def decode(image: bytes, tmp_path: Path) -> str:
    path = tmp_path / "code.png"
    path.write_bytes(image)
    return subprocess.run(  # noqa: S603
        ["zbarimg", "-q", "--raw", str(path)],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


@pytest.mark.parametrize("in_background", [True, False])
def test_the_codes_are_the_same_made_here_or_in_another_process(
    tmp_path: Path, in_background: bool
) -> None:
    with qr_codes.QRCodes(URLS, in_background=in_background) as codes:
        images = [codes.response(codes.uri(n)) for n in range(len(URLS))]
    assert [media for _image, media in images] == ["image/png", "image/png"]
    assert [image for image, _media in images] == [qr_codes.png(url) for url in URLS]
    assert decode(images[1][0], tmp_path) == URLS[1]


def test_a_failed_child_is_an_error_not_a_missing_code(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(qr_codes, "__name__", "direktori.publishing.no_such_module")
    with qr_codes.QRCodes(URLS, in_background=True) as codes, pytest.raises(qr_codes.QRCodeError):
        codes.response(codes.uri(0))


def test_a_part_the_fetcher_cannot_make_stops_the_pdf() -> None:
    def broken(_url: str) -> tuple[bytes, str]:
        raise qr_codes.QRCodeError("no codes")

    fetcher = LocalURLFetcher({"qr": broken})
    with pytest.raises(FatalURLFetchingError, match="no codes"):
        fetcher.fetch("qr:0")
    page = '<html><body><img src="qr:0"/></body></html>'
    with pytest.raises(FatalURLFetchingError):
        XHTML(page, url_fetcher=fetcher).render()


def test_a_page_that_is_not_xml_is_still_read() -> None:
    page = "<html><body><p>Satu<br>dua &amp; tiga<p>empat</body></html>"  # HTML, not XML
    document = XHTML(page, url_fetcher=LocalURLFetcher()).render()
    assert len(document.pages) == 1


@pytest.mark.parametrize("language", ["ms", "en"])
def test_the_booklet_template_is_well_formed_xhtml(language: str) -> None:
    """Else it is read by the slower HTML parser: names with markup characters included."""
    sepang = sepang_area()
    name = "Persatuan Ibu & Anak <Sepang> \"Kasih\" 'Sayang'"
    organization = OrganizationFactory.create(name=name, name_en=name, area=sepang)
    ServiceFactory.create(organization=organization, name="Kaunseling & sokongan")
    with translation.override(language):
        content = booklet_content.collect(sepang)
        context = booklet._context(content, language, "a5")
        html = render_to_string("publishing/booklet.html", {**context, "page_digits": 3})
    root = ElementTree.fromstring(html)  # noqa: S314 -- our own template's output
    assert root.get("lang") == language
    assert "Persatuan Ibu & Anak <Sepang>" in "".join(root.itertext())


def test_the_cyclic_collector_is_paused_while_a_pdf_is_made_and_on_again_after() -> None:
    assert gc.isenabled()
    with cyclic_collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), cyclic_collection_paused():
        raise ValueError("a failed booklet")
    assert gc.isenabled()
    gc.disable()  # and left off where it was off
    try:
        with cyclic_collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_booklet_is_made_with_the_collector_paused(monkeypatch: pytest.MonkeyPatch) -> None:
    sepang = sepang_area()
    ServiceFactory.create(organization=OrganizationFactory.create(area=sepang))
    seen: list[bool] = []
    write_pdf = Document.write_pdf

    def spy(self: Document, *args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return write_pdf(self, *args, **kwargs)

    monkeypatch.setattr(Document, "write_pdf", spy)
    booklet.build_booklet(sepang)
    assert seen == [False]
    assert gc.isenabled()
