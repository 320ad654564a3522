"""`Referral.objects.visible_to(user)` and the view each person gets."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from direktori.areas.models import Area
from direktori.referrals import permissions
from direktori.referrals.models import Referral
from direktori.referrals.permissions import View

from .conftest import People
from .factories import submit

pytestmark = pytest.mark.django_db


def test_who_sees_a_sepang_referral_and_how(people: People) -> None:
    referral = submit(people.reporter, area=people.pekan_dengkil)
    submit(people.chair, area=Area.objects.get(code="1_2"))  # Johor Bahru, by the chair
    views = {
        "reporter": View.REPORTER,
        "sepang_officer": View.OFFICER,
        "selangor_officer": View.OFFICER,
        "hq_admin": View.OFFICER,
        "other_member": None,
        "chair": None,
        "petaling_officer": None,
        "johor_officer": None,
        "no_role": None,
    }
    for name, view in views.items():
        user = getattr(people, name)
        assert permissions.view_of(user, referral) == view, name
        visible = Referral.objects.visible_to(user).filter(pk=referral.pk).exists()
        assert visible == (view is not None), name
    assert permissions.view_of(AnonymousUser(), referral) is None
    assert not Referral.objects.visible_to(AnonymousUser()).exists()
    assert Referral.objects.visible_to(people.johor_officer).count() == 1  # the chair's
    assert Referral.objects.visible_to(people.chair).count() == 1  # their own only


def test_an_officer_who_reported_elsewhere_gets_the_reporters_view(people: People) -> None:
    referral = submit(people.johor_officer, area=people.sepang)
    assert permissions.view_of(people.johor_officer, referral) == View.REPORTER
    assert permissions.may_do(people.johor_officer, referral, "withdraw")
    assert not permissions.may_do(people.johor_officer, referral, "acknowledge")


def test_a_disabled_or_roleless_account_sees_nothing_even_its_own(people: People) -> None:
    referral = submit(people.reporter)
    people.reporter.is_active = False
    assert permissions.view_of(people.reporter, referral) is None
    assert not Referral.objects.visible_to(people.reporter).exists()
    people.reporter.is_active = True
    people.reporter.area = None
    assert not Referral.objects.visible_to(people.reporter).exists()


def test_break_the_glass_opens_reading_only_while_it_lasts(people: People) -> None:
    referral = submit(people.reporter)
    grant = people.petaling_breaks_the_glass()
    officer = people.petaling_officer
    assert permissions.view_of(officer, referral) == View.OFFICER
    assert permissions.through_emergency_access(officer, referral)
    assert not permissions.through_emergency_access(people.sepang_officer, referral)
    assert not any(permissions.may_do(officer, referral, a) for a in ("acknowledge", "note"))
    grant.ends_at = timezone.now()
    grant.save()
    assert permissions.view_of(officer, referral) is None
    assert not Referral.objects.visible_to(officer).exists()
