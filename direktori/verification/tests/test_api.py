from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from direktori.accounts.models import ApiToken, User
from direktori.verification.models import ChangeProposal, ProposalStatus

from .conftest import World, proposal_for

pytestmark = pytest.mark.django_db


def call(user: User | None, method: str, path: str, body: Any = None) -> Any:
    headers = {}
    if user is not None:
        _token, key = ApiToken.issue(
            user=user, lifetime=timedelta(minutes=5), verified_second_factor=True
        )
        headers["Authorization"] = f"Bearer {key}"
    send = getattr(Client(), method)
    if body is None:
        return send("/api/v1" + path, headers=headers)
    return send(
        "/api/v1" + path, data=json.dumps(body), content_type="application/json", headers=headers
    )


def test_the_chair_proposes_through_the_api(world: World) -> None:
    body = {"kind": "service", "id": str(world.service.pk), "changes": {"name": "Lawatan API"}}
    answer = call(world.chair, "post", "/proposals", body)
    assert answer.status_code == 201, answer.content
    assert answer.json()["changes"] == {"name": "Lawatan API"}
    assert answer.json()["status"] == "proposed"
    other = {**body, "kind": "organization", "id": str(world.other_cbo.pk)}
    assert call(world.chair, "post", "/proposals", other).status_code == 404
    assert call(world.member, "post", "/proposals", body).status_code == 404
    assert call(world.officer, "post", "/proposals", body).status_code == 404
    assert call(None, "post", "/proposals", body).status_code == 401
    bad = call(world.chair, "post", "/proposals", {**body, "changes": {"phone": "12"}})
    assert bad.status_code == 400 and "phone" in bad.json()["errors"]
    assert [p["id"] for p in call(world.chair, "get", "/proposals").json()] == [answer.json()["id"]]
    assert call(world.member, "get", "/proposals").status_code == 404


def test_the_officer_reviews_through_the_api(world: World) -> None:
    first = proposal_for(world, name="Lawatan Diterima")
    assert call(world.johor_officer, "post", f"/proposals/{first.pk}/accept").status_code == 404
    assert call(world.johor_officer, "get", "/proposals").json() == []
    listed = call(world.officer, "get", "/proposals?status=proposed").json()
    assert [p["id"] for p in listed] == [first.pk]
    answer = call(world.officer, "post", f"/proposals/{first.pk}/accept")
    assert answer.status_code == 200 and answer.json()["status"] == "accepted"
    world.service.refresh_from_db()
    assert world.service.name == "Lawatan Diterima"
    assert world.service.verified_on == timezone.localdate()
    assert call(world.officer, "post", f"/proposals/{first.pk}/accept").status_code == 400
    second = proposal_for(world, description_en="Wrong")
    path = f"/proposals/{second.pk}/reject"
    assert call(world.officer, "post", path, {"reason": ""}).status_code == 400
    assert call(world.chair, "post", path, {"reason": "Tidak."}).status_code == 404
    answer = call(world.officer, "post", path, {"reason": "Tidak tepat."})
    assert answer.status_code == 200 and answer.json()["reason"] == "Tidak tepat."
    assert ChangeProposal.objects.get(pk=second.pk).status == ProposalStatus.REJECTED


def test_the_queue_and_verify_through_the_api(world: World) -> None:
    queue = call(world.officer, "get", "/verification/queue").json()
    ids = {entry["id"] for entry in queue["results"]}
    assert str(world.service.pk) in ids and str(world.johor_service.pk) not in ids
    assert queue["count"] == len(ids)
    assert call(world.chair, "get", "/verification/queue").status_code == 404
    verify = f"/verification/service/{world.service.pk}/verify"
    assert call(world.johor_officer, "post", verify).status_code == 404
    assert call(world.chair, "post", verify).status_code == 404
    unknown_kind = f"/verification/thing/{world.service.pk}/verify"
    assert call(world.officer, "post", unknown_kind).status_code == 404
    answer = call(world.officer, "post", verify)
    assert answer.status_code == 200
    assert answer.json()["verified_on"] == timezone.localdate().isoformat()
    world.service.refresh_from_db()
    assert world.service.verified_by == world.officer
