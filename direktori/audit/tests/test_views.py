import csv
import io

import pytest
from django.urls import reverse

from direktori.accounts.models import Role
from direktori.audit.models import Action, AuditEvent
from direktori.audit.services import audit_record
from direktori.core.spreadsheets import csv_cell

from .conftest import area

pytestmark = pytest.mark.django_db
LOG = "/akaun/audit/"


@pytest.fixture
def events(district_officer, make_user, johor_district):
    """One record viewed in Sepang, one in Johor, one in Selangor outside Sepang."""
    other = make_user(Role.STATE_OFFICER, "1", username="pegawai-johor")
    return {
        "sepang": audit_record(
            action=Action.RECORD_CHANGED, actor=other, object_type="t.sepang", area=area("10_7")
        ),
        "johor": audit_record(
            action=Action.RECORD_CHANGED, actor=other, object_type="t.johor", area=johor_district
        ),
        "selangor": audit_record(
            action=Action.RECORD_CHANGED, actor=other, object_type="t.selangor", area=area("10")
        ),
    }


def test_the_urls_in_both_languages():
    assert reverse("audit:log") == LOG
    assert reverse("audit:break_glass") == "/akaun/audit/akses-kecemasan/"


def test_anonymous_users_are_sent_to_sign_in(client):
    for url in (LOG, "/en/akaun/audit/", "/akaun/audit/muat-turun/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/akaun/masuk/?next=" in response["Location"]


@pytest.mark.parametrize("role", [Role.CBO_MEMBER, Role.CBO_CHAIR])
def test_cbo_roles_get_404(client, make_user, role):
    client.force_login(make_user(role, "10_7"))
    assert client.get(LOG).status_code == 404
    assert client.get("/akaun/audit/muat-turun/").status_code == 404


def test_an_unverified_officer_is_asked_for_the_second_factor(client, district_officer):
    client.force_login(district_officer)
    response = client.get(LOG)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:verify"))


def test_a_district_officer_sees_their_district_and_themselves_only(
    verified_client, district_officer, events
):
    own = audit_record(action=Action.RECORD_VIEWED, actor=district_officer, object_type="t.own")
    response = verified_client(district_officer).get(LOG)
    assert response.status_code == 200
    shown = {event.pk for event in response.context["events"]}
    assert events["sepang"].pk in shown
    assert own.pk in shown
    assert events["johor"].pk not in shown
    assert events["selangor"].pk not in shown
    assert b"t.johor" not in response.content


def test_an_hq_administrator_sees_everything(verified_client, hq_admin, events):
    nowhere = audit_record(action=Action.SIGN_IN_FAILED, username="siapa")
    response = verified_client(hq_admin).get("/en/akaun/audit/")
    assert response.status_code == 200
    shown = {event.pk for event in response.context["events"]}
    assert {e.pk for e in events.values()} | {nowhere.pk} <= shown
    assert b"Audit log" in response.content


def test_viewing_the_log_is_itself_recorded(verified_client, district_officer):
    verified_client(district_officer).get(LOG, {"action": "sign_in", "actor": "ali"})
    event = AuditEvent.objects.filter(action=Action.RECORD_VIEWED, object_type="audit.log").get()
    assert event.actor == district_officer
    assert event.area == district_officer.area
    assert event.detail == {"filters": {"action": "sign_in", "actor": "ali"}, "page": 1}


def test_filters_by_action_date_and_username(verified_client, hq_admin, events):
    client = verified_client(hq_admin)
    response = client.get(LOG, {"action": "record_changed", "actor": "JOHOR"})
    assert {e.pk for e in response.context["events"]} == {e.pk for e in events.values()}
    response = client.get(LOG, {"date_from": "2001-01-01", "date_to": "2001-01-02"})
    assert list(response.context["events"]) == []
    response = client.get("/en" + LOG, {"date_from": "2030-01-02", "date_to": "2030-01-01"})
    assert "The start date is after the end date." in response.content.decode()


def test_pages_of_fifty(verified_client, hq_admin):
    for number in range(60):
        audit_record(action=Action.RECORD_VIEWED, object_type="t.x", object_id=str(number))
    client = verified_client(hq_admin)
    first = client.get(LOG, {"action": "record_viewed"})
    assert len(first.context["events"]) == 50
    assert 'aria-current="page"' in first.content.decode()
    second = client.get(LOG, {"action": "record_viewed", "page": 2})
    assert len(second.context["events"]) >= 10


def test_the_csv_download_escapes_formulas_and_is_recorded(verified_client, hq_admin):
    audit_record(
        action=Action.ACCESS_GRANTED,
        username="=HYPERLINK(1)",
        reason="+cmd|' /C calc'!A0 because of a case",
        object_type="@x",
    )
    response = verified_client(hq_admin).get(
        "/akaun/audit/muat-turun/", {"action": "access_granted"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["when", "username", "action"]
    assert len(rows) == 2
    assert rows[1][1] == "'=HYPERLINK(1)"
    assert rows[1][3] == "'@x"
    assert rows[1][8].startswith("'+cmd")
    exported = AuditEvent.objects.get(action=Action.RECORD_EXPORTED)
    assert exported.detail == {"filters": {"action": "access_granted"}, "rows": 1}


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("-2", "'-2"), ("@a", "'@a"), ("+6", "'+6"), ("ok", "ok"), (None, "")],
)
def test_csv_cell(value, expected):
    assert csv_cell(value) == expected
