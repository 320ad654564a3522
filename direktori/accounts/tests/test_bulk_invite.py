"""Inviting CBO members from a spreadsheet: every problem by row and column, all or nothing,
preview then confirm without uploading again."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from direktori.accounts import bulk_invite
from direktori.accounts.models import Role, User
from direktori.areas.models import Area
from direktori.directory.models import Organization
from direktori.directory.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

HEADER = "username,full_name,phone,email,role,organisation_id"
URL = "/akaun/pengguna/jemput/"


@pytest.fixture
def officer(make_account: Callable[..., User]) -> User:
    return make_account(Role.DISTRICT_OFFICER, "10_7", username="pegawai-sepang")


@pytest.fixture
def client(officer: User, sign_in: Callable[..., Client]) -> Client:
    return sign_in(officer)


@pytest.fixture
def cbo(officer: User) -> Organization:
    return OrganizationFactory.create(area=Area.objects.get(code="10_7"))


def csv_file(*lines: str, name: str = "ahli.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "\n".join([HEADER, *lines]).encode(), "text/csv")


def good_lines(cbo: Organization) -> list[str]:
    return [
        f"siti,Siti binti Ali,012-345 6789,siti@contoh.my,cbo_member,{cbo.pk}",
        f"ah-kow,Tan Ah Kow,019-261 5999,,cbo_chair,{cbo.pk}",
        f"muthu,Muthu a/l Raman,,,cbo_member,{cbo.pk}",
    ]


def problems(response: object) -> set[tuple[int, str]]:
    return {(p.row, p.column) for p in response.context["problems"]}  # type: ignore[attr-defined]


def test_the_url_is_the_contracts() -> None:
    assert reverse("accounts:manage_bulk_invite") == URL


def test_a_good_file_is_previewed_then_every_account_is_made_on_confirm(
    client: Client,
    cbo: Organization,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    before = User.objects.count()
    preview = client.post(URL, {"file": csv_file(*good_lines(cbo))})
    assert preview.status_code == 200
    assert not preview.context["problems"]
    assert [i.username for i in preview.context["invitations"]] == ["siti", "ah-kow", "muthu"]
    assert User.objects.count() == before  # nothing before the confirmation
    token = preview.context["confirm_form"].initial["token"]
    assert token in preview.content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        done = client.post(URL, {"token": token})
    assert done.status_code == 200
    made = {user.username: user for user, _link in done.context["invited"]}
    assert set(made) == {"siti", "ah-kow", "muthu"}
    siti = User.objects.get(username="siti")
    assert (siti.role, siti.area, siti.organisation, siti.phone) == (
        "cbo_member",
        cbo.area,
        cbo,
        "+60123456789",
    )
    assert siti.first_name == "Siti binti Ali" and not siti.has_usable_password()
    assert User.objects.get(username="ah-kow").role == "cbo_chair"
    assert [m.to for m in mail.outbox] == [["siti@contoh.my"]]
    for _user, link in done.context["invited"]:
        assert link in done.content.decode()


def test_one_bad_row_refuses_the_whole_file_naming_row_and_column(
    client: Client, cbo: Organization
) -> None:
    lines = good_lines(cbo)
    lines[1] = f"ah-kow,Tan Ah Kow,03-8947 5555,,cbo_chair,{cbo.pk}"  # a landline
    response = client.post(URL, {"file": csv_file(*lines)})
    assert problems(response) == {(3, "phone")}
    assert "confirm_form" not in response.context
    body = response.content.decode()
    assert '<th scope="row">3</th>' in body and "phone" in body
    assert not User.objects.filter(username__in=["siti", "ah-kow", "muthu"]).exists()


def test_every_kind_of_problem_is_reported(
    client: Client, cbo: Organization, make_account: Callable[..., User]
) -> None:
    make_account(Role.CBO_MEMBER, "10_7", username="sudah-ada", phone="011-2345 6789")
    johor_cbo = OrganizationFactory.create(area=Area.objects.get(code="1_2"))
    ngo = OrganizationFactory.create(area=cbo.area, kind=Organization.Kind.NGO)
    unknown = "7d4f9a52-1111-4c8e-9d7e-2a1b3c4d5e6f"
    lines = [
        f"satu,Satu,012-111 1111,,cbo_member,{unknown}",  # 2: unknown CBO
        f"dua,Dua,012-222 2222,,cbo_member,{johor_cbo.pk}",  # 3: CBO outside the area
        f"tiga,Tiga,012-333 3333,,district_officer,{cbo.pk}",  # 4: role not grantable
        f"satu,Satu Lagi,012-444 4444,,cbo_member,{cbo.pk}",  # 5: username again in the file
        f"lima,Lima,012-111 1111,,cbo_member,{cbo.pk}",  # 6: phone again in the file
        f"SUDAH-ADA,Enam,012-666 6666,,cbo_member,{cbo.pk}",  # 7: username in the database
        f"tujuh,Tujuh,011-2345 6789,,cbo_member,{cbo.pk}",  # 8: phone in the database
        f"lapan,Lapan,12345,,cbo_member,{cbo.pk}",  # 9: not a mobile number
        f"sembilan,,012-999 9999,bukan-emel,cbo_member,{ngo.pk}",  # 10: name, email, not a CBO
        "sepuluh,Sepuluh,,,cbo_member,bukan-uuid",  # 11: not an id
        f"nama salah!,Sebelas,,,cbo_member,{cbo.pk}",  # 12: a username the model refuses
    ]
    response = client.post(URL, {"file": csv_file(*lines)})
    assert problems(response) == {
        (2, "organisation_id"),
        (3, "organisation_id"),
        (4, "role"),
        (5, "username"),
        (6, "phone"),
        (7, "username"),
        (8, "phone"),
        (9, "phone"),
        (10, "full_name"),
        (10, "email"),
        (10, "organisation_id"),
        (11, "organisation_id"),
        (12, "username"),
    }
    assert User.objects.count() == 2


def test_uploading_the_same_file_again_reports_the_duplicates(
    client: Client, cbo: Organization
) -> None:
    preview = client.post(URL, {"file": csv_file(*good_lines(cbo))})
    client.post(URL, {"token": preview.context["confirm_form"].initial["token"]})
    assert User.objects.filter(username__in=["siti", "ah-kow", "muthu"]).count() == 3
    again = client.post(URL, {"file": csv_file(*good_lines(cbo))})
    assert problems(again) == {(2, "username"), (2, "phone"), (3, "username"), (3, "phone"),
                               (4, "username")}  # fmt: skip
    # Confirming the old preview again makes nothing either.
    replay = client.post(URL, {"token": preview.context["confirm_form"].initial["token"]})
    assert replay.context["refused"] and User.objects.count() == 4


def test_the_confirmation_checks_again_and_is_all_or_nothing(
    client: Client, cbo: Organization, make_account: Callable[..., User]
) -> None:
    preview = client.post(URL, {"file": csv_file(*good_lines(cbo))})
    make_account(Role.CBO_MEMBER, "10_7", username="muthu")  # taken meanwhile
    response = client.post(URL, {"token": preview.context["confirm_form"].initial["token"]})
    assert problems(response) == {(4, "username")}
    assert not User.objects.filter(username__in=["siti", "ah-kow"]).exists()


def test_a_changed_or_foreign_preview_is_refused(
    client: Client,
    cbo: Organization,
    make_account: Callable[..., User],
    sign_in: Callable[..., Client],
) -> None:
    preview = client.post(URL, {"file": csv_file(*good_lines(cbo))})
    token = preview.context["confirm_form"].initial["token"]
    tampered = client.post(URL, {"token": token[:-2] + ("AA" if token[-2:] != "AA" else "BB")})
    assert tampered.context["file_errors"]
    other = sign_in(make_account(Role.DISTRICT_OFFICER, "10_7", username="pegawai-lain"))
    assert other.post(URL, {"token": token}).context["file_errors"]
    assert not User.objects.filter(username="siti").exists()


def test_an_xlsx_file_is_read_like_a_csv(client: Client, cbo: Organization) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER.split(","))
    sheet.append(["siti", "Siti binti Ali", 123456789, None, "cbo_member", str(cbo.pk)])
    data = io.BytesIO()
    workbook.save(data)
    upload = SimpleUploadedFile("ahli.xlsx", data.getvalue(), "application/octet-stream")
    response = client.post(URL, {"file": upload})
    assert not response.context["problems"]
    assert response.context["invitations"][0].phone == "+60123456789"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"username,full_name\nsiti,Siti\n", "missing"),
        (HEADER.encode() + b"\n", "no one"),
        (b"\xd0\xcf\x11\xe0rest", ".xls"),
        (b"PK\x03\x04not really a zip", "XLSX"),
        ("nama,ñ".encode("latin-1"), "UTF-8"),
    ],
)
def test_a_file_that_cannot_be_used_says_why(client: Client, content: bytes, message: str) -> None:
    upload = SimpleUploadedFile("f", content)
    response = client.post("/en" + URL, {"file": upload})
    assert response.status_code == 200
    assert response.context["upload_form"].errors["file"]
    assert message in response.content.decode()


def test_semicolons_and_a_byte_order_mark_are_fine(cbo: Organization) -> None:
    text = "\ufeff" + HEADER.replace(",", ";") + f"\nsiti;Siti;;;cbo_member;{cbo.pk}\n"
    rows = bulk_invite.read(SimpleUploadedFile("a.csv", text.encode()))
    assert rows == [bulk_invite.Row(number=2, values={
        "username": "siti", "full_name": "Siti", "phone": "", "email": "",
        "role": "cbo_member", "organisation_id": str(cbo.pk)})]  # fmt: skip
