"""The printable referral summary: read back with pdftotext, "SULIT / CONFIDENTIAL" and the page
number on every page, officers in scope only, never cached, audited as an export."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from direktori.audit.models import Action, AuditEvent
from direktori.referrals import services
from direktori.referrals.models import Referral

from .conftest import People
from .factories import SECRET_CONCERN, SECRET_MYKAD, SECRET_NAME, submit
from .test_views_form import client

pytestmark = pytest.mark.django_db


def pdf_pages(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "ringkasan.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(  # noqa: S603 -- a fixed tool on a file of our own
        ["pdftotext", "-layout", str(path), "-"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


def a_long_case(people: People) -> Referral:
    """A referral with enough notes to fill more than one page."""
    referral = submit(people.reporter)
    officer = people.sepang_officer
    services.referral_acknowledge(referral=referral, actor=officer, note="Diterima, telefon.")
    services.referral_start(referral=referral, actor=officer)
    for number in range(1, 16):
        note = f"Lawatan susulan {number}: " + "keadaan rumah diperiksa bersama ketua kampung. " * 6
        services.referral_add_note(referral=referral, actor=officer, note=note)
    services.referral_close(referral=referral, actor=officer, outcome="helped_by_jkm")
    return referral


def test_the_summary_reads_back_with_the_marking_and_page_numbers_on_every_page(
    people: People, tmp_path: Path
) -> None:
    referral = a_long_case(people)
    url = "/en" + reverse("referrals:summary_pdf", args=[referral.pk])
    response = client(people.sepang_officer).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"] == f'inline; filename="rujukan-{referral.reference}.pdf"'
    pages = pdf_pages(response.content, tmp_path)
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert page.count("SULIT / CONFIDENTIAL") == 2, number  # top and bottom
        assert re.search(rf"Page {number} of {len(pages)}\b", page), number
        assert referral.reference in page, number
    text = "\n".join(pages)
    squeezed = " ".join(text.split())
    for expected in (
        "Referral summary",
        SECRET_NAME,
        SECRET_MYKAD,
        "Helped by JKM",
        "Lawatan susulan 15",
        "Work started",
    ):
        assert expected in squeezed or expected in text, expected
    assert SECRET_CONCERN.split()[0] in squeezed


def test_only_officers_over_the_office_may_print_it(people: People) -> None:
    referral = submit(people.reporter)
    url = reverse("referrals:summary_pdf", args=[referral.pk])
    strangers = ("reporter", "other_member", "chair", "petaling_officer", "johor_officer")
    for name in strangers:
        assert client(getattr(people, name)).get(url).status_code == 404, name
    assert client(people.no_role).get(url).status_code == 404
    assert "/akaun/masuk/" in client(None).get(url)["Location"]
    assert not AuditEvent.objects.filter(action=Action.RECORD_EXPORTED).exists()
    for name in ("sepang_officer", "selangor_officer", "hq_admin"):
        assert client(getattr(people, name)).get(url).status_code == 200, name
    exported = AuditEvent.objects.filter(action=Action.RECORD_EXPORTED).order_by("when", "pk")
    assert [(e.actor, e.object_id, e.detail) for e in exported] == [
        (getattr(people, name), str(referral.pk), {"what": "summary_pdf", "via": "page"})
        for name in ("sepang_officer", "selangor_officer", "hq_admin")
    ]
