"""`/api/v1/referrals…`: the CONTRACT shapes, the two views, 404 for whoever may not see or do."""

from __future__ import annotations

import datetime
import json
import uuid
from typing import Any

import pytest
from django.test import Client

from direktori.accounts.models import ApiToken, User
from direktori.referrals import services
from direktori.referrals.models import Referral

from .conftest import People
from .factories import SECRET_CONCERN, SECRET_MYKAD, SECRET_NAME, submit

pytestmark = pytest.mark.django_db

STRANGERS = ("other_member", "chair", "petaling_officer", "johor_officer", "no_role")
REPORTER_KEYS = {
    "view",
    "id",
    "reference",
    "status",
    "target_group",
    "urgency",
    "created_at",
    "acknowledged_at",
    "closed_at",
    "outcome",
    "referred_to",
    "rejection_reason",
    "history",
}


def headers(user: User | None) -> dict[str, str]:
    if user is None:
        return {}
    _token, key = ApiToken.issue(
        user=user, lifetime=datetime.timedelta(minutes=5), verified_second_factor=True
    )
    return {"Authorization": f"Bearer {key}"}


def call(method: str, url: str, user: User | None, payload: dict[str, Any] | None = None) -> Any:
    client = Client()
    if method == "get":
        return client.get(url, payload or {}, headers=headers(user))
    return client.post(
        url,
        data=json.dumps(payload or {}),
        content_type="application/json",
        headers=headers(user),
    )


def body(**fields: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "target_group": "children",
        "district": "10_7",
        "urgency": "urgent",
        "summary": SECRET_CONCERN,
        "consent": {"given": True, "by": "guardian"},
        "subject": {"name_or_description": SECRET_NAME, "age": 7, "mykad": "900101-10-5678"},
    }
    payload.update(fields)
    return payload


def test_anonymous_callers_get_401(people: People) -> None:
    referral = submit(people.reporter)
    for method, url in (
        ("post", "/api/v1/referrals"),
        ("get", "/api/v1/referrals"),
        ("get", f"/api/v1/referrals/{referral.pk}"),
        ("post", f"/api/v1/referrals/{referral.pk}/transitions"),
        ("get", f"/api/v1/referrals/{referral.pk}/events"),
    ):
        assert call(method, url, None).status_code == 401


def test_the_contract_minimum_creates_a_referral(people: People) -> None:
    minimal = {
        "target_group": "elderly",
        "district": "10_7",
        "urgency": "routine",
        "summary": "Warga emas tinggal seorang.",
        "consent": {"given": True, "by": "subject"},
    }
    response = call("post", "/api/v1/referrals", people.reporter, minimal)
    assert response.status_code == 201
    created = response.json()
    assert set(created) == {"id", "reference", "status"} and created["status"] == "submitted"
    referral = Referral.objects.get(pk=created["id"])
    assert referral.reference == created["reference"] and referral.assigned_office == people.sepang


def test_a_locality_in_the_district_and_nested_details(people: People) -> None:
    response = call(
        "post",
        "/api/v1/referrals",
        people.sepang_officer,
        body(
            area=people.pekan_dengkil.code,
            reporter_phone="019-261 5999",
            consent={"given": False, "reason": "Kanak-kanak dalam bahaya."},
        ),
    )
    assert response.status_code == 201, response.content
    referral = Referral.objects.get(pk=response.json()["id"])
    assert referral.area == people.pekan_dengkil and referral.subject_mykad == SECRET_MYKAD
    assert referral.subject_age_band == "6_12" and referral.reporter_phone == "+60192615999"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"district": "10"}, "district"),
        ({"district": "99_9"}, "district"),
        ({"area": "10_5"}, "area"),
        (
            {
                "target_group": "elderly",
                "urgency": "routine",
                "consent": {"given": False, "reason": "Tidak sempat bertanya."},
            },
            "consent_given",
        ),
        ({"consent": {"given": False}}, "consent_reason"),
        ({"subject": {"mykad": "123"}}, "subject_mykad"),
    ],
)
def test_problems_answer_400_by_field(people: People, fields: dict[str, Any], field: str) -> None:
    response = call("post", "/api/v1/referrals", people.reporter, body(**fields))
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert Referral.objects.count() == 0


def test_an_unknown_value_answers_400(people: People) -> None:
    response = call("post", "/api/v1/referrals", people.reporter, body(urgency="soon"))
    assert response.status_code == 400 and "urgency" in response.json()["detail"]


def test_a_repeated_client_token_returns_the_same_referral(people: People) -> None:
    token = str(uuid.uuid4())
    first = call("post", "/api/v1/referrals", people.reporter, body(client_token=token))
    again = call("post", "/api/v1/referrals", people.reporter, body(client_token=token))
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json() and Referral.objects.count() == 1


def test_a_user_without_a_role_may_not_submit(people: People) -> None:
    assert call("post", "/api/v1/referrals", people.no_role, body()).status_code == 404


def test_the_reporter_sees_only_their_view(people: People) -> None:
    referral = submit(people.reporter)
    services.referral_acknowledge(
        referral=referral, actor=people.sepang_officer, note="Nota dalaman pegawai."
    )
    services.referral_add_note(referral=referral, actor=people.sepang_officer, note="Rahsia lagi.")
    response = call("get", f"/api/v1/referrals/{referral.pk}", people.reporter)
    assert response.status_code == 200
    seen = response.json()
    assert set(seen) == REPORTER_KEYS and seen["view"] == "reporter"
    assert seen["status"] == "acknowledged" and seen["reference"] == referral.reference
    assert [step["action"] for step in seen["history"]] == ["submit", "acknowledge"]
    assert all(set(step) == {"action", "status", "at"} for step in seen["history"])
    text = response.content.decode()
    for hidden in (
        "Nota dalaman",
        "Rahsia lagi",
        SECRET_NAME,
        SECRET_CONCERN,
        SECRET_MYKAD,
        people.sepang_officer.username,
    ):
        assert hidden not in text
    listed = call("get", "/api/v1/referrals", people.reporter).json()
    assert listed["count"] == 1 and listed["results"][0]["view"] == "reporter"
    assert set(listed["results"][0]) == REPORTER_KEYS - {"history"} | {"history"}
    assert (
        call("get", f"/api/v1/referrals/{referral.pk}/events", people.reporter).status_code == 404
    )


@pytest.mark.parametrize("who", ["sepang_officer", "selangor_officer", "hq_admin"])
def test_officers_over_the_office_see_everything(people: People, who: str) -> None:
    referral = submit(people.reporter)
    services.referral_add_note(referral=referral, actor=people.sepang_officer, note="Nota pegawai.")
    seen = call("get", f"/api/v1/referrals/{referral.pk}", getattr(people, who)).json()
    assert seen["view"] == "officer" and seen["subject"]["name_or_description"] == SECRET_NAME
    assert seen["summary"] == SECRET_CONCERN and seen["office"] == "10_7"
    assert seen["actions"] == ["acknowledge", "reject", "transfer", "note"]
    events = call("get", f"/api/v1/referrals/{referral.pk}/events", getattr(people, who)).json()
    assert [e["action"] for e in events["results"]] == ["submit", "note"]
    assert events["results"][1]["note"] == "Nota pegawai."
    listed = call("get", "/api/v1/referrals", getattr(people, who)).json()
    assert listed["count"] == 1 and listed["results"][0]["view"] == "officer"


@pytest.mark.parametrize("who", STRANGERS)
def test_everyone_else_gets_404(people: People, who: str) -> None:
    referral = submit(people.reporter)
    user = getattr(people, who)
    for method, url, payload in (
        ("get", f"/api/v1/referrals/{referral.pk}", None),
        ("get", f"/api/v1/referrals/{referral.pk}/events", None),
        ("post", f"/api/v1/referrals/{referral.pk}/transitions", {"action": "acknowledge"}),
        ("post", f"/api/v1/referrals/{referral.pk}/transitions", {"action": "withdraw"}),
    ):
        assert call(method, url, user, payload).status_code == 404, (method, url)
    assert call("get", "/api/v1/referrals", user).json() == {"count": 0, "results": []}
    referral.refresh_from_db()
    assert referral.status == "submitted" and referral.events.count() == 1


def test_a_referral_that_does_not_exist_is_404(people: People) -> None:
    url = f"/api/v1/referrals/{uuid.uuid4()}"
    assert call("get", url, people.hq_admin).status_code == 404


def test_transitions_through_the_api(people: People) -> None:
    referral = submit(people.reporter)
    url = f"/api/v1/referrals/{referral.pk}/transitions"
    assert call("post", url, people.reporter, {"action": "acknowledge"}).status_code == 404
    done = call("post", url, people.sepang_officer, {"action": "acknowledge", "note": "Dilihat."})
    assert done.status_code == 200 and done.json()["status"] == "acknowledged"
    assert done.json()["assigned_officer"] == people.sepang_officer.username
    wrong = call("post", url, people.sepang_officer, {"action": "close", "outcome": "not_reached"})
    assert wrong.status_code == 400
    missing = call("post", url, people.sepang_officer, {"action": "reject"})
    assert missing.status_code == 400 and "reason" in missing.json()["errors"]
    extra = call("post", url, people.sepang_officer, {"action": "start", "district": "10_5"})
    assert extra.status_code == 400 and "district" in extra.json()["errors"]
    moved = call(
        "post",
        url,
        people.sepang_officer,
        {"action": "transfer", "district": "10_5", "reason": "Alamat di Petaling."},
    )
    assert moved.status_code == 200
    # Sepang no longer sees it; the reporter still does
    assert moved.json() == {
        "view": "transferred",
        "id": str(referral.pk),
        "status": "submitted",
        "reference": referral.reference,
        "office": "10_5",
    }
    assert call("get", f"/api/v1/referrals/{referral.pk}", people.sepang_officer).status_code == 404
    withdrawn = call("post", url, people.reporter, {"action": "withdraw"})
    assert withdrawn.status_code == 200
    assert withdrawn.json()["view"] == "reporter" and withdrawn.json()["status"] == "withdrawn"


def test_transfer_needs_a_known_district(people: People) -> None:
    referral = submit(people.reporter)
    url = f"/api/v1/referrals/{referral.pk}/transitions"
    response = call(
        "post",
        url,
        people.sepang_officer,
        {"action": "transfer", "district": "10_7:dengkil", "reason": "Salah."},
    )
    assert response.status_code == 400 and "district" in response.json()["errors"]


def test_list_pages_and_filters(people: People) -> None:
    made = [submit(people.reporter, urgency="routine") for _ in range(3)]
    services.referral_reject(referral=made[0], actor=people.sepang_officer, reason="Bukan kes.")
    page = call("get", "/api/v1/referrals", people.sepang_officer, {"limit": 2, "offset": 1})
    assert page.json()["count"] == 3 and len(page.json()["results"]) == 2
    rejected = call("get", "/api/v1/referrals", people.sepang_officer, {"status": "rejected"})
    assert [r["id"] for r in rejected.json()["results"]] == [str(made[0].pk)]
    assert call("get", "/api/v1/referrals", people.reporter, {"limit": 500}).status_code == 400
    late = call("get", "/api/v1/referrals", people.sepang_officer, {"overdue": "true"})
    assert late.json()["count"] == 0


def test_break_the_glass_opens_reading_not_acting(people: People) -> None:
    referral = submit(people.reporter)
    people.petaling_breaks_the_glass()
    seen = call("get", f"/api/v1/referrals/{referral.pk}", people.petaling_officer)
    assert seen.status_code == 200 and seen.json()["actions"] == []
    url = f"/api/v1/referrals/{referral.pk}/transitions"
    assert call("post", url, people.petaling_officer, {"action": "acknowledge"}).status_code == 404
