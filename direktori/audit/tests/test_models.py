import pytest

from direktori.audit.models import Action, AuditEvent, AuditEventImmutable
from direktori.audit.services import audit_record

pytestmark = pytest.mark.django_db


def test_an_event_cannot_be_changed_or_deleted(district_officer):
    event = audit_record(action=Action.RECORD_VIEWED, actor=district_officer, object_type="x.y")
    event.reason = "changed"
    with pytest.raises(AuditEventImmutable):
        event.save()
    with pytest.raises(AuditEventImmutable):
        event.delete()
    with pytest.raises(AuditEventImmutable):
        AuditEvent.objects.filter(pk=event.pk).update(reason="changed")
    with pytest.raises(AuditEventImmutable):
        AuditEvent.objects.filter(pk=event.pk).delete()
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.reason == ""


def test_a_deleted_users_events_keep_their_username(make_user):
    user = make_user("district_officer", "10_7", username="pegawai-lama")
    event = audit_record(action=Action.RECORD_VIEWED, actor=user, object_type="x.y")
    user.delete()
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor_id is None
    assert stored.actor_username == "pegawai-lama"


def test_detail_lines_read_changes_and_lists():
    event = AuditEvent(
        action=Action.PERMISSION_CHANGED,
        detail={"fields": ["area", "role"], "role": {"from": "cbo_member", "to": None}},
    )
    assert event.detail_lines() == [("fields", "area, role"), ("role", "cbo_member → —")]
