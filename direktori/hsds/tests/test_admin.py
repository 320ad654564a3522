from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from direktori.accounts.models import User
from direktori.accounts.testing import signed_in
from direktori.hsds.models import ChangeRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def change() -> ChangeRecord:
    return ChangeRecord.objects.create(
        resource_id=uuid.uuid4(),
        resource_type="service",
        last_action_date=timezone.now(),
        last_action_type=ChangeRecord.Action.UPDATE,
        field_name="name",
        previous_value="Lama",
        replacement_value="Baharu",
        updated_by="import_hsds sepang.zip",
    )


def staff(*codenames: str) -> Client:
    user = User.objects.create_user("pegawai", password="x" * 16, is_staff=True)
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client = Client()
    signed_in(client, user)
    return client


def test_the_change_history_can_be_read_with_the_view_permission(change):
    client = staff("view_changerecord")

    listing = client.get(reverse("admin:hsds_changerecord_changelist"))
    detail = client.get(reverse("admin:hsds_changerecord_change", args=[change.pk]))

    assert listing.status_code == 200
    assert b"Baharu" in detail.content


def test_the_change_history_cannot_be_edited_even_by_a_superuser(change, admin_client):
    assert admin_client.get(reverse("admin:hsds_changerecord_add")).status_code == 403
    delete = reverse("admin:hsds_changerecord_delete", args=[change.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    edit = reverse("admin:hsds_changerecord_change", args=[change.pk])
    admin_client.post(edit, {"field_name": "status"})
    change.refresh_from_db()
    assert change.field_name == "name"


def test_staff_without_permission_see_no_change_history(change):
    client = staff()

    assert client.get(reverse("admin:hsds_changerecord_changelist")).status_code == 403
    assert client.get(reverse("admin:hsds_importupload_changelist")).status_code == 403


def test_users_who_are_not_staff_are_sent_to_sign_in(change):
    user = User.objects.create_user("ahli", password="x" * 16)
    client = Client()
    signed_in(client, user)

    response = client.get(reverse("admin:hsds_changerecord_changelist"))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
