"""The printable referral summary for the officer's case file: a PDF made from
`referrals/summary.html` in the language of the request, with everything the officer's view
shows (the person, the consent, the status history and the notes), "SULIT / CONFIDENTIAL" and
the page number on every page."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Referral

#: The protective marking, the same in both languages (Malaysian government "SULIT" with its
#: English equivalent), on every page.
MARKING = "SULIT / CONFIDENTIAL"


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def page_counter_css() -> str:
    """`content:` of the page-number box: "Page 2 of 3" in the request's language, the numbers
    from WeasyPrint's page counters."""
    words = _("Page %(page)s of %(pages)s")
    before, rest = words.split("%(page)s", 1)
    middle, after = rest.split("%(pages)s", 1)
    return " ".join(
        (
            _css_string(before),
            "counter(page)",
            _css_string(middle),
            "counter(pages)",
            _css_string(after),
        )
    )


def summary_pdf(referral: Referral, *, user: Any, target: str) -> bytes:
    from direktori.core.pdf import html_to_pdf

    events = referral.events.select_related("actor", "from_office", "to_office").order_by(
        "at", "pk"
    )
    context = {
        "referral": referral,
        "events": list(events),
        "target": target,
        "printed_at": timezone.localtime(),
        "printed_by": user,
        "page_counter": page_counter_css(),
        "marking": MARKING,
    }
    return html_to_pdf(render_to_string("referrals/summary.html", context))


def summary_filename(referral: Referral) -> str:
    return f"rujukan-{referral.reference}.pdf"
