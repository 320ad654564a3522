"""Every read and change of referral data is an audit event, and none carries personal data; nor
do the logs."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from direktori.audit.models import Action, AuditEvent
from direktori.referrals import services

from .conftest import People
from .factories import SECRET_ADDRESS, SECRET_CONCERN, SECRET_MYKAD, SECRET_NAME, submit
from .test_api import body, call

pytestmark = pytest.mark.django_db

SECRETS = (
    SECRET_NAME,
    SECRET_CONCERN,
    SECRET_MYKAD,
    SECRET_ADDRESS,
    "+60123456789",
    "Nota rahsia pegawai",
    "Sebab penolakan rahsia",
)


def events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type="referrals.referral").order_by("when", "pk"))


def test_every_change_is_audited_without_personal_data(people: People) -> None:
    referral = submit(people.reporter)
    officer = people.sepang_officer
    services.referral_acknowledge(referral=referral, actor=officer, note="Nota rahsia pegawai")
    services.referral_add_note(referral=referral, actor=officer, note="Nota rahsia pegawai 2")
    services.referral_reject(referral=referral, actor=officer, reason="Sebab penolakan rahsia")
    recorded = events()
    assert [(e.action, e.detail.get("action")) for e in recorded] == [
        (Action.RECORD_CREATED, None),
        (Action.RECORD_CHANGED, "acknowledge"),
        (Action.RECORD_CHANGED, "note"),
        (Action.RECORD_CHANGED, "reject"),
    ]
    assert all(e.object_id == str(referral.pk) and e.area == people.sepang for e in recorded)
    assert [e.actor for e in recorded] == [people.reporter, officer, officer, officer]
    assert recorded[3].detail == {"action": "reject", "from": "acknowledged", "to": "rejected"}
    dump = json.dumps([[e.detail, e.reason, e.object_id] for e in recorded], default=str)
    assert not [secret for secret in SECRETS if secret in dump]


def test_every_read_through_the_api_is_audited(people: People) -> None:
    referral = submit(people.reporter)
    call("get", "/api/v1/referrals", people.sepang_officer)
    call("get", f"/api/v1/referrals/{referral.pk}", people.sepang_officer)
    call("get", f"/api/v1/referrals/{referral.pk}/events", people.selangor_officer)
    call("get", f"/api/v1/referrals/{referral.pk}", people.reporter)
    viewed = [e for e in events() if e.action == Action.RECORD_VIEWED]
    assert [(e.actor, e.detail) for e in viewed] == [
        (people.sepang_officer, {"what": "detail", "via": "api", "shown": 1}),
        (people.sepang_officer, {"what": "detail", "via": "api"}),
        (people.selangor_officer, {"what": "events", "via": "api"}),
        (people.reporter, {"what": "detail", "via": "api"}),
    ]
    assert viewed[0].object_id == "" and viewed[1].object_id == str(referral.pk)
    assert all(e.ip_address == "127.0.0.1" for e in viewed)


def test_a_refused_read_is_not_a_read(people: People) -> None:
    referral = submit(people.reporter)
    call("get", f"/api/v1/referrals/{referral.pk}", people.johor_officer)
    assert not [e for e in events() if e.action == Action.RECORD_VIEWED]


def test_reads_through_emergency_access_say_so(people: People) -> None:
    referral = submit(people.reporter)
    people.petaling_breaks_the_glass()
    call("get", f"/api/v1/referrals/{referral.pk}", people.petaling_officer)
    viewed = [e for e in events() if e.action == Action.RECORD_VIEWED]
    assert viewed[-1].detail == {"what": "detail", "via": "api", "emergency_access": True}


def test_nothing_personal_reaches_the_logs(people: People, caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)
    response = call(
        "post",
        "/api/v1/referrals",
        people.reporter,
        body(reporter_phone="012-345 6789", address_or_landmark=SECRET_ADDRESS),
    )
    referral_id = response.json()["id"]
    call("post", "/api/v1/referrals", people.reporter, body(subject={"mykad": "123"}))
    url = f"/api/v1/referrals/{referral_id}/transitions"
    call("post", url, people.sepang_officer, {"action": "note", "note": "Nota rahsia pegawai"})
    call("post", url, people.sepang_officer, {"action": "close", "note": "Nota rahsia pegawai"})
    call("get", f"/api/v1/referrals/{referral_id}", people.sepang_officer)
    assert not [secret for secret in SECRETS if secret in caplog.text]
