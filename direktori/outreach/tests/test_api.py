from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from direktori.accounts.models import ApiToken, User
from direktori.outreach.models import Activity

from .conftest import Place

pytestmark = pytest.mark.django_db


def _headers(user: User) -> dict[str, str]:
    _token, key = ApiToken.issue(
        user=user, lifetime=datetime.timedelta(minutes=5), verified_second_factor=True
    )
    return {"Authorization": f"Bearer {key}"}


def _post(user: User | None, payload: dict[str, Any]) -> Any:
    return Client().post(
        "/api/v1/activities",
        data=json.dumps(payload),
        content_type="application/json",
        headers=_headers(user) if user else {},
    )


def _payload(place: Place, **fields: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "cbo": str(place.sepang_cbo.pk),
        "target_group": "elderly",
        "kind": "talk",
        "date": timezone.localdate().isoformat(),
        "locality": place.locality.code,
        "people_reached": 30,
        "volunteers": 4,
        "description": "Ceramah keselamatan di rumah.",
    }
    payload.update(fields)
    return payload


def test_anonymous_callers_get_401(place: Place) -> None:
    assert Client().get("/api/v1/activities").status_code == 401
    assert Client().get("/api/v1/activities/summary").status_code == 401
    assert _post(None, _payload(place)).status_code == 401
    assert not Activity.objects.exists()


def test_a_member_records_for_their_own_cbo_only(place: Place) -> None:
    response = _post(place.member, _payload(place))
    assert response.status_code == 201, response.content
    assert response.json()["people_reached"] == 30
    assert Activity.objects.get().recorded_by == place.member
    response = _post(place.member, _payload(place, cbo=str(place.other_sepang_cbo.pk)))
    assert response.status_code == 404
    assert Activity.objects.count() == 1


def test_identifying_text_and_a_far_locality_are_refused(place: Place) -> None:
    response = _post(place.member, _payload(place, description="IC 800101-10-5566"))
    assert response.status_code == 400
    assert "MyKad" in " ".join(response.json()["errors"]["description"])
    response = _post(place.member, _payload(place, description="hubungi 019-8765432"))
    assert "telefon" in " ".join(response.json()["errors"]["description"])
    response = _post(place.member, _payload(place, locality="10_1"))
    assert "locality" in response.json()["errors"]
    assert not Activity.objects.exists()


def test_lists_show_each_caller_what_the_pages_show(place: Place) -> None:
    own = place.activity()
    place.activity(cbo=place.other_sepang_cbo, target_group=place.children)
    johor = place.activity(cbo=place.johor_cbo, locality=place.johor_cbo.area)

    def ids(user: User, **params: str) -> set[str]:
        response = Client().get("/api/v1/activities", params, headers=_headers(user))
        assert response.status_code == 200
        return {item["id"] for item in response.json()["items"]}

    assert ids(place.member) == {str(own.pk)}
    assert len(ids(place.district_officer)) == 2
    assert ids(place.district_officer, target_group="elderly") == {str(own.pk)}
    assert ids(place.johor_officer) == {str(johor.pk)}


def test_the_summary_is_for_officers_and_matches_the_records(place: Place) -> None:
    place.activity(people_reached=10)
    place.activity(people_reached=6, target_group=place.children)
    place.activity(people_reached=50, cbo=place.johor_cbo, locality=place.johor_cbo.area)
    member = Client().get("/api/v1/activities/summary", headers=_headers(place.member))
    assert member.status_code == 404
    response = Client().get("/api/v1/activities/summary", headers=_headers(place.district_officer))
    assert response.status_code == 200
    body = response.json()
    assert (body["people_reached"], body["activities"]) == (16, 2)
    assert [row["locality"]["code"] for row in body["rows"]] == [place.locality.code]
