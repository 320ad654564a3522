from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from direktori.audit.models import Action, AuditEvent
from direktori.directory.models import Phone
from direktori.search.engine import search, services_for
from direktori.search.query import SearchQuery
from direktori.verification import services
from direktori.verification.models import ProposalStatus

from .conftest import World, proposal_for

pytestmark = pytest.mark.django_db


def test_the_chair_proposes_for_their_own_cbo_only(world: World) -> None:
    proposal = proposal_for(world, name="Lawatan Baharu", phone="019-261 5999")
    assert proposal.status == ProposalStatus.PROPOSED
    assert proposal.changes == {"name": "Lawatan Baharu", "phone": "+60192615999"}
    assert AuditEvent.objects.filter(action=Action.RECORD_CREATED, object_id=proposal.pk).exists()
    with pytest.raises(PermissionDenied):
        services.change_proposal_create(
            user=world.chair, entry=world.other_cbo, changes={"description_ms": "Lain"}
        )
    with pytest.raises(PermissionDenied):
        services.change_proposal_create(
            user=world.member, entry=world.service, changes={"name": "Lain"}
        )


def test_values_are_checked_like_the_model(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        proposal_for(world, name="x" * 300, phone="12", email="a@b.my")
    errors = caught.value.message_dict
    assert set(errors) == {"name", "phone", "email"}
    with pytest.raises(ValidationError):
        proposal_for(world, name="")  # a service needs a name
    with pytest.raises(ValidationError):
        proposal_for(world, name=world.service.name)  # changes nothing


def test_editing_is_not_verifying(world: World) -> None:
    proposal_for(world)
    world.service.refresh_from_db()
    assert world.service.verified_on is None


def test_accepting_changes_the_entry_verifies_it_and_reaches_search(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    proposal = proposal_for(world, name="Lawatan Zamrudhijau", phone="03-8947 5555")
    with django_capture_on_commit_callbacks(execute=True):
        services.change_proposal_accept(proposal=proposal, user=world.officer)
    world.service.refresh_from_db()
    assert world.service.name == "Lawatan Zamrudhijau"
    assert world.service.verified_on == timezone.localdate()
    assert world.service.verified_by == world.officer
    assert Phone.objects.get(service=world.service).number == "+60389475555"
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert proposal.reviewed_by == world.officer and proposal.reviewed_at
    changed = AuditEvent.objects.filter(
        action=Action.RECORD_CHANGED, object_id=str(world.service.pk)
    )
    assert changed.count() == 2  # the change and the verification
    assert changed.first().area == world.sepang  # type: ignore[union-attr]
    hits = services_for(search(SearchQuery(text="zamrudhijau"), limit=5).hits)
    assert [s.name for s in hits] == ["Lawatan Zamrudhijau"]
    with pytest.raises(ValidationError):
        services.change_proposal_accept(proposal=proposal, user=world.officer)


def test_reject_needs_a_reason_and_an_officer_of_the_district(world: World) -> None:
    proposal = proposal_for(world)
    with pytest.raises(ValidationError):
        services.change_proposal_reject(proposal=proposal, user=world.officer, reason="  ")
    with pytest.raises(PermissionDenied):
        services.change_proposal_reject(proposal=proposal, user=world.johor_officer, reason="Tidak")
    with pytest.raises(PermissionDenied):
        services.change_proposal_accept(proposal=proposal, user=world.chair)
    services.change_proposal_reject(
        proposal=proposal, user=world.state_officer, reason="Nombor ini milik pejabat lain."
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED
    assert proposal.reason == "Nombor ini milik pejabat lain."
    world.service.refresh_from_db()
    assert world.service.name == "Lawatan Rumah Warga Emas"
    assert world.service.verified_on is None
    assert AuditEvent.objects.filter(
        action=Action.RECORD_CHANGED, object_id=str(proposal.pk), detail__status="rejected"
    ).exists()


def test_still_true_verifies_without_a_proposal(world: World) -> None:
    services.entry_verify(entry=world.cbo, user=world.officer)
    world.cbo.refresh_from_db()
    assert world.cbo.verified_on == timezone.localdate()
    assert world.cbo.verified_by == world.officer
    assert AuditEvent.objects.filter(object_id=str(world.cbo.pk), actor=world.officer).exists()
    with pytest.raises(PermissionDenied):
        services.entry_verify(entry=world.johor_cbo, user=world.officer)
    with pytest.raises(PermissionDenied):
        services.entry_verify(entry=world.cbo, user=world.chair)
