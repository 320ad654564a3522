"""The district's training needs: its figures equal counts made directly in the database (SQL),
on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from direktori.accounts.models import ApiToken, User
from direktori.accounts.testing import signed_in
from direktori.areas.models import Area
from direktori.audit.models import Action, AuditEvent
from direktori.members.models import MemberRole
from direktori.members.tests.factories import MembershipFactory, PersonFactory
from direktori.training.selectors import Needs, training_needs

from .conftest import Programme, membership_end

pytestmark = pytest.mark.django_db

MEMBERS_IN = """
    FROM members_membership m
    JOIN directory_organization o ON o.id = m.cbo_id
    JOIN areas_area a ON a.id = o.area_id
    WHERE m.status = 'active' AND o.kind = 'cbo' AND o.status = 'active'
      AND a.path LIKE %s {cbo}
"""
NOT_ATTENDED = """
    AND NOT EXISTS (
      SELECT 1 FROM training_attendance t
      JOIN training_trainingsession_topics st ON st.trainingsession_id = t.session_id
      JOIN training_topic tp ON tp.id = st.topic_id
      WHERE t.person_id = m.person_id AND t.status = 'attended' AND tp.code = %s)
"""
ANY_MISSING = """
    AND EXISTS (
      SELECT 1 FROM training_topic tp WHERE tp.required = %s AND NOT EXISTS (
        SELECT 1 FROM training_attendance t
        JOIN training_trainingsession_topics st ON st.trainingsession_id = t.session_id
        WHERE t.person_id = m.person_id AND t.status = 'attended' AND st.topic_id = tp.id))
"""


def sql_count(
    path: str, *, topic: str | None = None, cbo_name: str | None = None, any_missing: bool = False
) -> int:
    """Distinct people (or, for one CBO, its memberships) still needing `topic`."""
    what = "COUNT(*)" if cbo_name else "COUNT(DISTINCT m.person_id)"
    sql = f"SELECT {what} " + MEMBERS_IN.format(cbo="AND o.name = %s" if cbo_name else "")
    params: list[str | bool] = [path + "%"]
    if cbo_name:
        params.append(cbo_name)
    if topic:
        sql += NOT_ATTENDED
        params.append(topic)
    if any_missing:
        sql += ANY_MISSING
        params.append(True)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])


@pytest.fixture
def world(programme: Programme) -> Programme:
    p = programme
    gombak_session = p.new_session(
        district=p.gombak_cbo.area, topics=[p.topics["domestic-violence"]], title="Sesi Gombak"
    )
    p.attend(p.member)  # child protection + referral system
    p.attend(p.colleague, status="absent")
    p.attend(p.neighbour, gombak_session)  # outside the district, but a Sepang member: counts
    p.attend(p.chair, p.new_session(topics=[p.topics["elderly-care"]]), status="registered")
    p.attend(p.outsider)
    both = MembershipFactory.create(cbo=p.other_cbo, person=PersonFactory.create(phone=""))
    MembershipFactory.create(cbo=p.cbo, person=both.person, role=MemberRole.AJK)
    p.attend(both.person, p.new_session(topics=list(p.topics.values())))  # every topic: done
    ended = MembershipFactory.create(cbo=p.cbo, person=PersonFactory.create(phone=""))
    membership_end(ended.person)
    return p


def _check(needs: Needs, path: str) -> None:
    codes = [topic.code for topic in needs.topics]
    assert codes == [
        "child-protection",
        "domestic-violence",
        "elderly-care",
        "disability-awareness",
        "referral-system",
    ]
    assert needs.per_topic == [sql_count(path, topic=code) for code in codes]
    assert needs.people == sql_count(path)
    assert needs.people_needing == sql_count(path, any_missing=True)
    for row in needs.cbos:
        expected = [sql_count(path, topic=code, cbo_name=row.cbo.name) for code in codes]
        assert row.per_topic == expected, row.cbo.name
        assert len(row.members) == sql_count(path, cbo_name=row.cbo.name)


def test_the_districts_figures_equal_a_count_in_the_database(world: Programme) -> None:
    needs = training_needs(user=world.users["district_officer"])
    _check(needs, world.sepang.path)
    # Sepang: chair, member, colleague, neighbour, and one person in both CBOs.
    assert needs.people == 5 and needs.people_needing == 4
    assert needs.per_topic == [3, 3, 4, 4, 3]
    assert [row.cbo for row in needs.cbos] == [world.other_cbo, world.cbo]
    state = training_needs(user=world.users["state_officer"])
    _check(state, Area.objects.get(code="10").path)
    assert state.people == 6  # and the Gombak member


def test_the_page_the_csv_and_the_api_show_the_same_figures(world: Programme) -> None:
    officer = world.users["district_officer"]
    needs = training_needs(user=officer)
    client = signed_in(Client(), officer)
    page = client.get(reverse("training:needs"))
    assert page.context["needs"].per_topic == needs.per_topic
    assert world.outsider.full_name not in page.content.decode()
    response = client.get(reverse("training:needs_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][6:] == [f"needs_{t.code}" for t in needs.topics] + ["topics_needed"]
    assert [int(n) for n in rows[-1][6:-1]] == needs.per_topic
    assert len(rows) == 2 + sum(len(row.members) for row in needs.cbos)
    assert AuditEvent.objects.filter(
        action=Action.RECORD_EXPORTED, object_type="training.needs", actor=officer
    ).exists()
    answer = _api(officer, "/api/v1/training/needs").json()
    assert list(answer["per_topic"].values()) == needs.per_topic
    assert answer["people_needing"] == needs.people_needing
    member = next(
        m
        for cbo in answer["cbos"]
        for m in cbo["members"]
        if m["person_id"] == str(world.member.pk)
    )
    assert member["missing"] == ["domestic-violence", "elderly-care", "disability-awareness"]


def test_a_state_officer_narrows_to_one_district(world: Programme) -> None:
    officer = world.users["state_officer"]
    client = signed_in(Client(), officer)
    page = client.get(reverse("training:needs"), {"district": "10_1"})
    needs = page.context["needs"]
    assert [row.cbo for row in needs.cbos] == [world.gombak_cbo]
    assert _api(officer, "/api/v1/training/needs?district=10_1").json()["people"] == 1
    assert (
        _api(world.users["district_officer"], "/api/v1/training/needs?district=10_1").status_code
        == 404
    )


def test_csv_cells_that_look_like_formulas_are_quoted(programme: Programme) -> None:
    programme.colleague.full_name = "=HYPERLINK(1)"
    programme.colleague.save()
    response = signed_in(Client(), programme.users["district_officer"]).get(
        reverse("training:needs_csv")
    )
    assert "'=HYPERLINK(1)" in response.content.decode("utf-8-sig")


def _api(user: User, path: str) -> Any:
    _token, key = ApiToken.issue(
        user=user, lifetime=datetime.timedelta(minutes=5), verified_second_factor=True
    )
    return Client().get(path, headers={"Authorization": f"Bearer {key}"})
