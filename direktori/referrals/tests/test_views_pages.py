"""The referral pages after submitting: the reporter's list and view, the officer's queue, a
referral's page with its moves, and the overdue dashboard — who may see and do what (404 for
everyone else), what each view shows and hides, and that every read is audited."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from direktori.audit.models import Action, AuditEvent
from direktori.referrals import services
from direktori.referrals.models import Referral, Status

from .conftest import People
from .factories import SECRET_CONCERN, SECRET_MYKAD, SECRET_NAME, submit
from .test_views_form import client

pytestmark = pytest.mark.django_db

LIST = "/akaun/rujukan/"
OVERDUE = "/akaun/rujukan/lewat/"
NOTE = "Nota sulit pegawai: bapa tiri pernah ditahan"
STRANGERS = ("other_member", "chair", "petaling_officer", "johor_officer", "no_role")
OVER_SEPANG = ("sepang_officer", "selangor_officer", "hq_admin")


def detail(referral: Referral) -> str:
    return reverse("referrals:detail", args=[referral.pk])


def act(referral: Referral) -> str:
    return reverse("referrals:act", args=[referral.pk])


def test_the_reporter_sees_their_own_referrals_only(people: People) -> None:
    mine = submit(people.reporter)
    theirs = submit(people.other_member)
    html = client(people.reporter).get(LIST).content.decode()
    assert mine.reference in html and theirs.reference not in html
    assert SECRET_NAME not in html and SECRET_CONCERN not in html


def test_the_reporters_view_never_shows_notes_or_officers(people: People) -> None:
    referral = submit(people.reporter)
    officer = people.sepang_officer
    officer.first_name, officer.last_name = "Rahimah", "Pegawai"
    officer.save()
    services.referral_acknowledge(referral=referral, actor=officer, note=NOTE)
    services.referral_add_note(referral=referral, actor=officer, note=NOTE + " 2")
    response = client(people.reporter).get(detail(referral))
    html = response.content.decode()
    assert response.status_code == 200
    assert referral.reference in html and "Rahimah" not in html and officer.username not in html
    assert "bapa tiri" not in html and SECRET_MYKAD not in html and SECRET_NAME not in html
    assert [e.action for e in response.context["history"]] == ["submit", "acknowledge"]
    # The withdraw button while allowed.
    assert f'action="{act(referral)}"' in html and 'value="withdraw"' in html


def test_who_may_open_a_referral(people: People) -> None:
    referral = submit(people.reporter)
    services.referral_add_note(referral=referral, actor=people.sepang_officer, note=NOTE)
    for name in OVER_SEPANG:
        response = client(getattr(people, name)).get(detail(referral))
        html = response.content.decode()
        assert response.status_code == 200, name
        assert NOTE in html and SECRET_NAME in html and SECRET_MYKAD in html, name
    for name in STRANGERS:
        assert client(getattr(people, name)).get(detail(referral)).status_code == 404, name
    assert "/akaun/masuk/" in client(None).get(detail(referral))["Location"]
    assert client(people.reporter).get(f"/akaun/rujukan/{Referral().pk}/").status_code == 404


def test_break_the_glass_opens_reading_not_acting(people: People) -> None:
    referral = submit(people.reporter)
    people.petaling_breaks_the_glass()
    petaling = client(people.petaling_officer)
    response = petaling.get(detail(referral))
    assert response.status_code == 200 and response.context["emergency_access"]
    assert response.context["forms"] == {}
    queue = petaling.get(LIST).context["rows"]
    assert [(row["referral"], row["read_only"]) for row in queue] == [(referral, True)]
    assert petaling.post(act(referral), {"action": "acknowledge"}).status_code == 404
    assert Referral.objects.get().status == Status.SUBMITTED
    viewed = AuditEvent.objects.filter(object_id=str(referral.pk), action=Action.RECORD_VIEWED)
    assert viewed.get().detail == {"what": "detail", "via": "page", "emergency_access": True}


def test_the_queue_is_the_officers_area_most_urgent_then_oldest(people: People) -> None:
    now = timezone.now()
    routine = submit(people.reporter, urgency="routine", now=now)
    immediate = submit(people.reporter, urgency="immediate", now=now)
    urgent_old = submit(people.chair, urgency="urgent", now=now)
    urgent_new = submit(people.other_member, urgency="urgent", now=now)
    Referral.objects.filter(pk=urgent_old.pk).update(created_at=now - datetime.timedelta(days=1))
    elsewhere = submit(people.reporter, area=people.petaling)
    closed = submit(people.reporter)
    for action in ("acknowledge", "start"):
        services.referral_transition(referral=closed, action=action, actor=people.sepang_officer)
    services.referral_close(referral=closed, actor=people.sepang_officer, outcome="not_reached")
    expected = [immediate, urgent_old, urgent_new, routine]
    for name in ("sepang_officer", "selangor_officer", "hq_admin"):
        rows = client(getattr(people, name)).get(LIST).context["rows"]
        got = [row["referral"] for row in rows if row["referral"] != elsewhere]
        assert got == expected, name
    assert [r["referral"] for r in client(people.petaling_officer).get(LIST).context["rows"]] == [
        elsewhere
    ]
    assert client(people.johor_officer).get(LIST).context["rows"] == []
    sepang = client(people.sepang_officer)
    assert [r["referral"] for r in sepang.get(LIST, {"status": "closed"}).context["rows"]] == [
        closed
    ]
    assert [r["referral"] for r in sepang.get(LIST, {"urgency": "urgent"}).context["rows"]] == [
        urgent_old,
        urgent_new,
    ]
    elderly = sepang.get(LIST, {"target_group": "elderly", "status": "all"}).context["rows"]
    assert elderly == []
    assert len(sepang.get(LIST, {"status": "all"}).context["rows"]) == 5
    # Officers reach their own referrals at ?mine=1; the members' page has no queue.
    assert [r.pk for r in client(people.reporter).get(LIST).context["page"].object_list] == [
        r.pk for r in Referral.objects.filter(reporter=people.reporter).order_by("-created_at")
    ]
    assert "rows" not in client(people.reporter).get(LIST).context


def test_the_queue_marks_overdue_referrals_and_is_paged(people: People) -> None:
    late = submit(
        people.reporter, urgency="immediate", now=timezone.now() - datetime.timedelta(hours=3)
    )
    for _number in range(25):
        submit(people.other_member, urgency="routine")
    sepang = client(people.sepang_officer)
    first = sepang.get(LIST)
    rows = first.context["rows"]
    assert len(rows) == 25 and first.context["page"].paginator.count == 26
    assert rows[0]["referral"] == late and rows[0]["overdue"]
    assert not any(row["overdue"] for row in rows[1:])
    html = first.content.decode()
    assert '<tr class="overdue">' in html and 'class="pagination"' in html
    second = sepang.get(LIST, {"page": 2})
    assert len(second.context["rows"]) == 1


def test_the_overdue_dashboard(people: People) -> None:
    hours_ago = timezone.now() - datetime.timedelta(hours=3)
    late = submit(people.reporter, urgency="immediate", now=hours_ago)
    late_petaling = submit(
        people.reporter, urgency="immediate", now=hours_ago, area=people.petaling
    )
    submit(people.reporter, urgency="routine")  # not due yet
    for name in ("reporter", "other_member", "chair", "no_role"):
        assert client(getattr(people, name)).get(OVERDUE).status_code == 404, name
    sepang = client(people.sepang_officer).get(OVERDUE)
    assert [r.pk for r in sepang.context["page"].object_list] == [late.pk]
    state = client(people.selangor_officer).get(OVERDUE)
    assert {(row["office"].code, row["count"]) for row in state.context["districts"]} == {
        ("10_7", 1),
        ("10_5", 1),
    }
    assert {r.pk for r in state.context["page"].object_list} == {late.pk, late_petaling.pk}
    assert client(people.johor_officer).get(OVERDUE).context["total"] == 0
    assert client(people.hq_admin).get(OVERDUE).context["total"] == 2
    assert "/akaun/masuk/" in client(None).get(OVERDUE)["Location"]


def test_officers_move_a_referral_through_its_life(people: People) -> None:
    referral = submit(people.reporter)
    sepang = client(people.sepang_officer)
    page = sepang.get(detail(referral)).context
    assert list(page["forms"]) == ["acknowledge", "reject", "transfer", "note"]
    response = sepang.post(act(referral), {"action": "acknowledge", "acknowledge-note": NOTE})
    assert response.status_code == 302 and response["Location"] == detail(referral)
    assert Referral.objects.get().status == Status.ACKNOWLEDGED
    assert sepang.post(act(referral), {"action": "start"}).status_code == 302
    # Closing asks first; nothing changes until confirmed.
    close = {"action": "close", "close-outcome": "referred_on", "close-referred_to": "police"}
    asked = sepang.post(act(referral), close)
    assert asked.status_code == 200 and "referrals/confirm.html" in [
        t.name for t in asked.templates
    ]
    html = asked.content.decode()
    assert (
        'name="confirm" value="yes"' in html and 'name="close-outcome" value="referred_on"' in html
    )
    assert Referral.objects.get().status == Status.IN_PROGRESS
    done = sepang.post(act(referral), {**close, "confirm": "yes"})
    referral.refresh_from_db()
    assert done.status_code == 302 and referral.status == Status.CLOSED
    assert (referral.outcome, referral.referred_to) == ("referred_on", "police")
    assert sepang.post(act(referral), {"action": "note", "note-note": NOTE}).status_code == 302
    assert referral.events.filter(note=NOTE).count() == 2
    # A move the state machine no longer allows: 400 with the reason, nothing changes.
    again = sepang.post(act(referral), {"action": "start"})
    assert again.status_code == 400 and Referral.objects.get().status == Status.CLOSED


def test_a_move_with_missing_input_is_refused_on_its_field(people: People) -> None:
    referral = submit(people.reporter)
    sepang = client(people.sepang_officer)
    response = sepang.post(
        act(referral), {"action": "reject", "reject-reason": "  ", "confirm": "yes"}
    )
    assert response.status_code == 400 and "reason" in response.context["failed"].errors
    assert 'id="move-reject" open' in response.content.decode()
    close = sepang.post(act(referral), {"action": "close", "close-outcome": "nonsense"})
    assert close.status_code == 400 and "outcome" in close.context["failed"].errors
    assert Referral.objects.get().status == Status.SUBMITTED


def test_who_may_make_which_move(people: People) -> None:
    referral = submit(people.reporter)
    for name in (*STRANGERS, "reporter"):
        response = client(getattr(people, name)).post(act(referral), {"action": "acknowledge"})
        assert response.status_code == 404, name
    for name in ("other_member", "sepang_officer", "selangor_officer"):
        response = client(getattr(people, name)).post(
            act(referral), {"action": "withdraw", "confirm": "yes"}
        )
        assert response.status_code == 404, name
    assert (
        client(people.sepang_officer).post(act(referral), {"action": "anything"}).status_code == 404
    )
    assert client(None).post(act(referral), {"action": "acknowledge"}).status_code == 302
    assert Referral.objects.get().status == Status.SUBMITTED
    assert (
        client(people.selangor_officer).post(act(referral), {"action": "acknowledge"}).status_code
        == 302
    )
    assert Referral.objects.get().status == Status.ACKNOWLEDGED


def test_the_reporter_withdraws_after_confirming(people: People) -> None:
    referral = submit(people.reporter)
    reporter = client(people.reporter)
    asked = reporter.post(act(referral), {"action": "withdraw"})
    assert asked.status_code == 200 and Referral.objects.get().status == Status.SUBMITTED
    done = reporter.post(act(referral), {"action": "withdraw", "confirm": "yes"})
    assert done.status_code == 302 and done["Location"] == detail(referral)
    assert Referral.objects.get().status == Status.WITHDRAWN
    assert 'value="withdraw"' not in reporter.get(detail(referral)).content.decode()


def test_a_transfer_out_of_the_officers_area_returns_to_the_queue(people: People) -> None:
    referral = submit(people.reporter)
    move = {
        "action": "transfer",
        "transfer-district": "10_5",
        "transfer-reason": "Alamat di Petaling.",
    }
    sepang = client(people.sepang_officer)
    asked = sepang.post(act(referral), move)
    assert asked.status_code == 200 and asked.context["district"] == people.petaling
    done = sepang.post(act(referral), {**move, "confirm": "yes"})
    assert done.status_code == 302 and done["Location"] == LIST
    assert Referral.objects.get().assigned_office == people.petaling
    assert sepang.get(detail(referral)).status_code == 404
    assert client(people.petaling_officer).get(detail(referral)).status_code == 200
    # A state officer who transfers inside the state still sees it.
    back = {"action": "transfer", "transfer-district": "10_7", "transfer-reason": "Silap alamat."}
    done = client(people.selangor_officer).post(act(referral), {**back, "confirm": "yes"})
    assert done["Location"] == detail(referral)


def test_every_page_read_is_audited_without_personal_data(people: People) -> None:
    referral = submit(
        people.reporter, urgency="immediate", now=timezone.now() - datetime.timedelta(hours=2)
    )
    sepang = client(people.sepang_officer)
    sepang.get(LIST)
    sepang.get(detail(referral))
    sepang.get(OVERDUE)
    reads = AuditEvent.objects.filter(action=Action.RECORD_VIEWED).order_by("when", "pk")
    assert [(e.actor, e.object_id, e.detail) for e in reads] == [
        (people.sepang_officer, "", {"what": "queue", "via": "page", "shown": 1}),
        (people.sepang_officer, str(referral.pk), {"what": "detail", "via": "page"}),
        (people.sepang_officer, "", {"what": "overdue", "via": "page", "shown": 1}),
    ]
    refused: Any = client(people.johor_officer).get(detail(referral))
    assert refused.status_code == 404 and reads.count() == 3


def test_notifications_link_to_the_referrals_page(
    people: People, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """In Malay (the default), whatever the language of the reporter's page."""
    settings.DIREKTORI = {**settings.DIREKTORI, "PUBLIC_BASE_URL": "https://direktori.example.my"}
    with django_capture_on_commit_callbacks(execute=True):
        client(people.reporter).post(
            "/en/akaun/rujukan/baru/",
            {
                "client_token": "3f0c4c8e-6f51-4a39-9d57-7b1f0cb0f6a1",
                "urgency": "urgent",
                "target_group": "elderly",
                "concern": SECRET_CONCERN,
                "district": "10_7",
                "subject_sex": "unknown",
                "consent": "subject",
            },
        )
    referral = Referral.objects.get()
    link = f"https://direktori.example.my/akaun/rujukan/{referral.pk}/"
    assert mail.outbox and all(link in message.body for message in mail.outbox)


def test_the_account_page_links_to_the_referral_pages(people: People) -> None:
    links = {
        "reporter": ("/akaun/rujukan/baru/", "/akaun/rujukan/"),
        "chair": ("/akaun/rujukan/baru/", "/akaun/rujukan/"),
        "sepang_officer": ("/akaun/rujukan/", "/akaun/rujukan/lewat/"),
        "selangor_officer": ("/akaun/rujukan/", "/akaun/rujukan/lewat/"),
        "hq_admin": ("/akaun/rujukan/", "/akaun/rujukan/lewat/"),
    }
    for name, paths in links.items():
        html = client(getattr(people, name)).get("/akaun/").content.decode()
        for path in paths:
            assert f'href="{path}"' in html, (name, path)
    member = client(people.reporter).get("/akaun/").content.decode()
    assert 'href="/akaun/rujukan/lewat/"' not in member
    assert 'href="/akaun/rujukan/' not in client(people.no_role).get("/akaun/").content.decode()
