"""`build_booklet`: the file it writes and the errors it refuses with (nothing written); the
booklet fingerprint; bounded queries; Malay hyphenation."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test.utils import CaptureQueriesContext

from direktori.areas.models import Area
from direktori.areas.services import area_save
from direktori.core.pdf import html_to_pdf
from direktori.directory.models import Phone, ServiceAtLocation
from direktori.directory.tests.factories import (
    AddressFactory,
    OrganizationFactory,
    PhoneFactory,
    ServiceFactory,
    reference_terms,
    sepang_area,
)
from direktori.publishing import booklet_content
from direktori.publishing.booklet import BookletError, booklet_fingerprint

from .test_booklet import run

pytestmark = pytest.mark.django_db


def gombak(sepang: Area) -> Area:
    assert sepang.parent is not None
    return area_save(
        Area(
            code="10_1",
            kind=Area.Kind.DISTRICT,
            name_ms="Gombak",
            slug="gombak",
            parent=sepang.parent,
        )
    )


def build(*arguments: str) -> str:
    out = io.StringIO()
    call_command("build_booklet", *arguments, stdout=out)
    return out.getvalue()


def test_it_writes_the_booklet_and_says_what_it_wrote(tmp_path: Path) -> None:
    sepang = sepang_area()
    ServiceFactory.create(organization=OrganizationFactory.create(name="CBO Ujian", area=sepang))
    out = tmp_path / "sepang.pdf"
    summary = build("--district", "SEPANG", "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    pages = re.search(r"Pages:\s+(\d+)", run("pdfinfo", str(out)))
    assert pages and str(out) in summary
    numbers = re.findall(r"\d+(?:\.\d+)?", summary.replace(str(out), ""))
    assert numbers[:2] == [pages.group(1), "1"]  # pages, organisations, seconds
    assert [p.name for p in tmp_path.iterdir()] == ["sepang.pdf"]  # no temporary file left


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["--district", "Atlantis"],
            "Tiada kawasan dengan nama atau kod Atlantis",
        ),  # Malay by default
        (["--district", "Selangor"], "Selangor"),
        (["--district", "10_7", "--lang", "fr"], "fr"),
        (["--district", "10_7", "--paper", "a3"], "a3"),
    ],
)
def test_it_refuses_and_writes_nothing(tmp_path: Path, arguments: list[str], message: str) -> None:
    sepang_area()
    out = tmp_path / "old.pdf"
    out.write_bytes(b"the previous booklet")
    with pytest.raises(CommandError, match=message):
        build(*arguments, "--out", str(out))
    assert out.read_bytes() == b"the previous booklet"
    assert [p.name for p in tmp_path.iterdir()] == ["old.pdf"]


def test_it_refuses_a_path_it_cannot_write(tmp_path: Path) -> None:
    sepang_area()
    with pytest.raises(CommandError, match="missing"):
        build("--district", "10_7", "--out", str(tmp_path / "missing" / "b.pdf"))
    with pytest.raises(CommandError):
        build("--district", "10_7", "--out", str(tmp_path))  # a folder
    assert list(tmp_path.iterdir()) == []


def test_the_english_errors_are_in_english(tmp_path: Path) -> None:
    sepang_area()
    with pytest.raises(CommandError, match="is not a district"):
        build("--district", "Selangor", "--lang", "en", "--out", str(tmp_path / "b.pdf"))


def test_only_a_district_makes_a_booklet() -> None:
    sepang = sepang_area()
    with pytest.raises(BookletError):
        booklet_fingerprint(sepang.parent, language="ms", paper="a5")  # type: ignore[arg-type]


def fingerprint(district: Area, **options: str) -> str:
    return booklet_fingerprint(district, **{"language": "ms", "paper": "a5", **options})


def test_the_fingerprint_changes_when_the_booklet_would(
    django_assert_max_num_queries: Any,
) -> None:
    sepang = sepang_area()
    elsewhere = gombak(sepang)
    organization = OrganizationFactory.create(area=sepang)
    service = ServiceFactory.create(organization=organization)
    other = OrganizationFactory.create(area=elsewhere)
    first = fingerprint(sepang)
    with django_assert_max_num_queries(20):
        assert fingerprint(sepang) == first  # nothing changed
    assert len(first) == 16
    assert fingerprint(sepang, language="en") != first
    assert fingerprint(sepang, paper="a4") != first

    other.name = "Another district's edit"
    other.save()
    assert fingerprint(sepang) == first

    organization.name = "A new name"
    organization.save()
    second = fingerprint(sepang)
    assert second != first

    PhoneFactory.create(service=service, kind=Phone.Kind.WHATSAPP)
    third = fingerprint(sepang)
    assert third != second

    service.terms.set([reference_terms()["elderly"]])
    fourth = fingerprint(sepang)
    assert fourth != third

    organization.status = "inactive"
    organization.save()
    assert fingerprint(sepang) != fourth


def test_collecting_takes_the_same_queries_for_more_organisations() -> None:
    from django.db import connection

    sepang = sepang_area()
    terms = reference_terms()

    def add(count: int) -> None:
        for _ in range(count):
            organization = OrganizationFactory.create(area=sepang)
            service = ServiceFactory.create(organization=organization, terms=[terms["children"]])
            PhoneFactory.create(service=service)
            # A service's own place, with its address (read with the service, not per place).
            address = AddressFactory.create(location__organization=organization)
            ServiceAtLocation.objects.create(service=service, location=address.location)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            booklet_content.collect(sepang)
        return len(captured)

    add(2)
    few = queries()
    add(6)
    assert queries() == few


def test_malay_words_are_hyphenated() -> None:
    import direktori.publishing.booklet  # noqa: F401 -- registers the Malay dictionary

    column = "<p style=\"width: 22mm; hyphens: auto; font: 10pt 'DejaVu Sans'\">{}</p>"
    words = "Perkhidmatan kemasyarakatan pertanggungjawaban"
    page = f'<html lang="ms"><body>{column.format(words)}</body></html>'
    text = subprocess.run(
        ["pdftotext", "-", "-"],  # noqa: S607
        input=html_to_pdf(page),
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "Perkhidmat\u2010\nan" in text  # a syllable break, with a hyphen
