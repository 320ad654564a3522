import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from direktori.accounts.models import AccessGrant, Role
from direktori.accounts.permissions import area_q, in_scope
from direktori.areas.models import Area
from direktori.audit.models import Action, AuditEvent
from direktori.audit.services import access_grant_end, access_grant_open
from direktori.directory.models import Organization
from direktori.directory.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
URL = "/akaun/audit/akses-kecemasan/"
REASON = "A child at risk moved here from Sepang; case KPW-2026-01."


def test_the_page_is_for_district_and_state_officers_only(client, verified_client, make_user):
    assert client.get(URL).status_code == 302  # anonymous: sign in
    for role, code in [(Role.CBO_CHAIR, "10_7"), (Role.HQ_ADMIN, "MY")]:
        assert verified_client(make_user(role, code)).get(URL).status_code == 404
    response = verified_client(make_user(Role.STATE_OFFICER, "10")).get("/en" + URL)
    assert response.status_code == 200
    assert b"Emergency access" in response.content


def test_the_choice_leaves_out_the_officers_own_area(verified_client, district_officer):
    response = verified_client(district_officer).get(URL)
    choices = dict(response.context["form"].fields["area"].choices)
    values = {pk for group in choices.values() if isinstance(group, list) for pk, _ in group}
    assert Area.objects.get(code="10_7").pk not in values
    assert Area.objects.get(code="1").pk in values
    assert Area.objects.get(code="10").pk in values  # the whole state is more than theirs


def test_a_short_reason_is_refused_and_nothing_saved(
    verified_client, district_officer, johor_district
):
    response = verified_client(district_officer).post(
        URL, {"area": johor_district.pk, "reason": "  just looking   "}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert not AccessGrant.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.ACCESS_GRANTED).exists()
    with pytest.raises(ValidationError):
        access_grant_open(user=district_officer, area=johor_district, reason="x" * 19)
    assert not AccessGrant.objects.exists()


def test_a_grant_opens_the_area_only_while_current(
    verified_client, district_officer, johor_district, django_capture_on_commit_callbacks
):
    record = OrganizationFactory.create(area=johor_district)

    def visible() -> bool:
        return Organization.objects.filter(area_q(district_officer, "area"), pk=record.pk).exists()

    assert not visible()
    assert not in_scope(district_officer, johor_district)
    with django_capture_on_commit_callbacks(execute=True):
        response = verified_client(district_officer).post(
            URL, {"area": johor_district.pk, "reason": REASON}
        )
    assert response.status_code == 302
    grant = AccessGrant.objects.get()
    assert grant.user == district_officer and grant.area == johor_district
    assert round((grant.ends_at - grant.starts_at).total_seconds()) == 4 * 3600
    assert in_scope(district_officer, johor_district)
    assert not in_scope(district_officer, johor_district, with_grants=False)
    assert visible()

    grant.ends_at = timezone.now()
    grant.save(update_fields=["ends_at"])
    assert not in_scope(district_officer, johor_district)
    assert not visible()


def test_the_grant_is_audited_and_reported_to_the_state_officers(
    district_officer, make_user, johor_district, django_capture_on_commit_callbacks, settings
):
    settings.BREAK_GLASS_HOURS = 2
    supervisor = make_user(Role.STATE_OFFICER, "10", username="ketua", email="ketua@example.org")
    make_user(Role.STATE_OFFICER, "10", username="ketua-dua", email="dua@example.org")
    make_user(Role.STATE_OFFICER, "10", username="tiada", email="no@example.org", is_active=False)
    make_user(Role.STATE_OFFICER, "10", username="tanpa-emel", email="")
    make_user(Role.STATE_OFFICER, "1", username="johor", email="johor@example.org")
    make_user(Role.HQ_ADMIN, "MY", username="hq", email="hq@example.org")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        grant = access_grant_open(user=district_officer, area=johor_district, reason=REASON)
        assert mail.outbox == []  # only once committed
    assert len(callbacks) == 1
    event = AuditEvent.objects.get(action=Action.ACCESS_GRANTED)
    assert event.actor == district_officer
    assert event.reason == REASON
    assert event.area == johor_district
    assert event.detail["hours"] == 2
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "dua@example.org",
        supervisor.email,
    ]
    message = mail.outbox[0]
    assert len(message.to) == 1  # supervisors do not see each other's addresses
    assert district_officer.username in message.subject
    assert johor_district.name_ms in message.body
    assert REASON in message.body
    assert timezone.localtime(grant.ends_at).strftime("%H:%M") in message.body
    assert message.body.count(REASON) == 2  # in Malay, then in English
    for other in ("hq@example.org", "johor@example.org", "dua@example.org"):
        assert other not in message.body


def test_a_state_officers_grant_is_reported_to_hq(
    state_officer, make_user, johor_district, django_capture_on_commit_callbacks
):
    make_user(Role.HQ_ADMIN, "MY", username="hq", email="hq@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        access_grant_open(user=state_officer, area=johor_district, reason=REASON)
    assert [message.to for message in mail.outbox] == [["hq@example.org"]]


def test_own_area_a_second_grant_and_other_roles_are_refused(
    district_officer, make_user, johor_district
):
    with pytest.raises(ValidationError):
        access_grant_open(user=district_officer, area=Area.objects.get(code="10_7"), reason=REASON)
    access_grant_open(user=district_officer, area=johor_district, reason=REASON)
    with pytest.raises(ValidationError):
        access_grant_open(user=district_officer, area=johor_district, reason=REASON)
    with pytest.raises(PermissionDenied):
        access_grant_open(
            user=make_user(Role.CBO_MEMBER, "10_7"), area=johor_district, reason=REASON
        )


def test_an_officer_ends_their_own_grant_early(
    verified_client, district_officer, state_officer, johor_district
):
    grant = access_grant_open(user=district_officer, area=johor_district, reason=REASON)
    other = verified_client(state_officer)
    assert other.post(reverse("audit:break_glass_end", args=[grant.pk])).status_code == 404
    client = verified_client(district_officer)
    page = client.get(URL)
    assert REASON in page.content.decode()
    response = client.post(reverse("audit:break_glass_end", args=[grant.pk]))
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    assert not in_scope(district_officer, johor_district)
    assert AuditEvent.objects.filter(action=Action.ACCESS_ENDED, actor=district_officer).exists()
    with pytest.raises(ValidationError):
        access_grant_end(grant=grant, user=district_officer)


def test_the_supervisor_sees_the_grant_in_the_audit_log(
    verified_client, district_officer, state_officer, make_user, johor_district
):
    access_grant_open(user=district_officer, area=johor_district, reason=REASON)
    event = AuditEvent.objects.get(action=Action.ACCESS_GRANTED)
    response = verified_client(state_officer).get(reverse("audit:log"))
    assert event.pk in {e.pk for e in response.context["events"]}
    other_state = make_user(Role.STATE_OFFICER, "2")
    response = verified_client(other_state).get(reverse("audit:log"))
    assert event.pk not in {e.pk for e in response.context["events"]}
