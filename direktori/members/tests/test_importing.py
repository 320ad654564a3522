"""`import_members` and its web preview (CONTRACT; issue 6, "Done means")."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from direktori.accounts.testing import signed_in
from direktori.directory.models import Organization
from direktori.directory.tests.factories import OrganizationFactory
from direktori.members.importing import COLUMNS
from direktori.members.models import Membership, MembershipTerm, Person

from .conftest import Register

pytestmark = pytest.mark.django_db


def row(cbo: object, **values: str) -> dict[str, str]:
    base = {
        "organisation_id": str(getattr(cbo, "pk", cbo)),
        "full_name": "Rahmah binti Ali",
        "phone": "013-555 1234",
        "email": "",
        "role": "bendahari",
        "appointed_by": "MPKK",
        "appointed_on": "2026-01-01",
        "term_ends_on": "2027-12-31",
        "listed_publicly": "tidak",
    }
    return base | values


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def run(path: Path, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_members", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_imports_and_reimport_updates_never_duplicates(register: Register, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "a.csv", [row(register.cbo), row(register.cbo, full_name="Ali", phone="")]
    )
    assert "2 created" in run(path)[0]
    assert "2 unchanged" in run(path)[0]
    assert Membership.objects.filter(cbo=register.cbo).count() == 4
    assert not MembershipTerm.objects.exists()
    again = row(
        register.cbo, role="pengerusi", appointed_on="2028-01-01", term_ends_on="2029-12-31"
    )
    write_csv(path, [again])
    assert "1 updated" in run(path)[0]
    membership = Membership.objects.get(person__phone="+60135551234")
    assert membership.role == "pengerusi"
    assert str(membership.term_ends_on) == "2029-12-31"
    term = MembershipTerm.objects.get(membership=membership)
    assert term.role == "bendahari" and term.appointed_on.year == 2026
    assert Person.objects.filter(full_name="Rahmah binti Ali").count() == 1


def test_same_name_in_the_same_cbo_is_the_same_person(register: Register, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", [row(register.cbo, phone="", full_name="Siti Pengerusi")])
    assert "1 updated" in run(path)[0]
    assert Membership.objects.filter(cbo=register.cbo).count() == 2


@pytest.mark.parametrize(
    ("values", "column"),
    [
        ({"organisation_id": "8a6e0804-2bd0-4672-b79d-d97027f9071a"}, "organisation_id"),
        ({"organisation_id": "not-a-uuid"}, "organisation_id"),
        ({"appointed_on": "2026-01-01", "term_ends_on": "2025-12-31"}, "term_ends_on"),
        ({"appointed_on": "1/1/2026"}, "appointed_on"),
        ({"role": "raja"}, "role"),
        ({"appointed_by": "PBT"}, "appointed_by"),
        ({"phone": "12345"}, "phone"),
        ({"listed_publicly": "mungkin"}, "listed_publicly"),
    ],
)
def test_refuses_naming_row_and_column_and_saves_nothing(
    register: Register, tmp_path: Path, values: dict[str, str], column: str
) -> None:
    good = row(register.cbo, full_name="Baik", phone="013-555 0000")
    path = write_csv(tmp_path / "a.csv", [good, row(register.cbo, **values)])
    before = Membership.objects.count(), Person.objects.count()
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was saved"):
        call_command("import_members", str(path), stderr=err)
    assert f"row 3, column {column}:" in err.getvalue()
    assert (Membership.objects.count(), Person.objects.count()) == before


def test_refuses_an_organisation_that_is_not_a_cbo(register: Register, tmp_path: Path) -> None:
    ngo = OrganizationFactory.create(kind=Organization.Kind.NGO)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_members", str(write_csv(tmp_path / "a.csv", [row(ngo)])), stderr=err)
    assert "row 2, column organisation_id: Organisasi ini bukan CBO." in err.getvalue()


def test_dry_run_saves_nothing(register: Register, tmp_path: Path) -> None:
    out, _err = run(write_csv(tmp_path / "a.csv", [row(register.cbo)]), "--dry-run")
    assert "would be 1 created" in out
    assert not Person.objects.filter(full_name="Rahmah binti Ali").exists()


def test_reads_xlsx(register: Register, tmp_path: Path) -> None:
    import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    values = row(register.cbo)
    values["appointed_on"] = datetime.datetime(2026, 1, 1)  # type: ignore[assignment]
    sheet.append([values[c] for c in COLUMNS])
    book.save(tmp_path / "a.xlsx")
    assert "1 created" in run(tmp_path / "a.xlsx")[0]


def upload(rows: list[dict[str, str]]) -> SimpleUploadedFile:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile("list.csv", text.getvalue().encode(), content_type="text/csv")


def test_web_preview_then_confirm(register: Register) -> None:
    client = signed_in(Client(), register.officer)
    url = reverse("members:import")
    response = client.post(url, {"file": upload([row(register.cbo)])})
    assert response.status_code == 200
    assert "Rahmah binti Ali" in response.content.decode()
    assert not Person.objects.filter(full_name="Rahmah binti Ali").exists()
    token = response.context["confirm_form"].initial["token"]
    response = client.post(url, {"token": token})
    assert response.status_code == 200 and response.context["done"]
    assert Membership.objects.filter(person__full_name="Rahmah binti Ali").exists()


def test_web_refuses_cbos_outside_the_officers_area(register: Register) -> None:
    client = signed_in(Client(), register.officer)
    response = client.post(reverse("members:import"), {"file": upload([row(register.other_cbo)])})
    assert response.context["problems"][0].column == "organisation_id"
    assert "confirm_form" not in response.context


def test_a_token_is_bound_to_the_officer(register: Register) -> None:
    client = signed_in(Client(), register.officer)
    url = reverse("members:import")
    token = (
        client.post(url, {"file": upload([row(register.cbo)])})
        .context["confirm_form"]
        .initial["token"]
    )
    from direktori.accounts.models import Role
    from direktori.accounts.testing import account

    stranger = signed_in(Client(), account(Role.DISTRICT_OFFICER, "10_7"))
    response = stranger.post(url, {"token": token})
    assert response.context["file_errors"]
    assert not Person.objects.filter(full_name="Rahmah binti Ali").exists()


def test_cbo_users_may_not_import(register: Register) -> None:
    assert (
        signed_in(Client(), register.chair_user).get(reverse("members:import")).status_code == 404
    )


def test_people_and_accounts_with_the_same_mobile_number_are_linked(reference_areas: None) -> None:
    """Either order: the account first (import links it) or the person first (the new account
    links itself), so a volunteer's own page works without anyone linking them by hand."""
    from direktori.accounts.models import Role
    from direktori.accounts.testing import account
    from direktori.directory.tests.factories import OrganizationFactory
    from direktori.members.models import Person
    from direktori.members.services import person_link_account

    cbo = OrganizationFactory.create()
    first = account(Role.CBO_MEMBER, organisation=cbo, phone="013-777 1234")
    person = Person.objects.create(full_name="Aminah", phone="+60137771234")
    assert person_link_account(person=person)
    person.refresh_from_db()
    assert person.user == first
    later = Person.objects.create(full_name="Kamal", phone="+60137775678")
    second = account(Role.CBO_MEMBER, organisation=cbo, phone="013-777 5678")
    later.refresh_from_db()
    assert later.user == second
    assert not person_link_account(person=later)  # already linked: nothing changes
