"""Page numbers written into the laid-out placeholders (page_refs): read back with pdftotext."""

from __future__ import annotations

import subprocess

import pytest
from weasyprint import HTML
from weasyprint.document import Document

from direktori.publishing import page_refs

STYLE = """<style>
@page { size: A6; margin: 10mm; @bottom-center { content: counter(page); } }
html { font: 10pt 'DejaVu Sans'; }
.chapter { break-before: page; }
.ref { text-align: right; }
</style>"""


def chapters(count: int, digits: int) -> str:
    contents = "".join(
        f"<li>{page_refs.page_link(f'bab-{n}', f'Bab {n}', digits)}</li>"
        for n in range(1, count + 1)
    )
    body = "".join(
        f'<section class="chapter" id="bab-{n}"><h2>Bab {n}</h2>'
        # A reference back to the contents, and one to a later chapter, aligned to the right.
        f'<p class="ref">{page_refs.page_link("kandungan", "Kandungan", digits)}</p>'
        f"<p class=ref>Seterusnya {page_refs.page_link(f'bab-{min(n + 1, count)}', '', digits)}</p>"
        "</section>"
        for n in range(1, count + 1)
    )
    return f'<html lang="ms">{STYLE}<body><ul id="kandungan">{contents}</ul>{body}</body></html>'


def lay_out(html: str) -> Document:
    return HTML(string=html).render()


def page_texts(document: Document) -> list[str]:
    pdf = document.write_pdf()
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],  # noqa: S607
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return text.split("\f")[: len(document.pages)]


def test_each_reference_gets_the_page_of_its_anchor() -> None:
    document = page_refs.render(lambda digits: chapters(4, digits), lay_out)
    pages = page_texts(document)
    contents = " ".join(pages[0].split())
    for chapter in range(1, 5):
        # Chapter n starts on page n + 1: the contents is page 1.
        assert f"Bab {chapter} {chapter + 1} " in contents + " "
        page = pages[chapter]
        assert f"Bab {chapter}" in page
        assert "Kandungan 1" in " ".join(page.split())
        assert f"Seterusnya {min(chapter + 1, 4) + 1}" in " ".join(page.split())
        assert "000" not in page


def test_a_number_aligned_right_keeps_its_right_edge() -> None:
    document = page_refs.render(lambda digits: chapters(2, digits), lay_out)
    line = next(line for line in page_texts(document)[1].splitlines() if "Kandungan" in line)
    other = next(line for line in page_texts(document)[1].splitlines() if "Seterusnya" in line)
    assert len(line.rstrip()) == len(other.rstrip())  # both end at the right margin


def test_a_document_longer_than_its_placeholders_is_laid_out_again_with_more_digits() -> None:
    made: list[int] = []

    def html_for(digits: int) -> str:
        made.append(digits)
        return chapters(11, digits)  # 12 pages: two digits

    document = page_refs.render(html_for, lay_out, digits=1)
    assert made == [1, 2]
    contents = " ".join(page_texts(document)[0].split())
    assert "Bab 11 12" in contents and "Bab 9 10" in contents


def test_a_reference_to_nothing_is_refused() -> None:
    html = f"<html><body><p>Lihat {page_refs.page_link('tiada')}</p></body></html>"
    with pytest.raises(page_refs.PageReferenceError, match="tiada"):
        page_refs.render(lambda _digits: html, lay_out)


def test_a_label_broken_over_lines_and_ending_in_zeros_keeps_its_words() -> None:
    label = "Pusat Khidmat Masyarakat Bandar Baru Salak Tinggi Nombor 1000"
    html = (
        f"{STYLE}<body><p style='width: 30mm'>{page_refs.page_link('akhir', label)}</p>"
        '<section class="chapter" id="akhir">Akhir</section></body>'
    )
    document = page_refs.render(lambda _digits: html, lay_out)
    assert " ".join(page_texts(document)[0].split()) == f"{label} 2 1"  # and the page number
