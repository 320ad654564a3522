"""Every move of the state machine, allowed and refused, by role and by status; and a property
test: random sequences of moves never reach an invalid state, and every change is one event."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from direktori.referrals import services, workflow
from direktori.referrals.models import (
    ENDED_STATUSES,
    EventAction,
    Referral,
    ReferralEvent,
    Status,
    Visibility,
)

from .conftest import People
from .factories import submit

pytestmark = pytest.mark.django_db

ROLES = (
    "reporter",
    "other_member",
    "chair",
    "sepang_officer",
    "petaling_officer",
    "selangor_officer",
    "johor_officer",
    "hq_admin",
    "no_role",
    "anonymous",
)
OFFICERS_OVER_SEPANG = {"sepang_officer", "selangor_officer", "hq_admin"}

#: For each action: the status to try it from, and the arguments it needs.
TRIES: dict[str, tuple[Status, dict[str, Any]]] = {
    "acknowledge": (Status.SUBMITTED, {}),
    "start": (Status.ACKNOWLEDGED, {}),
    "close": (Status.IN_PROGRESS, {"outcome": "helped_by_jkm"}),
    "reject": (Status.SUBMITTED, {"reason": "Bukan dalam bidang kuasa JKM."}),
    "withdraw": (Status.IN_PROGRESS, {}),
    "transfer": (Status.ACKNOWLEDGED, {"reason": "Alamat sebenar di Petaling."}),
    "note": (Status.CLOSED, {"note": "Lawatan susulan dibuat."}),
}
PATH = {
    Status.SUBMITTED: [],
    Status.ACKNOWLEDGED: ["acknowledge"],
    Status.IN_PROGRESS: ["acknowledge", "start"],
    Status.CLOSED: ["acknowledge", "start", "close"],
    Status.REJECTED: ["reject"],
    Status.WITHDRAWN: ["withdraw"],
}


def arguments(action: str, people: People) -> dict[str, Any]:
    extra = dict(TRIES[action][1])
    if action == "transfer":
        extra["district"] = people.petaling
    return extra


def referral_at(status: Status, people: People) -> Referral:
    referral = submit(people.reporter)
    for action in PATH[status]:
        actor = people.reporter if action == "withdraw" else people.sepang_officer
        services.referral_transition(
            referral=referral, action=action, actor=actor, **arguments(action, people)
        )
    referral.refresh_from_db()
    assert referral.status == status
    return referral


def actor_of(role: str, people: People) -> Any:
    return AnonymousUser() if role == "anonymous" else getattr(people, role)


def attempt(people: People, action: str, role: str) -> str:
    """What happens when `role` tries `action` from its usual status: "moved" or "refused"."""
    source, _extra = TRIES[action]
    referral = referral_at(source, people)
    events = referral.events.count()
    try:
        moved = services.referral_transition(
            referral=referral,
            action=action,
            actor=actor_of(role, people),
            **arguments(action, people),
        )
    except PermissionDenied:
        referral.refresh_from_db()
        assert referral.status == source and referral.events.count() == events
        return "refused"
    assert moved.status == workflow.target_status(action, source)
    assert referral.events.count() == events + 1
    event = referral.events.order_by("-at", "-pk").first()
    assert event is not None and event.action == action and event.from_status == source
    return "moved"


@pytest.mark.parametrize("action", list(TRIES))
def test_who_may_make_each_move(people: People, action: str) -> None:
    allowed = {"reporter"} if action == "withdraw" else OFFICERS_OVER_SEPANG
    outcomes = {role: attempt(people, action, role) for role in ROLES}
    assert outcomes == {role: "moved" if role in allowed else "refused" for role in ROLES}


@pytest.mark.parametrize("action", list(TRIES))
def test_each_move_is_refused_from_every_other_status(people: People, action: str) -> None:
    actor = people.reporter if action == "withdraw" else people.sepang_officer
    for status in Status:
        if workflow.allowed_from(action, status):
            continue
        referral = referral_at(status, people)
        events = referral.events.count()
        with pytest.raises(ValidationError):
            services.referral_transition(
                referral=referral, action=action, actor=actor, **arguments(action, people)
            )
        referral.refresh_from_db()
        assert referral.status == status and referral.events.count() == events


def test_the_table(people: People) -> None:
    assert workflow.actions_from(Status.SUBMITTED) == [
        "acknowledge",
        "reject",
        "withdraw",
        "transfer",
        "note",
    ]
    assert workflow.actions_from(Status.CLOSED) == ["note"]
    assert set(workflow.ACTIONS) == set(services.SERVICES)


def test_close_needs_an_outcome_and_referred_on_says_to_whom(people: People) -> None:
    referral = referral_at(Status.IN_PROGRESS, people)
    officer = people.sepang_officer
    cases: list[dict[str, Any]] = [
        {"outcome": ""},
        {"outcome": "referred_on"},
        {"outcome": "helped_by_jkm", "referred_to": "police"},
    ]
    for bad in cases:
        with pytest.raises(ValidationError):
            services.referral_transition(referral=referral, action="close", actor=officer, **bad)
    closed = services.referral_close(
        referral=referral, actor=officer, outcome="referred_on", referred_to="police"
    )
    assert (closed.status, closed.outcome, closed.referred_to) == (
        "closed",
        "referred_on",
        "police",
    )
    assert closed.closed_at is not None


def test_reject_and_transfer_need_a_reason(people: People) -> None:
    referral = referral_at(Status.SUBMITTED, people)
    officer = people.sepang_officer
    with pytest.raises(ValidationError):
        services.referral_reject(referral=referral, actor=officer, reason="  ")
    with pytest.raises(ValidationError):
        services.referral_transfer(
            referral=referral, actor=officer, district=people.petaling, reason=""
        )
    with pytest.raises(ValidationError):
        services.referral_transfer(
            referral=referral, actor=officer, district=people.sepang, reason="Sama daerah."
        )
    with pytest.raises(ValidationError):
        services.referral_transfer(
            referral=referral, actor=officer, district=people.dengkil, reason="Bukan daerah."
        )
    with pytest.raises(ValidationError):
        services.referral_add_note(referral=referral, actor=officer, note="")
    assert referral.events.count() == 1


def test_a_move_takes_no_arguments_it_does_not_use(people: People) -> None:
    referral = referral_at(Status.SUBMITTED, people)
    with pytest.raises(ValidationError) as raised:
        services.referral_transition(
            referral=referral, action="acknowledge", actor=people.sepang_officer, reason="x"
        )
    assert "reason" in raised.value.message_dict
    with pytest.raises(ValidationError):
        services.referral_transition(referral=referral, action="fly", actor=people.sepang_officer)


def test_transfer_keeps_one_referral_and_routes_it_to_the_new_office(people: People) -> None:
    referral = referral_at(Status.ACKNOWLEDGED, people)
    assert referral.assigned_officer == people.sepang_officer
    first_due = referral.due_at
    moved = services.referral_transfer(
        referral=referral,
        actor=people.sepang_officer,
        district=people.petaling,
        reason="Alamat sebenar di Petaling.",
        note="Telah dihubungi.",
    )
    assert moved.pk == referral.pk and Referral.objects.count() == 1
    assert moved.status == Status.SUBMITTED
    assert moved.assigned_office == moved.district == moved.area == people.petaling
    assert moved.acknowledged_at is None and moved.assigned_officer is None
    assert moved.due_at > first_due
    event = moved.events.get(action=EventAction.TRANSFER)
    assert (event.from_office, event.to_office) == (people.sepang, people.petaling)
    assert event.note == "Alamat sebenar di Petaling.\n\nTelah dihubungi."
    # Sepang's officer no longer acts on it; Petaling's does.
    with pytest.raises(PermissionDenied):
        services.referral_acknowledge(referral=moved, actor=people.sepang_officer)
    services.referral_acknowledge(referral=moved, actor=people.petaling_officer)


def test_a_transfer_inside_the_district_keeps_the_area(people: People) -> None:
    referral = submit(people.reporter, area=people.pekan_dengkil)
    moved = services.referral_transfer(
        referral=referral, actor=people.hq_admin, district=people.petaling, reason="Salah daerah."
    )
    assert moved.area == people.petaling  # Pekan Dengkil is not in Petaling


def test_notes_are_for_officers_and_the_reporter_sees_only_shared_events(people: People) -> None:
    referral = referral_at(Status.ACKNOWLEDGED, people)
    services.referral_add_note(referral=referral, actor=people.sepang_officer, note="Rahsia.")
    note = referral.events.get(action=EventAction.NOTE)
    assert note.visibility == Visibility.OFFICERS and note.from_status == note.to_status
    assert set(
        referral.events.exclude(action=EventAction.NOTE).values_list("visibility", flat=True)
    ) == {Visibility.SHARED}


# The property -----------------------------------------------------------------------------------

STEP = st.tuples(
    st.sampled_from(workflow.ACTIONS), st.sampled_from(["officer", "reporter", "stranger"])
)


def check_invariants(referral: Referral) -> None:
    assert referral.status in Status.values
    assert (referral.status == Status.CLOSED) == bool(referral.outcome)
    assert (referral.status in ENDED_STATUSES) == (referral.closed_at is not None)
    if referral.status == Status.SUBMITTED:
        assert referral.acknowledged_at is None
    if referral.status == Status.REJECTED:
        assert referral.rejection_reason


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(STEP, max_size=12))
def test_random_moves_never_break_the_machine(people: People, steps: list[tuple[str, str]]) -> None:
    referral = submit(people.reporter)
    actors = {
        "officer": people.sepang_officer,
        "reporter": people.reporter,
        "stranger": people.petaling_officer,
    }
    changes = 1  # the submission
    for action, who in steps:
        before = referral.status
        try:
            services.referral_transition(
                referral=referral, action=action, actor=actors[who], **arguments(action, people)
            )
        except (PermissionDenied, ValidationError):
            referral.refresh_from_db()
            assert referral.status == before
        else:
            changes += 1
            referral.refresh_from_db()
            assert referral.status == workflow.target_status(action, before)
        check_invariants(referral)
        assert ReferralEvent.objects.filter(referral=referral).count() == changes
