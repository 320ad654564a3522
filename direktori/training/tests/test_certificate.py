"""The certificate of attendance: the PDF reads back with pdftotext in both languages, its QR code
decodes to the public check page, the check page shows initials only, and no URL in a PDF makes
the server fetch anything."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from direktori.accounts.testing import signed_in
from direktori.audit.models import Action, AuditEvent
from direktori.core.pdf import FetchRefused, LocalURLFetcher, html_to_pdf
from direktori.training.models import Attendance

from .conftest import Programme

pytestmark = pytest.mark.django_db


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "sijil.pdf"
    path.write_bytes(pdf)
    return subprocess.run(  # noqa: S603 -- a fixed tool on a file of our own
        ["pdftotext", "-layout", str(path), "-"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def _qr(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "qr.pdf"
    path.write_bytes(pdf)
    subprocess.run(  # noqa: S603
        ["pdftoppm", "-png", "-r", "150", "-singlefile", str(path), str(tmp_path / "page")],  # noqa: S607
        check=True,
    )
    return subprocess.run(  # noqa: S603
        ["zbarimg", "-q", "--raw", str(tmp_path / "page.png")],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def _certificate(programme: Programme) -> Attendance:
    return programme.attend(programme.member)


def test_the_malay_certificate_reads_back(programme: Programme, tmp_path: Path) -> None:
    attendance = _certificate(programme)
    number = attendance.certificate_number or ""
    client = signed_in(Client(), programme.users["cbo_member"])
    response = client.get(reverse("training:certificate", args=[number]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = _text(response.content, tmp_path)
    assert "Rosnah binti Yusof" in text
    assert "Asas perlindungan kanak-kanak" in text
    assert number in text
    assert "15 Ogos 2026" in text  # the date in Malay
    assert "Sistem rujukan" in text  # the topics' Malay names
    assert "KPWKM" in text
    event = AuditEvent.objects.get(
        action=Action.RECORD_EXPORTED, object_type="training.certificate"
    )
    assert event.actor == programme.users["cbo_member"] and event.detail["language"] == "ms"


def test_the_english_certificate_reads_back(programme: Programme, tmp_path: Path) -> None:
    attendance = _certificate(programme)
    number = attendance.certificate_number or ""
    client = signed_in(Client(), programme.users["cbo_chair"])
    with translation.override("en"):
        url = reverse("training:certificate", args=[number])
    assert url.startswith("/en/")
    text = _text(client.get(url).content, tmp_path)
    assert "Rosnah binti Yusof" in text
    assert "Asas perlindungan kanak-kanak" in text
    assert number in text
    assert "Certificate of attendance" in text
    assert "15 August 2026" in text
    assert "The referral system" in text  # the topics' English names
    assert "Ministry of Women, Family and Community Development" in text


def test_the_qr_code_leads_to_the_check_page(programme: Programme, tmp_path: Path) -> None:
    number = _certificate(programme).certificate_number or ""
    client = signed_in(Client(), programme.users["district_officer"])
    pdf = client.get(reverse("training:certificate", args=[number])).content
    base = str(settings.DIREKTORI["PUBLIC_BASE_URL"]).rstrip("/")
    assert _qr(pdf, tmp_path) == f"{base}/latihan/sijil/{number}/"
    with translation.override("en"):
        english = client.get(reverse("training:certificate", args=[number])).content
    assert _qr(english, tmp_path) == f"{base}/en/latihan/sijil/{number}/"


def test_the_check_page_shows_initials_only(programme: Programme) -> None:
    number = _certificate(programme).certificate_number or ""
    response = Client().get(reverse("certificates:check", args=[number]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "R. Y." in page and number in page
    assert "Asas perlindungan kanak-kanak" in page and "2026" in page
    for word in ("Rosnah", "Yusof", "binti", programme.member.email):
        assert word not in page
    with translation.override("en"):
        english = Client().get(reverse("certificates:check", args=[number.lower()]))
    assert "is valid" in english.content.decode()


def test_unknown_and_withdrawn_certificates_are_not_found(programme: Programme) -> None:
    attendance = _certificate(programme)
    number = attendance.certificate_number or ""
    for unknown in ("PP-2026-2345-6789", "not-a-number", number.replace("PP-", "XX-")):
        assert Client().get(reverse("certificates:check", args=[unknown])).status_code == 404
    Attendance.objects.filter(pk=attendance.pk).update(status="absent", certificate_number=None)
    assert Client().get(reverse("certificates:check", args=[number])).status_code == 404


def test_initials_skip_the_links_of_malaysian_names(programme: Programme) -> None:
    for name, initials in (
        ("Siti Aminah binti Hassan", "S. A. H."),
        ("Kamala a/p Raju", "K. R."),
        ("Lim Mei Ling (Demo)", "L. M. L."),
    ):
        programme.member.full_name = name
        assert Attendance(person=programme.member).initials == initials


def test_pdfs_fetch_nothing_from_the_network_or_the_machine() -> None:
    fetcher = LocalURLFetcher()
    for url in ("https://example.com/logo.png", "http://127.0.0.1/", "file:///etc/passwd"):
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"
    pdf = html_to_pdf('<p>Hello</p><img src="https://example.com/x.png" alt="">')
    assert pdf.startswith(b"%PDF")
