"""`/api/v1/cbos/{id}/members` and `/api/v1/members/me`, and that contacts given without consent
reach no public page, export, search result or API response."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from direktori.accounts.models import ApiToken, User
from direktori.members.models import Person

from .conftest import PUBLIC_PHONE, SECRET_EMAIL, SECRET_PHONE, Register

pytestmark = pytest.mark.django_db


def bearer(user: User) -> dict[str, str]:
    _token, key = ApiToken.issue(
        user=user, lifetime=timedelta(minutes=5), verified_second_factor=True
    )
    return {"Authorization": f"Bearer {key}"}


def members_url(register: Register) -> str:
    return f"/api/v1/cbos/{register.cbo.pk}/members"


@pytest.mark.parametrize("who", ["chair_user", "member_user", "officer"])
def test_the_allowed_get_the_members(register: Register, who: str) -> None:
    response = Client().get(members_url(register), headers=bearer(getattr(register, who)))
    assert response.status_code == 200
    by_name = {m["full_name"]: m for m in response.json()}
    assert by_name["Siti Pengerusi"]["phone"] == SECRET_PHONE
    assert by_name["Siti Pengerusi"]["role"] == "pengerusi"
    assert set(by_name["Siti Pengerusi"]) == {
        "id", "full_name", "role", "appointed_by", "appointed_on", "term_ends_on", "status",
        "phone", "email", "listed_publicly",
    }  # fmt: skip


@pytest.mark.parametrize("who", ["other_officer", "other_cbo_member"])
def test_others_get_404(register: Register, who: str) -> None:
    response = Client().get(members_url(register), headers=bearer(getattr(register, who)))
    assert response.status_code == 404


def test_anonymous_gets_401(register: Register) -> None:
    assert Client().get(members_url(register)).status_code == 401
    assert Client().get("/api/v1/members/me").status_code == 401


def test_me_and_patch(register: Register) -> None:
    headers = bearer(register.member_user)
    me = Client().get("/api/v1/members/me", headers=headers).json()
    assert me["phone"] == PUBLIC_PHONE and me["memberships"][0]["role"] == "setiausaha"
    response = Client().patch(
        "/api/v1/members/me",
        data=json.dumps({"listed_publicly": False, "phone": "019-261 5999"}),
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200
    assert response.json()["listed_publicly"] is False
    person = Person.objects.get(user=register.member_user)
    assert person.phone == "+60192615999" and not person.listed_publicly
    bad = Client().patch(
        "/api/v1/members/me",
        data=json.dumps({"phone": "12", "role": "pengerusi"}),
        content_type="application/json",
        headers=headers,
    )
    assert bad.status_code == 400


def test_me_is_404_without_a_register_entry(register: Register) -> None:
    assert Client().get("/api/v1/members/me", headers=bearer(register.officer)).status_code == 404


def test_non_consented_contacts_reach_no_public_output(register: Register, tmp_path: Path) -> None:
    from direktori.search.indexing import reindex_all

    reindex_all()
    outputs = [
        Client().get(f"/organisasi/{register.cbo.pk}/").content,
        Client().get("/cari/", {"q": "Dengkil"}).content,
        Client().get("/cari/", {"q": "Siti Pengerusi"}).content,
        Client().get("/api/v1/search", {"q": "Siti Pengerusi"}).content,
        Client().get(f"/api/hsds/organizations/{register.cbo.pk}").content,
        Client().get("/api/hsds/organizations").content,
    ]
    call_command("export_hsds", str(tmp_path / "out"), stdout=None, stderr=None)
    outputs += [p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()]
    for output in outputs:
        text = output.decode("utf-8", errors="replace")
        assert SECRET_PHONE not in text and SECRET_EMAIL not in text
        assert SECRET_PHONE.removeprefix("+") not in text


def test_hsds_code_never_reads_the_register() -> None:
    source = Path(__file__).resolve().parents[2] / "hsds"
    for path in source.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "direktori.members" not in text and "Person" not in text, path
