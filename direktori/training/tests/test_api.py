from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client

from direktori.accounts.models import ApiToken, User
from direktori.training.models import Attendance, TrainingSession

from .conftest import Programme

pytestmark = pytest.mark.django_db


def _headers(user: User) -> dict[str, str]:
    _token, key = ApiToken.issue(
        user=user, lifetime=datetime.timedelta(minutes=5), verified_second_factor=True
    )
    return {"Authorization": f"Bearer {key}"}


def _get(user: User, path: str) -> Any:
    return Client().get(path, headers=_headers(user))


def _post(user: User, path: str, payload: dict[str, Any]) -> Any:
    return Client().post(
        path, data=json.dumps(payload), content_type="application/json", headers=_headers(user)
    )


def _session_payload(**fields: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "title": "Kesedaran OKU dan pendaftaran OKU",
        "starts_on": "2026-12-19",
        "place": "Dewan Orang Ramai Dengkil",
        "district": "10_7",
        "locality": "10_7:dengkil",
        "topics": ["disability-awareness"],
        "trainer": "Pegawai PDK Sepang",
        "organiser": "KPWKM",
    }
    payload.update(fields)
    return payload


def test_officers_add_sessions(programme: Programme) -> None:
    officer = programme.users["district_officer"]
    response = _post(officer, "/api/v1/training/sessions", _session_payload())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["district"] == {"code": "10_7", "name": "Sepang"}
    assert body["locality"]["code"] == "10_7:dengkil"
    assert [t["code"] for t in body["topics"]] == ["disability-awareness"]
    assert TrainingSession.objects.get(pk=body["id"]).created_by == officer
    bad = _post(officer, "/api/v1/training/sessions", _session_payload(topics=["no-such-topic"]))
    assert bad.status_code == 400 and "topics" in bad.json()["errors"]
    bad = _post(officer, "/api/v1/training/sessions", _session_payload(locality="10_1"))
    assert bad.status_code == 400 and "locality" in bad.json()["errors"]
    bad = _post(officer, "/api/v1/training/sessions", _session_payload(ends_on="2026-12-01"))
    assert bad.status_code == 400 and "ends_on" in bad.json()["errors"]
    elsewhere = _post(officer, "/api/v1/training/sessions", _session_payload(district="10_1"))
    assert elsewhere.status_code == 404
    assert TrainingSession.objects.count() == 2


def test_each_caller_sees_only_the_attendance_they_may(programme: Programme) -> None:
    for person in (programme.chair, programme.member, programme.colleague):
        programme.attend(person)
    programme.attend(programme.neighbour, status="absent")
    path = f"/api/v1/training/sessions/{programme.session.pk}"
    seen = {
        role: {row["full_name"] for row in _get(programme.users[role], path).json()["attendance"]}
        for role in ("cbo_member", "cbo_chair", "district_officer", "state_officer")
    }
    assert seen["cbo_member"] == {"Rosnah binti Yusof"}
    assert seen["cbo_chair"] == {"Siti Aminah binti Hassan", "Rosnah binti Yusof", "Lim Mei Ling"}
    assert seen["district_officer"] == seen["cbo_chair"] | {"Kamala a/p Raju"}
    assert seen["state_officer"] == seen["district_officer"]
    own = _get(programme.users["cbo_member"], path).json()["attendance"][0]
    assert own["certificate_url"].endswith(f"/sijil/{own['certificate_number']}.pdf")
    body = _get(programme.users["cbo_member"], path).json()
    assert (body["registered"], body["attended"]) == (4, 3)
    assert _get(programme.users["other_officer"], path).status_code == 404


def test_recording_attendance_is_all_or_nothing(programme: Programme) -> None:
    officer = programme.users["district_officer"]
    path = f"/api/v1/training/sessions/{programme.session.pk}/attendance"
    batch = [
        {"person": str(programme.member.pk), "status": "attended"},
        {"person": str(programme.outsider.pk), "status": "attended"},
    ]
    response = _post(officer, path, {"attendance": batch})
    assert response.status_code == 400
    assert str(programme.outsider.pk) in json.dumps(response.json()["errors"])
    assert not Attendance.objects.exists()
    unknown = [{"person": "00000000-0000-4000-8000-000000000000", "status": "attended"}]
    assert _post(officer, path, {"attendance": unknown}).status_code == 400
    invalid = [{"person": str(programme.member.pk), "status": "present"}]
    assert _post(officer, path, {"attendance": invalid}).status_code == 400
    batch[1] = {"person": str(programme.colleague.pk), "status": "absent"}
    response = _post(officer, path, {"attendance": batch})
    assert response.status_code == 200, response.content
    rows = {row["full_name"]: row for row in response.json()["attendance"]}
    assert rows["Rosnah binti Yusof"]["status"] == "attended"
    assert rows["Rosnah binti Yusof"]["certificate_number"].startswith("PP-2026-")
    assert rows["Lim Mei Ling"]["certificate_number"] is None
    assert _post(programme.users["cbo_chair"], path, {"attendance": batch}).status_code == 404


def test_the_list_and_my_record(programme: Programme) -> None:
    own = programme.attend(programme.member)
    member = programme.users["cbo_member"]
    upcoming = _get(member, "/api/v1/training/sessions").json()
    assert upcoming == {"count": 0, "items": []}
    past = _get(member, "/api/v1/training/sessions?when=past").json()
    assert [item["id"] for item in past["items"]] == [str(programme.session.pk)]
    assert _get(member, "/api/v1/training/sessions?when=later").status_code == 400
    record = _get(member, "/api/v1/training/me").json()
    assert record["full_name"] == "Rosnah binti Yusof"
    assert [a["certificate_number"] for a in record["attended"]] == [own.certificate_number]
    assert [s["title"] for s in record["sessions"]] == ["Asas perlindungan kanak-kanak"]
    assert [t["code"] for t in record["topics_covered"]] == ["child-protection", "referral-system"]
    assert len(record["missing_required"]) == 3
    assert _get(programme.users["gombak_member"], "/api/v1/training/me").status_code == 404
