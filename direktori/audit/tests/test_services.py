import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from direktori.audit.middleware import AuditContextMiddleware
from direktori.audit.models import Action, AuditEvent
from direktori.audit.services import audit_context, audit_record, client_ip

pytestmark = pytest.mark.django_db


def test_a_request_gives_actor_address_and_a_shortened_browser(rf, district_officer):
    request = rf.get("/", HTTP_USER_AGENT="x" * 500, REMOTE_ADDR="203.0.113.9")
    request.user = district_officer
    event = audit_record(action=Action.RECORD_VIEWED, request=request, target=district_officer)
    assert event.actor == district_officer
    assert event.actor_username == district_officer.username
    assert event.ip_address == "203.0.113.9"
    assert len(event.user_agent) == 200
    assert (event.object_type, event.object_id) == ("accounts.user", str(district_officer.pk))
    assert event.area == district_officer.area  # the target's area by default


def test_audit_context_names_the_requests_user(rf, district_officer):
    request = rf.get("/", REMOTE_ADDR="198.51.100.7")
    request.user = district_officer
    with audit_context(request):
        event = audit_record(action=Action.RECORD_CHANGED, object_type="x.y", object_id="1")
    assert event.actor == district_officer
    assert event.ip_address == "198.51.100.7"
    assert audit_record(action=Action.RECORD_CHANGED).actor is None


def test_sensitive_keys_never_reach_detail(district_officer):
    event = audit_record(
        action=Action.RECORD_CHANGED,
        actor=district_officer,
        detail={
            "fields": ["phone", "mykad"],
            "phone": "+60123456789",
            "password": "secret-value",
            "nested": {"mykad_number": "900101-10-1234", "count": 2},
            "token": "abc",
            "code": "123456",
        },
    )
    stored = AuditEvent.objects.get(pk=event.pk).detail
    text = str(stored)
    for value in ("+60123456789", "secret-value", "900101-10-1234", "abc", "123456"):
        assert value not in text
    assert stored["fields"] == ["phone", "mykad"]  # the names of what changed stay
    assert stored["nested"] == {"count": 2, "removed": ["mykad_number"]}
    assert stored["removed"] == ["code", "password", "phone", "token"]


@pytest.mark.parametrize(
    ("behind_proxy", "forwarded", "expected"),
    [
        (False, "192.0.2.1", "10.0.0.5"),
        (True, "192.0.2.1, 203.0.113.4", "203.0.113.4"),
        (True, "", "10.0.0.5"),
        (True, "not-an-address", None),
    ],
)
def test_client_ip_trusts_the_forwarded_header_only_behind_a_proxy(
    settings, behind_proxy, forwarded, expected
):
    settings.BEHIND_PROXY = behind_proxy
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_behind_a_proxy_follows_the_proxy_ssl_header_setting(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="192.0.2.1")
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client_ip(request) == "192.0.2.1"
    settings.SECURE_PROXY_SSL_HEADER = None
    assert client_ip(request) == "10.0.0.5"


def test_the_middleware_names_the_officer_who_changed_an_account(rf, district_officer, make_user):
    member = make_user("cbo_member", "10_7")
    request = rf.post("/", REMOTE_ADDR="192.0.2.10")
    request.user = district_officer

    def view(request):
        member.is_active = False
        member.save(update_fields=["is_active"])
        return HttpResponse()

    AuditContextMiddleware(view)(request)
    event = AuditEvent.objects.get(action=Action.ACCOUNT_DISABLED)
    assert event.actor == district_officer
    assert event.object_id == str(member.pk)
    assert event.ip_address == "192.0.2.10"
