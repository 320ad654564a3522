"""Page numbers of cross-references ("Balai Polis Sepang … 57") in a single layout pass.

CSS `target-counter()` makes WeasyPrint lay the document out again for every reference to a later
page, and spread each anchor's page to every reference on each pass: a booklet of a thousand
entries laid out 850 pages to print 460 and spent half its time there. Instead each reference is
printed with a placeholder of fixed width (`page_link`: as many zeros as the page numbers can have
digits; DejaVu's digits are all the same width), the document is laid out once, and the
placeholders' text is replaced with the page of their anchor. Nothing moves: a number is never
wider than its placeholder. Should the document have more pages than the placeholder has digits,
it is laid out again with one digit more (a booklet of over 999 pages).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.utils.html import format_html
from django.utils.safestring import SafeString

if TYPE_CHECKING:
    from weasyprint.document import Document

#: The attribute of a reference: the anchor (an element's id) whose page it ends with.
ATTRIBUTE = "data-page-of"
SEPARATOR = "\u2002"  # an en space between the words and the number
FIGURE_SPACE = "\u2007"  # as wide as a digit
DIGITS = 3


class PageReferenceError(RuntimeError):
    pass


def page_link(anchor: str, label: str = "", digits: int = DIGITS) -> SafeString:
    """A link to `anchor` that ends with its page: `label`, an en space and the placeholder (only
    the placeholder without a label). One element, not one more for the number: a booklet has
    thousands of references, and each element costs its share of the layout."""
    text = f"{label}{SEPARATOR}" if label else ""
    return format_html(
        '<a href="#{}" {}="{}">{}{}</a>', anchor, ATTRIBUTE, anchor, text, "0" * digits
    )


def anchor_pages(document: Document) -> dict[str, int]:
    """Each anchor's page number (the first page it is on; pages count from 1)."""
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            pages.setdefault(anchor, number)
    return pages


def fill(document: Document) -> int:
    """Write the page numbers into the laid-out placeholders; how many there were.

    A reference's number is in the last piece of its text (the label may have been broken over
    lines, even pages). The number is padded with figure spaces before it where the text is
    aligned to the right, so that it keeps its place; elsewhere nothing follows it."""
    from weasyprint.formatting_structure.boxes import TextBox

    pages = anchor_pages(document)
    last: dict[Any, Any] = {}  # an element -> its last laid-out piece of text
    for page in document.pages:
        # WeasyPrint keeps the laid-out boxes of a page in `_page_box`.
        for box in page._page_box.descendants():
            element = box.element if isinstance(box, TextBox) else None
            if element is not None and element.get(ATTRIBUTE) is not None:
                last[element] = box
    for element, box in last.items():
        anchor = element.get(ATTRIBUTE)
        if anchor not in pages:
            raise PageReferenceError(f"Nothing has the id {anchor!r}")
        words, separator, placeholder = box.text.rpartition(SEPARATOR)
        if not placeholder or placeholder.strip("0"):
            raise PageReferenceError(f"The reference to {anchor!r} does not end with its number")
        number = str(pages[anchor])
        if box.style["text_align_all"] in ("right", "end"):
            number = number.rjust(len(placeholder), FIGURE_SPACE)
        box.text = f"{words}{separator}{number}"
        # Laid-out text is shaped again from this when the page is drawn (`reactivate`).
        box.pango_layout.text = box.text
    return len(last)


def render(
    html_for: Callable[[int], str], lay_out: Callable[[str], Document], digits: int = DIGITS
) -> Document:
    """Lay out `html_for(digits)` (its page references with placeholders of `digits` zeros) and
    fill in the page numbers."""
    while True:
        document = lay_out(html_for(digits))
        needed = len(str(len(document.pages)))
        if needed <= digits:
            fill(document)
            return document
        digits = needed
