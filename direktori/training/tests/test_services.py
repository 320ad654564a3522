from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from direktori.accounts.models import AccessGrant
from direktori.areas.models import Area
from direktori.audit.models import Action, AuditEvent
from direktori.training import services
from direktori.training.models import CERTIFICATE_NUMBER, Attendance, TrainingSession

from .conftest import Programme, membership_end

pytestmark = pytest.mark.django_db


def _create(p: Programme, role: str = "district_officer", **fields: Any) -> TrainingSession:
    values: dict[str, Any] = {
        "title": " Mengenali keganasan rumah tangga ",
        "starts_on": datetime.date(2026, 9, 5),
        "place": "Dewan Orang Ramai Salak Tinggi",
        "district": p.sepang,
        "topics": [p.topics["domestic-violence"]],
        "trainer": "Kaunselor KPWKM",
        "organiser": "KPWKM",
    }
    values.update(fields)
    return services.session_create(actor=p.users[role], **values)


def test_officers_create_sessions_in_their_own_area_only(programme: Programme) -> None:
    for role in ("district_officer", "state_officer", "hq_admin"):
        session = _create(programme, role)
        assert session.title == "Mengenali keganasan rumah tangga"
        assert list(session.topics.values_list("code", flat=True)) == ["domestic-violence"]
    for role in ("cbo_member", "cbo_chair", "other_officer"):
        with pytest.raises(PermissionDenied):
            _create(programme, role)
    event = AuditEvent.objects.filter(action=Action.RECORD_CREATED).latest("pk")
    assert event.object_type == "training.trainingsession" and event.area == programme.sepang
    assert event.detail["topics"] == ["domestic-violence"]


def test_break_the_glass_opens_reading_not_managing(programme: Programme) -> None:
    officer = programme.users["district_officer"]
    gombak = programme.gombak_cbo.area
    AccessGrant.objects.create(
        user=officer,
        area=gombak,
        reason="Kes rujukan dari daerah jiran, disahkan oleh penyelia.",
        ends_at=timezone.now() + datetime.timedelta(hours=1),
    )
    session = programme.new_session(district=gombak)
    assert TrainingSession.objects.visible_to(officer).filter(pk=session.pk).exists()
    with pytest.raises(PermissionDenied):
        _create(programme, district=gombak)
    with pytest.raises(PermissionDenied):
        services.attendance_register(actor=officer, session=session, people=[programme.outsider])


def test_a_session_needs_topics_a_district_and_a_place_in_it(programme: Programme) -> None:
    with pytest.raises(ValidationError) as error:
        _create(programme, topics=[])
    assert "topics" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _create(programme, locality=Area.objects.get(code="10_1"))
    assert "locality" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _create(programme, ends_on=datetime.date(2026, 9, 1))
    assert "ends_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _create(programme, "state_officer", district=Area.objects.get(code="10"))
    assert "district" in error.value.message_dict
    assert not TrainingSession.objects.exclude(pk=programme.session.pk).exists()


def test_moving_a_session_out_of_the_officers_area_is_refused(programme: Programme) -> None:
    officer = programme.users["district_officer"]
    with pytest.raises(PermissionDenied):
        services.session_update(
            actor=officer, session=programme.session, district=programme.gombak_cbo.area
        )
    assert programme.session.district == programme.sepang  # not even changed in memory
    programme.session.refresh_from_db()
    assert programme.session.district == programme.sepang
    changed = services.session_update(
        actor=officer,
        session=programme.session,
        title="Asas perlindungan kanak-kanak (siri 2)",
        topics=[programme.topics["child-protection"]],
    )
    assert changed == ["title", "topics"]
    with pytest.raises(ValidationError):
        services.session_update(actor=officer, session=programme.session, trainer=" ")
    with pytest.raises(TypeError):
        services.session_update(actor=officer, session=programme.session, created_by=None)


def test_registering_refuses_people_outside_the_officers_area_and_saves_nothing(
    programme: Programme,
) -> None:
    officer = programme.users["district_officer"]
    people = [programme.member, programme.colleague, programme.outsider]
    with pytest.raises(ValidationError) as error:
        services.attendance_register(actor=officer, session=programme.session, people=people)
    message = " ".join(error.value.message_dict["people"])
    assert str(programme.outsider.pk) in message and programme.outsider.full_name not in message
    assert not Attendance.objects.exists()
    membership_end(programme.colleague)  # no longer a current member: refused as well
    with pytest.raises(ValidationError):
        services.attendance_register(
            actor=officer, session=programme.session, people=[programme.colleague]
        )
    done = services.attendance_register(
        actor=officer, session=programme.session, people=[programme.member, programme.neighbour]
    )
    assert {a.status for a in done} == {"registered"} and len(done) == 2
    again = services.attendance_register(
        actor=officer, session=programme.session, people=[programme.member]
    )
    assert again == [] and Attendance.objects.count() == 2


def test_a_state_officer_registers_members_anywhere_in_the_state(programme: Programme) -> None:
    session = programme.new_session(district=programme.gombak_cbo.area)
    done = services.attendance_register(
        actor=programme.users["state_officer"],
        session=session,
        people=[programme.outsider, programme.member],
    )
    assert len(done) == 2


def test_marking_attendance_is_all_or_nothing(programme: Programme) -> None:
    officer = programme.users["district_officer"]
    services.attendance_register(
        actor=officer, session=programme.session, people=[programme.member, programme.colleague]
    )
    marks = {
        programme.member: "attended",
        programme.colleague: "absent",
        programme.outsider: "attended",
    }
    with pytest.raises(ValidationError):
        services.attendance_record(actor=officer, session=programme.session, marks=marks)
    assert set(Attendance.objects.values_list("status", flat=True)) == {"registered"}
    assert not Attendance.objects.exclude(certificate_number=None).exists()
    with pytest.raises(ValidationError):
        services.attendance_record(
            actor=officer, session=programme.session, marks={programme.member: "present"}
        )
    del marks[programme.outsider]
    changed = services.attendance_record(actor=officer, session=programme.session, marks=marks)
    assert len(changed) == 2
    attended = Attendance.objects.get(person=programme.member)
    assert attended.status == "attended" and attended.recorded_by == officer
    assert CERTIFICATE_NUMBER.match(attended.certificate_number or "")
    assert attended.certificate_number.startswith("PP-2026-")  # type: ignore[union-attr]
    assert Attendance.objects.get(person=programme.colleague).certificate_number is None
    event = AuditEvent.objects.filter(object_type="training.attendance").latest("pk")
    assert (event.detail["attended"], event.detail["absent"]) == (1, 1)
    assert event.detail["certificates_issued"] == 1


def test_a_certificate_is_withdrawn_when_attendance_is_taken_back(programme: Programme) -> None:
    officer = programme.users["district_officer"]
    first = services.attendance_record(
        actor=officer, session=programme.session, marks={programme.member: "attended"}
    )[0]
    number = first.certificate_number
    assert number and Attendance.objects.certificate(number).exists()
    assert (
        services.attendance_record(
            actor=officer, session=programme.session, marks={programme.member: "attended"}
        )
        == []
    )  # unchanged: the same number stands
    services.attendance_record(
        actor=officer, session=programme.session, marks={programme.member: "absent"}
    )
    assert not Attendance.objects.certificate(number).exists()
    event = AuditEvent.objects.filter(object_type="training.attendance").latest("pk")
    assert event.detail["certificates_withdrawn"] == 1


def test_attendance_waits_for_the_session_to_start(programme: Programme) -> None:
    officer = programme.users["district_officer"]
    later = programme.new_session(starts_on=timezone.localdate() + datetime.timedelta(days=7))
    services.attendance_register(actor=officer, session=later, people=[programme.member])
    for status in ("attended", "absent"):
        with pytest.raises(ValidationError):
            services.attendance_record(
                actor=officer, session=later, marks={programme.member: status}
            )
    assert Attendance.objects.get(session=later).status == "registered"


def test_nobody_but_the_sessions_officers_records_attendance(programme: Programme) -> None:
    for role in ("cbo_member", "cbo_chair", "other_officer"):
        with pytest.raises(PermissionDenied):
            services.attendance_record(
                actor=programme.users[role],
                session=programme.session,
                marks={programme.member: "attended"},
            )
    assert not Attendance.objects.exists()
