"""The Django admin's "Mark as verified today" verifies through `entry_verify`, as the officer's
page does: the same verified_on/verified_by, an audit event each, the user's own area only."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from direktori.accounts.models import User
from direktori.accounts.testing import signed_in
from direktori.audit.models import Action, AuditEvent
from direktori.directory.models import Organization, Service
from direktori.verification import services

from .conftest import World

pytestmark = pytest.mark.django_db


def admin_action(user: User, model: str, entries: list[Any]) -> Any:
    return signed_in(Client(), user).post(
        reverse(f"admin:directory_{model}_changelist"),
        {"action": "mark_verified_today", "_selected_action": [str(e.pk) for e in entries]},
        follow=True,
    )


def verification_event(entry: Organization | Service) -> AuditEvent:
    return AuditEvent.objects.get(object_id=str(entry.pk), action=Action.RECORD_CHANGED)


def test_the_action_verifies_as_the_officers_page_does(world: World) -> None:
    page = signed_in(Client(), world.hq).post(
        reverse("verification:verify", args=["service", world.service.pk])
    )
    assert page.status_code == 302
    assert admin_action(world.hq, "service", [world.johor_service]).status_code == 200
    by_page, by_admin = world.service, world.johor_service
    for entry in (by_page, by_admin):
        entry.refresh_from_db()
        assert (entry.verified_on, entry.verified_by) == (timezone.localdate(), world.hq)
    page_event, admin_event = verification_event(by_page), verification_event(by_admin)
    assert page_event.actor == admin_event.actor == world.hq
    assert page_event.object_type == admin_event.object_type == "directory.service"
    assert page_event.detail == admin_event.detail
    assert admin_event.area == world.johor_cbo.area
    assert admin_event.ip_address is not None  # the request's, as on the page
    assert LogEntry.objects.filter(object_id=str(by_admin.pk)).count() == 1


def test_organisations_too(world: World) -> None:
    admin_action(world.hq, "organization", [world.cbo, world.johor_cbo])
    for entry in (world.cbo, world.johor_cbo):
        entry.refresh_from_db()
        assert entry.verified_by == world.hq
        assert verification_event(entry).detail["fields"] == ["verified_on"]


def test_only_entries_in_the_users_own_area(world: World) -> None:
    staff_officer = world.officer  # a Sepang officer someone made staff
    staff_officer.is_staff = staff_officer.is_superuser = True
    staff_officer.save()
    response = admin_action(staff_officer, "service", [world.service, world.johor_service])
    world.service.refresh_from_db()
    world.johor_service.refresh_from_db()
    assert world.service.verified_by == staff_officer
    assert world.johor_service.verified_on is None
    assert not AuditEvent.objects.filter(object_id=str(world.johor_service.pk)).exists()
    assert [m.level_tag for m in response.context["messages"]] == ["success", "warning"]


def test_a_superuser_without_an_officers_area_verifies_nothing(
    world: World, admin_user: User
) -> None:
    admin_action(admin_user, "organization", [world.cbo])
    world.cbo.refresh_from_db()
    assert world.cbo.verified_on is None
    assert not AuditEvent.objects.filter(action=Action.RECORD_CHANGED).exists()


def test_all_or_nothing(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []

    def fails_second(**kwargs: Any) -> None:
        calls.append(kwargs["entry"])
        if len(calls) == 2:
            raise RuntimeError("database gone")
        services.entry_verify(**kwargs)

    monkeypatch.setattr("direktori.directory.admin.verification.entry_verify", fails_second)
    with pytest.raises(RuntimeError):
        admin_action(world.hq, "service", [world.service, world.johor_service])
    assert len(calls) == 2
    assert not Service.objects.filter(verified_on__isnull=False).exists()
    assert not AuditEvent.objects.filter(action=Action.RECORD_CHANGED).exists()
