"""The certificate of attendance: a PDF made from `training/certificate.html` in the language of
the request, with a QR code that leads to the public check page (`certificates:check`)."""

from __future__ import annotations

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import Attendance


def check_url(number: str) -> str:
    """The public page that confirms the certificate, on the site's public address (never the
    address a request claims to come to)."""
    path = reverse("certificates:check", kwargs={"number": number})
    return str(settings.DIREKTORI["PUBLIC_BASE_URL"]).rstrip("/") + path


def certificate_pdf(attendance: Attendance) -> bytes:
    from direktori.core.pdf import html_to_pdf

    number = attendance.certificate_number or ""
    url = check_url(number)
    session = attendance.session
    context = {
        "attendance": attendance,
        "person": attendance.person,
        "session": session,
        "topics": list(session.topics.order_by("position", "code")),
        "number": number,
        "check_url": url,
        "issued_on": timezone.localtime(attendance.recorded_at).date()
        if attendance.recorded_at
        else session.last_day,
        "qr": segno.make(url, error="m").svg_data_uri(scale=4, border=2),
    }
    return html_to_pdf(render_to_string("training/certificate.html", context))


def certificate_filename(number: str) -> str:
    return f"sijil-{number}.pdf"
