"""The pages: adding and changing a session, registering members and ticking who attended
(with and without htmx), the training records, the session list, and both languages."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from direktori.accounts.testing import signed_in
from direktori.training.models import Attendance, TrainingSession
from direktori.training.views import PAGE_SIZE

from .conftest import Programme

pytestmark = pytest.mark.django_db


def _form(p: Programme, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Penjagaan warga emas dalam komuniti",
        "starts_on": "2026-12-12",
        "district": str(p.sepang.pk),
        "place": "Dewan Serbaguna Sungai Pelek",
        "topics": [str(p.topics["elderly-care"].pk), str(p.topics["disability-awareness"].pk)],
        "trainer": "Pegawai PDK Sepang",
        "organiser": "KPWKM",
        "notes": "",
    }
    data.update(fields)
    return data


def test_an_officer_adds_and_changes_a_session(programme: Programme) -> None:
    client = signed_in(Client(), programme.users["district_officer"])
    form = client.get(reverse("training:create")).context["form"]
    assert list(form.fields["district"].queryset) == [programme.sepang]
    assert form.fields["district"].initial == programme.sepang
    response = client.post(reverse("training:create"), _form(programme))
    session = TrainingSession.objects.get(title="Penjagaan warga emas dalam komuniti")
    assert response["Location"] == reverse("training:attendance", args=[session.pk])
    assert session.created_by == programme.users["district_officer"]
    assert set(session.topics.values_list("code", flat=True)) == {
        "elderly-care",
        "disability-awareness",
    }
    response = client.post(
        reverse("training:edit", args=[session.pk]), _form(programme, trainer="Pegawai JKM")
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.trainer == "Pegawai JKM"


def test_the_form_refuses_another_district_and_no_topics(programme: Programme) -> None:
    client = signed_in(Client(), programme.users["district_officer"])
    gombak = programme.gombak_cbo.area
    response = client.post(reverse("training:create"), _form(programme, district=str(gombak.pk)))
    assert "district" in response.context["form"].errors
    response = client.post(reverse("training:create"), _form(programme, topics=[]))
    assert "topics" in response.context["form"].errors
    assert TrainingSession.objects.count() == 1


def test_registering_and_ticking_who_attended_without_javascript(programme: Programme) -> None:
    client = signed_in(Client(), programme.users["district_officer"])
    url = reverse("training:attendance", args=[programme.session.pk])
    choices = client.get(url).context["register_form"].fields["people"].queryset
    assert set(choices) == {
        programme.chair,
        programme.member,
        programme.colleague,
        programme.neighbour,
    }
    assert programme.outsider not in choices
    people = [str(programme.member.pk), str(programme.colleague.pk)]
    response = client.post(url, {"action": "register", "people": people})
    assert response.status_code == 302 and Attendance.objects.count() == 2
    refused = client.post(url, {"action": "register", "people": [str(programme.outsider.pk)]})
    assert "people" in refused.context["register_form"].errors  # not among the choices
    member = Attendance.objects.get(person=programme.member)
    response = client.post(url, {"action": "mark", f"attended-{member.pk}": "on"})
    assert response.status_code == 302
    statuses = dict(Attendance.objects.values_list("person__full_name", "status"))
    assert statuses == {"Rosnah binti Yusof": "attended", "Lim Mei Ling": "absent"}
    page = client.get(reverse("training:detail", args=[programme.session.pk])).content.decode()
    member.refresh_from_db()
    assert member.certificate_number and member.certificate_number in page


def test_the_attendance_panel_works_with_htmx(programme: Programme) -> None:
    client = signed_in(Client(), programme.users["district_officer"])
    url = reverse("training:attendance", args=[programme.session.pk])
    page = client.get(url).content.decode()
    assert 'hx-post="' in page and 'hx-select="#attendance-panel"' in page
    response = client.post(
        url,
        {"action": "register", "people": [str(programme.member.pk)]},
        headers={"HX-Request": "true"},
        follow=True,
    )
    assert 'id="attendance-panel"' in response.content.decode()
    assert Attendance.objects.filter(person=programme.member).exists()


def test_before_the_session_only_registration_is_offered(programme: Programme) -> None:
    later = programme.new_session(starts_on=timezone.localdate() + datetime.timedelta(days=10))
    client = signed_in(Client(), programme.users["district_officer"])
    url = reverse("training:attendance", args=[later.pk])
    client.post(url, {"action": "register", "people": [str(programme.member.pk)]})
    page = client.get(url)
    assert "attended-" not in page.content.decode()
    row = Attendance.objects.get(session=later)
    response = client.post(url, {"action": "mark", f"attended-{row.pk}": "on"})
    assert response.status_code == 200 and response.context["attendance_form"].non_field_errors()
    row.refresh_from_db()
    assert row.status == "registered"


def test_my_record_lists_certificates_and_the_topics_still_required(programme: Programme) -> None:
    own = programme.attend(programme.member)
    later = programme.new_session(starts_on=timezone.localdate() + datetime.timedelta(days=3))
    programme.attend(programme.member, later, status="registered")
    client = signed_in(Client(), programme.users["cbo_member"])
    with translation.override("en"):
        url = reverse("training:me")
    response = client.get(url)
    record = response.context["record"]
    assert [a.pk for a in record.attended] == [own.pk]
    assert [a.session for a in record.upcoming] == [later]
    assert [t.code for t in record.topics_covered] == ["child-protection", "referral-system"]
    assert [t.code for t in record.missing_required] == [
        "domestic-violence",
        "elderly-care",
        "disability-awareness",
    ]
    page = response.content.decode()
    assert reverse("training:certificate", args=[own.certificate_number]) in page
    assert "Recognising domestic violence and referring to JKM" in page
    assert "Members of your CBO" not in page


def test_a_chair_sees_the_records_of_their_cbos_members(programme: Programme) -> None:
    programme.attend(programme.colleague)
    client = signed_in(Client(), programme.users["cbo_chair"])
    response = client.get(reverse("training:me"))
    rows = response.context["cbo_needs"]
    assert [row.cbo for row in rows] == [programme.cbo]
    names = {m.membership.person.full_name: m.missing_count for m in rows[0].members}
    assert names == {"Siti Aminah binti Hassan": 5, "Rosnah binti Yusof": 5, "Lim Mei Ling": 3}
    record = client.get(reverse("training:person", args=[programme.colleague.pk]))
    assert len(record.context["record"].attended) == 1
    assert client.get(reverse("training:person", args=[programme.neighbour.pk])).status_code == 404


def test_an_account_without_a_register_entry_is_told_so(programme: Programme) -> None:
    client = signed_in(Client(), programme.users["district_officer"])
    response = client.get(reverse("training:me"))
    assert response.status_code == 200 and response.context["person"] is None


def test_the_list_shows_upcoming_and_past_sessions_in_pages(programme: Programme) -> None:
    today = timezone.localdate()
    soon = programme.new_session(title="Sesi akan datang", starts_on=today)
    running = programme.new_session(
        title="Sesi dua hari",
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=1),
    )
    client = signed_in(Client(), programme.users["cbo_member"])
    upcoming = client.get(reverse("training:list")).context["page"].object_list
    assert [s.pk for s in upcoming] == [running.pk, soon.pk]
    past = client.get(reverse("training:list"), {"when": "past"}).context["page"]
    assert [s.pk for s in past.object_list] == [programme.session.pk]
    for day in range(PAGE_SIZE + 1):
        programme.new_session(starts_on=today - datetime.timedelta(days=30 + day))
    second = client.get(reverse("training:list"), {"when": "past", "page": "2"})
    assert len(second.context["page"].object_list) == 2
    assert "?when=past&amp;page=1" in second.content.decode()


def test_pages_speak_english_at_en(programme: Programme) -> None:
    client = signed_in(Client(), programme.users["district_officer"])
    with translation.override("en"):
        urls = [
            reverse("training:list"),
            reverse("training:needs"),
            reverse("training:detail", args=[programme.session.pk]),
        ]
    texts = [client.get(url).content.decode() for url in urls]
    assert "Training sessions" in texts[0] and "Add a session" in texts[0]
    assert "Training needs" in texts[1] and "Child protection basics" in texts[1]
    assert "Register members and record attendance" in texts[2]


def test_the_account_page_links_to_the_programme(programme: Programme) -> None:
    for role, link in (("cbo_member", "training:me"), ("district_officer", "training:needs")):
        page = signed_in(Client(), programme.users[role]).get(reverse("accounts:home"))
        assert reverse(link) in page.content.decode()
        assert reverse("training:list") in page.content.decode()
