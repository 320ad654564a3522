import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django_otp.forms import otp_verification_failed
from django_otp.plugins.otp_totp.models import TOTPDevice

from direktori.accounts.models import ApiToken, Role
from direktori.audit.models import Action, AuditEvent

from .conftest import PASSWORD, area

pytestmark = pytest.mark.django_db
WRONG = "not-the-password-123"


def everything_stored() -> str:
    return json.dumps(list(AuditEvent.objects.values()), default=str)


@pytest.fixture
def member(make_user):
    return make_user(Role.CBO_MEMBER, "10_7", username="ahli", phone="012-345 6789")


def sign_in(client, username, password):
    return client.post(reverse("accounts:sign_in"), {"username": username, "password": password})


def test_a_sign_in_is_recorded_with_the_address(client, member):
    sign_in(client, "ahli", PASSWORD)
    event = AuditEvent.objects.get(action=Action.SIGN_IN)
    assert event.actor == member
    assert event.area == member.area
    assert event.ip_address == "127.0.0.1"


def test_a_failed_sign_in_is_recorded_without_the_password(client, member):
    sign_in(client, "AHLI", WRONG)
    event = AuditEvent.objects.get(action=Action.SIGN_IN_FAILED)
    assert event.actor is None
    assert event.actor_username == "ahli"
    assert (event.object_type, event.object_id) == ("accounts.user", str(member.pk))
    assert WRONG not in everything_stored()


def test_a_failed_sign_in_keeps_an_unknown_name_but_never_a_mobile_number(client, member):
    sign_in(client, "nobody-here", WRONG)
    sign_in(client, "013-999 8888", WRONG)
    names = sorted(
        AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED).values_list(
            "actor_username", flat=True
        )
    )
    assert names == ["(mobile number)", "nobody-here"]
    assert "9998888" not in everything_stored()


def test_a_sign_in_by_mobile_number_records_the_username_not_the_number(client, member):
    sign_in(client, "012-345 6789", WRONG)
    event = AuditEvent.objects.get(action=Action.SIGN_IN_FAILED)
    assert event.actor_username == "ahli"
    assert "3456789" not in everything_stored()


def test_a_lockout_is_recorded(client, member, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        sign_in(client, "ahli", WRONG)
    response = sign_in(client, "ahli", PASSWORD)
    assert response.status_code == 403
    locked = AuditEvent.objects.filter(action=Action.LOCKED_OUT)
    assert locked.exists()
    assert {event.actor_username for event in locked} == {"ahli"}
    assert not AuditEvent.objects.filter(action=Action.SIGN_IN).exists()
    assert WRONG not in everything_stored()
    assert PASSWORD not in everything_stored()


def test_a_sign_out_is_recorded(client, member):
    client.force_login(member)
    client.post(reverse("accounts:sign_out"))
    assert AuditEvent.objects.filter(action=Action.SIGN_OUT, actor=member).exists()


def test_a_new_account_is_recorded_with_role_and_area_code(member):
    event = AuditEvent.objects.get(action=Action.ACCOUNT_CREATED)
    assert event.detail == {"role": "cbo_member", "area": "10_7"}
    assert "3456789" not in everything_stored()


def test_a_role_and_area_change_names_the_fields_and_no_personal_values(member):
    member.role, member.organisation = Role.DISTRICT_OFFICER, None
    member.area = area("10")
    member.first_name, member.email, member.phone = "Siti", "siti@example.org", "+60137778888"
    member.save()
    event = AuditEvent.objects.get(action=Action.PERMISSION_CHANGED)
    assert event.detail["fields"] == ["area", "organisation", "role"]
    assert event.detail["role"] == {"from": "cbo_member", "to": "district_officer"}
    assert event.detail["area"] == {"from": "10_7", "to": "10"}
    stored = everything_stored()
    for value in ("Siti", "siti@example.org", "7778888", "3456789"):
        assert value not in stored


def test_saving_other_fields_records_nothing(member):
    before = AuditEvent.objects.count()
    member.first_name = "Ali"
    member.save()
    member.save(update_fields=["last_login"])
    assert AuditEvent.objects.count() == before


def test_disabling_password_and_sign_out_everywhere_are_events_of_their_own(member):
    member.is_active = False
    member.save()
    member.set_password("another-long-password-77")
    member.session_epoch += 1
    member.save()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {Action.ACCOUNT_DISABLED, Action.PASSWORD_CHANGED, Action.SESSIONS_ENDED} <= actions
    assert "another-long-password-77" not in everything_stored()
    assert member.password not in everything_stored()


def test_group_and_permission_changes_are_recorded_from_either_side(member):
    group = Group.objects.create(name="pengesah")
    member.groups.add(group)
    permission = Permission.objects.get(codename="view_auditevent")
    group.permissions.add(permission)
    group.user_set.remove(member)
    events = AuditEvent.objects.filter(action=Action.PERMISSION_CHANGED).order_by("pk")
    assert [event.detail for event in events] == [
        {"fields": ["groups"], "add": ["pengesah"]},
        {"fields": ["permissions"], "add": ["audit.view_auditevent"]},
        {"fields": ["groups"], "remove": ["pengesah"]},
    ]
    assert events[0].object_id == events[2].object_id == str(member.pk)
    assert events[1].object_type == "auth.group"


def test_tokens_and_authenticator_setup_are_recorded_without_secrets(member):
    token, key = ApiToken.issue(
        user=member, lifetime=timedelta(hours=1), verified_second_factor=False
    )
    from django.utils import timezone

    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    device = TOTPDevice.objects.create(user=member, name="authenticator", confirmed=False)
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    device.save()
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-3:] == [
        Action.TOKEN_ISSUED,
        Action.TOKEN_REVOKED,
        Action.SECOND_FACTOR_ENROLLED,
    ]
    stored = everything_stored()
    assert key not in stored
    assert token.digest not in stored
    assert device.key not in stored


def test_django_otps_failure_signal_is_recorded(member):
    otp_verification_failed.send(sender=None, user=member)
    assert AuditEvent.objects.filter(action=Action.SECOND_FACTOR_FAILED, actor=member).exists()
