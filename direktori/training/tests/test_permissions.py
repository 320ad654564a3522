"""Every page and API operation of the programme, for every role: anonymous, a CBO member and
chair of a Sepang CBO, the Sepang district officer, the officer of another district (Gombak),
the Selangor state officer and an HQ administrator."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from direktori.accounts.models import ApiToken, User
from direktori.accounts.testing import signed_in

from .conftest import Programme

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "cbo_member",
    "cbo_chair",
    "district_officer",
    "other_officer",
    "state_officer",
    "hq_admin",
)
ALL = dict.fromkeys(ROLES[1:], 200)
OFFICERS = {"cbo_member": 404, "cbo_chair": 404} | dict.fromkeys(ROLES[3:], 200)
SEPANG_OFFICERS = OFFICERS | {"other_officer": 404}
SEPANG = ALL | {"other_officer": 404}
CHAIR_AND_SEPANG_OFFICERS = SEPANG_OFFICERS | {"cbo_chair": 200}


def _pages(p: Programme) -> list[tuple[str, dict[str, Any], dict[str, int]]]:
    certificate = p.attend(p.colleague).certificate_number
    session = {"pk": p.session.pk}
    return [
        ("training:list", {}, ALL),
        ("training:create", {}, OFFICERS),
        ("training:detail", session, SEPANG),
        ("training:edit", session, SEPANG_OFFICERS),
        ("training:attendance", session, SEPANG_OFFICERS),
        ("training:me", {}, ALL),
        ("training:person", {"pk": p.colleague.pk}, CHAIR_AND_SEPANG_OFFICERS),
        ("training:needs", {}, OFFICERS),
        ("training:needs_csv", {}, OFFICERS),
        ("training:certificate", {"number": certificate}, CHAIR_AND_SEPANG_OFFICERS),
    ]


def test_pages_answer_each_role(programme: Programme) -> None:
    wrong = []
    clients = {role: signed_in(Client(), user) for role, user in programme.users.items()}
    for name, kwargs, expected in _pages(programme):
        url = reverse(name, kwargs=kwargs)
        response = Client().get(url)
        if response.status_code != 302 or not response["Location"].startswith("/akaun/masuk/"):
            wrong.append(f"{name} anonymous: {response.status_code}")
        for role, status in expected.items():
            got = clients[role].get(url).status_code
            if got != status:
                wrong.append(f"{name} {role}: {got}, not {status}")
    assert wrong == []


def test_members_see_their_own_record_and_certificate(programme: Programme) -> None:
    own = programme.attend(programme.member)
    client = signed_in(Client(), programme.users["cbo_member"])
    assert client.get(reverse("training:person", args=[programme.member.pk])).status_code == 200
    pdf = client.get(reverse("training:certificate", args=[own.certificate_number]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_sessions_of_another_district_are_not_listed(programme: Programme) -> None:
    for role in ("other_officer", "gombak_member"):
        client = signed_in(Client(), programme.users[role])
        page = client.get(reverse("training:list") + "?when=past")
        assert programme.session.title not in page.content.decode(), role
        assert (
            client.get(reverse("training:detail", args=[programme.session.pk])).status_code == 404
        )
    client = signed_in(Client(), programme.users["cbo_member"])
    page = client.get(reverse("training:list") + "?when=past")
    assert programme.session.title in page.content.decode()


def test_a_member_sees_a_session_elsewhere_they_are_registered_for(programme: Programme) -> None:
    gombak = programme.new_session(district=programme.gombak_cbo.area, title="Sesi di Gombak")
    client = signed_in(Client(), programme.users["cbo_member"])
    assert client.get(reverse("training:detail", args=[gombak.pk])).status_code == 404
    programme.attend(programme.member, gombak, status="registered")
    assert client.get(reverse("training:detail", args=[gombak.pk])).status_code == 200


def _api(user: User | None, method: str, path: str, payload: Any = None) -> int:
    headers = {}
    if user is not None:
        _token, key = ApiToken.issue(
            user=user, lifetime=datetime.timedelta(minutes=5), verified_second_factor=True
        )
        headers["Authorization"] = f"Bearer {key}"
    call: Callable[..., Any] = getattr(Client(), method)
    if payload is None:
        return int(call(path, headers=headers).status_code)
    response = call(
        path, data=json.dumps(payload), content_type="application/json", headers=headers
    )
    return int(response.status_code)


def test_the_api_answers_each_role(programme: Programme) -> None:
    session = f"/api/v1/training/sessions/{programme.session.pk}"
    create = {
        "title": "Sesi baharu",
        "starts_on": "2026-12-05",
        "place": "Dewan Orang Ramai Salak Tinggi",
        "district": "10_7",
        "topics": ["child-protection"],
        "trainer": "Pegawai JKM",
        "organiser": "JKM",
    }
    created = {"cbo_member": 404, "cbo_chair": 404, "district_officer": 201}
    created |= {"other_officer": 404, "state_officer": 201, "hq_admin": 201}
    cases: list[tuple[str, str, dict[str, Any] | None, dict[str, int]]] = [
        ("get", "/api/v1/training/sessions", None, ALL),
        ("get", session, None, SEPANG),
        ("post", "/api/v1/training/sessions", create, created),
        ("post", f"{session}/attendance", {"attendance": []}, SEPANG_OFFICERS),
        ("get", "/api/v1/training/needs", None, OFFICERS),
        ("get", "/api/v1/training/me", None, ALL | dict.fromkeys(ROLES[3:], 404)),
    ]
    wrong = []
    for method, path, payload, expected in cases:
        if (got := _api(None, method, path, payload)) != 401:
            wrong.append(f"{method} {path} anonymous: {got}")
        for role, status in expected.items():
            got = _api(programme.users[role], method, path, payload)
            if got != status:
                wrong.append(f"{method} {path} {role}: {got}, not {status}")
    assert wrong == []
