"""The Sepang demo's register (`seed_demo`): fictional, marked, without phone numbers, linked to
the demo accounts, and the same after a second run."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from direktori.accounts.models import User
from direktori.accounts.testing import signed_in
from direktori.members.demo import ENDING_SOON, LAPSED
from direktori.members.models import MemberRole, Membership, MembershipTerm, Person
from direktori.members.selectors import cbos_needing_attention
from direktori.outreach.models import Activity

pytestmark = pytest.mark.django_db


def test_the_demo_register_is_fictional_and_idempotent(reference_areas: None) -> None:
    call_command("seed_demo", stdout=StringIO())
    counts = (Person.objects.count(), Membership.objects.count(), Activity.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (Person.objects.count(), Membership.objects.count(), Activity.objects.count()) == counts
    assert not MembershipTerm.objects.exists()  # nothing was "re-appointed" by the second run
    assert counts[1] > 0 and counts[2] > 0
    assert not Membership.objects.exclude(cbo__is_demo=True).exists()
    assert not Person.objects.exclude(full_name__endswith="(Demo)").exists()
    assert not Person.objects.exclude(phone="").exists()
    assert not Person.objects.exclude(email__endswith="@contoh.invalid").exists()
    chairs = Membership.objects.filter(role=MemberRole.PENGERUSI)
    assert chairs.filter(term_ends_on=ENDING_SOON).count() == 1
    assert chairs.filter(term_ends_on=LAPSED).count() == 1


def test_the_demo_chair_and_member_see_their_own_cbo(reference_areas: None) -> None:
    call_command("seed_demo", stdout=StringIO())
    chair = User.objects.get(username="demo-pengerusi")
    member = User.objects.get(username="demo-ahli")
    assert chair.person.memberships.get().role == MemberRole.PENGERUSI
    assert member.person.memberships.get().cbo_id == chair.organisation_id
    page = signed_in(Client(), member).get(reverse("members:me"))
    assert member.person.memberships.get().cbo.name in page.content.decode()
    officer = User.objects.get(username="demo-pegawai-daerah")
    assert any(cbo.name.endswith("(Demo)") for cbo in cbos_needing_attention(officer))
