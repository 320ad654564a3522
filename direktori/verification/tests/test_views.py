from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from direktori.accounts.testing import signed_in
from direktori.verification.models import ChangeProposal, ProposalStatus

from .conftest import World, proposal_for

pytestmark = pytest.mark.django_db


def test_the_chair_proposes_on_the_page_for_their_own_cbo(world: World) -> None:
    client = signed_in(Client(), world.chair)
    url = reverse("verification:propose")
    entry = f"service:{world.service.pk}"
    page = client.get(url, {"entry": entry})
    assert page.status_code == 200 and world.service.name in page.content.decode()
    data = {
        "entry": entry,
        "name": "Lawatan Baharu",
        "name_en": world.service.name_en,
        "description_ms": world.service.description_ms,
        "description_en": world.service.description_en,
        "hours_note_ms": "",
        "hours_note_en": "",
        "phone": "",
        "note": "",
    }
    assert client.post(url, data).status_code == 302
    assert ChangeProposal.objects.get().changes == {"name": "Lawatan Baharu"}
    assert client.post(url, {**data, "name": "x" * 300}).status_code == 400
    other = f"organization:{world.other_cbo.pk}"
    assert client.post(url, {**data, "entry": other}).status_code == 404
    assert ChangeProposal.objects.count() == 1


def test_a_member_and_an_officer_cannot_propose(world: World) -> None:
    for user in (world.member, world.officer):
        assert signed_in(Client(), user).get(reverse("verification:propose")).status_code == 404


def test_the_district_officer_accepts_and_rejects(world: World) -> None:
    client = signed_in(Client(), world.officer)
    first = proposal_for(world, name="Lawatan Baharu")
    page = client.get(reverse("verification:proposals"))
    assert "Lawatan Baharu" in page.content.decode()
    assert client.post(reverse("verification:accept", args=[first.pk])).status_code == 302
    world.service.refresh_from_db()
    assert world.service.name == "Lawatan Baharu"
    assert world.service.verified_on == timezone.localdate()
    second = proposal_for(world, description_ms="Salah")
    reject = reverse("verification:reject", args=[second.pk])
    assert client.post(reject, {"reason": ""}).status_code == 400
    assert client.post(reject, {"reason": "Tidak tepat."}).status_code == 302
    second.refresh_from_db()
    assert (second.status, second.reason) == (ProposalStatus.REJECTED, "Tidak tepat.")


def test_an_officer_cannot_review_or_verify_outside_their_district(world: World) -> None:
    client = signed_in(Client(), world.johor_officer)
    proposal = proposal_for(world)
    assert client.post(reverse("verification:accept", args=[proposal.pk])).status_code == 404
    reject = reverse("verification:reject", args=[proposal.pk])
    assert client.post(reject, {"reason": "Tidak."}).status_code == 404
    verify = reverse("verification:verify", args=["service", world.service.pk])
    assert client.post(verify).status_code == 404
    world.service.refresh_from_db()
    assert world.service.verified_on is None


def test_still_true_from_the_queue(world: World) -> None:
    client = signed_in(Client(), world.officer)
    page = client.get(reverse("verification:queue"))
    assert world.service.name in page.content.decode()
    assert world.johor_service.name not in page.content.decode()
    verify = reverse("verification:verify", args=["service", world.service.pk])
    assert client.post(verify).status_code == 302
    world.service.refresh_from_db()
    assert world.service.verified_by == world.officer
    assert verify not in client.get(reverse("verification:queue")).content.decode()


def test_public_pages_say_plainly_when_an_entry_is_out_of_date(world: World) -> None:
    with_en = "/en" + world.service.get_absolute_url()
    assert "may be out of date" in Client().get(with_en).content.decode()
    type(world.service).objects.filter(pk=world.service.pk).update(
        verified_on=timezone.localdate().replace(year=timezone.localdate().year - 2)
    )
    text = Client().get(with_en).content.decode()
    assert "Out of date: not verified in the last 12 months" in text
    type(world.service).objects.filter(pk=world.service.pk).update(verified_on=timezone.localdate())
    assert "Out of date" not in Client().get(with_en).content.decode()
