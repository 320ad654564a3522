"""The district booklet, read back from the PDF: every Sepang organisation and the national
helplines, nothing from Gombak, no confidential address nor unconsented member, QR codes that
decode to the live pages, both languages, A5 and A4, page numbers that point to the entry, fonts
embedded. The PDFs are made once for the module (rendering is the slow part)."""

from __future__ import annotations

import datetime
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.utils.text import slugify

from direktori.areas.models import Area
from direktori.areas.services import area_save
from direktori.directory.models import Organization, Phone
from direktori.directory.tests.factories import (
    AddressFactory,
    LocationFactory,
    OrganizationFactory,
    PhoneFactory,
    ScheduleFactory,
    ServiceFactory,
    reference_terms,
    sepang_area,
)
from direktori.members.models import MemberRole
from direktori.members.tests.factories import MembershipFactory, PersonFactory
from direktori.publishing.booklet import build_booklet, public_url

SECRET_ADDRESS = "Lorong Rahsia Tujuh"
SECRET_MEMBER = "Zainab Tanpa Izin"
PUBLIC_MEMBER = "Rahimah Setuju"
PUBLIC_MEMBER_PHONE = "+60127770001"
A5 = (419.5, 595.3)
A4 = (595.3, 841.9)

pytestmark = pytest.mark.django_db


def run(*command: str) -> str:
    return subprocess.run(  # noqa: S603 -- fixed tools on files of our own
        command, capture_output=True, text=True, check=True
    ).stdout


def area(code: str, kind: str, name: str, parent: Area) -> Area:
    found = Area.objects.filter(code=code).first()
    return found or area_save(
        Area(code=code, kind=kind, name_ms=name, name_en=name, slug=slugify(name), parent=parent)
    )


def organization(**fields: Any) -> Organization:
    return OrganizationFactory.create(**{"name_en": "", **fields})


@dataclass
class Directory:
    """What the booklet must show (names and live URLs by language) and must not."""

    sepang: list[str] = field(default_factory=list)
    national: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    urls: dict[str, set[str]] = field(default_factory=dict)


def sepang_directory() -> Directory:
    """Sepang (two mukims, a locality), a national helpline, and Gombak next door."""
    terms = reference_terms()
    sepang = sepang_area()
    assert sepang.parent is not None
    gombak = area("10_1", Area.Kind.DISTRICT, "Gombak", sepang.parent)
    dengkil = area("10_7:dengkil", Area.Kind.MUKIM, "Dengkil", sepang)
    tanjung = area("10_7:tanjung-12", Area.Kind.MUKIM, "Tanjung Dua Belas", sepang)
    salak = area("10_7:salak", Area.Kind.LOCALITY, "Kampung Salak Tinggi", tanjung)
    country = Area.objects.get(code="MY")
    verified = datetime.date(2026, 8, 15)
    directory = Directory()

    cbo = organization(name="CBO Kampung Dengkil", area=dengkil, verified_on=verified)
    service = ServiceFactory.create(
        organization=cbo,
        name="Ziarah kanak-kanak",
        eligibility_ms="Keluarga di Dengkil yang memerlukan ziarah",
        terms=[terms["children"], terms["community"]],
    )
    PhoneFactory.create(service=service, number="010-200 1111")
    PhoneFactory.create(service=service, number="010-200 2222", kind=Phone.Kind.WHATSAPP)
    ScheduleFactory.create(service=service)
    AddressFactory.create(
        location=LocationFactory.create(organization=cbo, area=dengkil),
        address_1="No. 5, Jalan Dengkil Utama",
    )
    MembershipFactory.create(
        cbo=cbo,
        role=MemberRole.PENGERUSI,
        person=PersonFactory.create(
            full_name=PUBLIC_MEMBER, phone=PUBLIC_MEMBER_PHONE, listed_publicly=True
        ),
    )
    MembershipFactory.create(
        cbo=cbo,
        role=MemberRole.SETIAUSAHA,
        person=PersonFactory.create(full_name=SECRET_MEMBER, listed_publicly=False),
    )

    shelter = organization(kind=Organization.Kind.NGO, name="Rumah Selamat Salak", area=salak)
    ServiceFactory.create(
        organization=shelter, name="Tempat perlindungan", terms=[terms["domestic_violence"]]
    )
    AddressFactory.create(
        location=LocationFactory.create(organization=shelter, area=salak, is_confidential=True),
        address_1=SECRET_ADDRESS,
    )
    PhoneFactory.create(service=shelter.services.get(), number="010-200 3333")

    police = organization(kind=Organization.Kind.GOVERNMENT, name="Balai Polis Sepang", area=sepang)
    ServiceFactory.create(
        organization=police, name="Laporan polis", terms=[terms["police"], terms["elderly"]]
    )
    PhoneFactory.create(service=police.services.get(), number="03-3141 2222", kind=Phone.Kind.VOICE)

    hotline = organization(
        kind=Organization.Kind.HOTLINE, name="Talian Ujian Kebangsaan", area=country
    )
    ServiceFactory.create(organization=hotline, name="Talian 24 jam", terms=[terms["helpline"]])
    PhoneFactory.create(service=hotline.services.get(), number="15999", kind=Phone.Kind.SHORT_CODE)

    # Gombak's own, and one Gombak organisation with a public place in Sepang (listed).
    gombak_only = organization(name="Pertubuhan Gombak Sahaja", area=gombak)
    ServiceFactory.create(organization=gombak_only, terms=[terms["children"]])
    visiting = organization(name="Klinik Bergerak Gombak", area=gombak)
    ServiceFactory.create(organization=visiting, terms=[terms["elderly"]])
    AddressFactory.create(
        location=LocationFactory.create(organization=visiting, area=dengkil),
        address_1="Dewan Orang Ramai Dengkil",
    )
    closed = organization(name="CBO Yang Sudah Tutup", area=dengkil, status="defunct")
    ServiceFactory.create(organization=closed)

    directory.sepang = [cbo.name, shelter.name, police.name, visiting.name]
    directory.national = [hotline.name]
    directory.absent = [gombak_only.name, closed.name, SECRET_ADDRESS, SECRET_MEMBER]
    listed = [cbo, shelter, police, visiting, hotline]
    directory.urls = {lang: {public_url(o, lang) for o in listed} for lang in ("ms", "en")}
    return directory


@dataclass
class Rendered:
    path: Path
    text: str
    pages: int
    progress: list[tuple[str, int]]


@dataclass
class Module:
    directory: Directory
    booklets: dict[str, Rendered]


@pytest.fixture(scope="module")
def made(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Module]:
    folder = tmp_path_factory.mktemp("booklets")
    with django_db_blocker.unblock(), transaction.atomic():
        directory = sepang_directory()
        sepang = Area.objects.get(code="10_7")
        booklets = {}
        for language, paper in (("ms", "a5"), ("en", "a4")):
            steps: list[tuple[str, int]] = []

            def progress(label: str, percent: int, steps: list[tuple[str, int]] = steps) -> None:
                steps.append((label, percent))

            made = build_booklet(sepang, language=language, paper=paper, progress=progress)
            path = folder / f"{language}-{paper}.pdf"
            path.write_bytes(made.pdf)
            text = run("pdftotext", "-layout", str(path), "-")
            booklets[language] = Rendered(path, text, made.pages, steps)
        transaction.set_rollback(True)
    yield Module(directory, booklets)


def flat(text: str) -> str:
    return " ".join(text.replace("\u2010\n", "").split())


@pytest.mark.parametrize("language", ["ms", "en"])
def test_it_lists_the_district_and_the_national_helplines_only(made: Module, language: str) -> None:
    text = flat(made.booklets[language].text)
    for name in made.directory.sepang + made.directory.national:
        assert name in text
    for secret in made.directory.absent:
        assert secret not in text
    assert "Jalan Dengkil Utama" in text  # a public address is printed
    assert PUBLIC_MEMBER in text and "012-777 0001" in text  # consented: name, role and phone


@pytest.mark.parametrize("language", ["ms", "en"])
def test_its_qr_codes_decode_to_the_live_pages(made: Module, tmp_path: Path, language: str) -> None:
    booklet = made.booklets[language]
    run("pdftoppm", "-r", "150", "-png", str(booklet.path), str(tmp_path / "page"))
    pages = sorted(str(p) for p in tmp_path.glob("page*.png"))
    # zbarimg exits with 4 when a page (the cover, the index) has no code: read what it printed.
    found = subprocess.run(  # noqa: S603
        ["zbarimg", "-q", "--raw", *pages],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    assert found.returncode in (0, 4), found.stderr
    decoded = set(found.stdout.split())
    assert decoded == made.directory.urls[language]
    # The English booklet leads to the English pages.
    assert all(("/en/" in url) == (language == "en") for url in decoded)


def test_it_reads_back_in_malay_and_in_english(made: Module) -> None:
    malay, english = flat(made.booklets["ms"].text), flat(made.booklets["en"].text)
    for heading in ("Nombor kecemasan", "Talian bantuan kebangsaan", "Warga emas", "Kanak-kanak"):
        assert heading in malay and heading not in english
    for heading in ("Emergency numbers", "National helplines", "Children", "Older people"):
        assert heading in english and heading not in malay
    assert "Disahkan pada 15 Ogos 2026" in malay
    assert "15 August 2026" in english


def test_the_emergency_page_has_999_talian_kasih_and_the_district_police(made: Module) -> None:
    page = run("pdftotext", "-layout", "-f", "4", "-l", "4", str(made.booklets["en"].path), "-")
    assert "Emergency numbers" in page
    for number in ("999", "15999", "019-261 5999", "Balai Polis Sepang", "03-3141 2222"):
        assert number in page


def page_size(path: Path) -> tuple[float, float]:
    match = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", run("pdfinfo", str(path)))
    assert match
    return float(match.group(1)), float(match.group(2))


def test_a5_and_a4(made: Module) -> None:
    assert page_size(made.booklets["ms"].path) == pytest.approx(A5, abs=0.5)
    assert page_size(made.booklets["en"].path) == pytest.approx(A4, abs=0.5)


def test_the_index_gives_the_page_of_the_entry(made: Module) -> None:
    booklet = made.booklets["ms"]
    name = "Rumah Selamat Salak"
    index = booklet.text.split("Index of organisations (A–Z)")[-1]
    match = re.search(rf"^\s*{name}\s+(\d+)\s*$", index, re.MULTILINE)
    assert match, index
    page = int(match.group(1))
    assert 4 < page <= booklet.pages
    text = run("pdftotext", "-f", str(page), "-l", str(page), str(booklet.path), "-")
    assert name in text and "Tempat perlindungan" in text  # the entry itself, not a mention


def test_the_contents_point_to_the_emergency_page(made: Module) -> None:
    match = re.search(r"^\s*Nombor kecemasan\s+(\d+)\s*$", made.booklets["ms"].text, re.M)
    assert match
    page = match.group(1)
    text = run("pdftotext", "-f", page, "-l", page, str(made.booklets["ms"].path), "-")
    assert "999" in text and "15999" in text


def test_fonts_are_embedded(made: Module) -> None:
    rows = run("pdffonts", str(made.booklets["ms"].path)).splitlines()[2:]
    assert rows and all("DejaVu" in row for row in rows)
    assert all(row.split()[-5] == "yes" for row in rows)  # the "emb" column


def test_progress_is_reported_up_to_100(made: Module) -> None:
    percents = [percent for _label, percent in made.booklets["ms"].progress]
    assert percents == sorted(percents) and percents[-1] == 100 and len(percents) >= 3
