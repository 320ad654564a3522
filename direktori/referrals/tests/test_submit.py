"""Submitting: who may, what is checked (consent, MyKad, the area), where it is routed, the
reference, the acknowledgement target, and one referral for a double submit."""

from __future__ import annotations

import datetime
import re
import uuid
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from direktori.areas.models import Area
from direktori.directory.models import TaxonomyTerm
from direktori.directory.reference import taxonomies_load_reference
from direktori.referrals.models import (
    STATISTICS_CATEGORY,
    EventAction,
    Referral,
    Status,
    TargetGroup,
)
from direktori.referrals.services import referral_submit

from .conftest import People
from .factories import submission, submit

pytestmark = pytest.mark.django_db


def problems(reporter: Any, **overrides: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        submit(reporter, **overrides)
    return raised.value.message_dict


def test_a_cbo_member_submits_and_it_goes_to_the_district_office(people: People) -> None:
    referral = submit(people.reporter, area=people.pekan_dengkil)
    assert referral.status == Status.SUBMITTED
    assert referral.area == people.pekan_dengkil
    assert referral.assigned_office == referral.district == people.sepang
    assert referral.reporter == people.reporter and referral.assigned_officer is None
    assert referral.created_month == timezone.localdate().replace(day=1)
    event = referral.events.get()
    assert (event.action, event.to_status, event.actor) == (
        EventAction.SUBMIT,
        Status.SUBMITTED,
        people.reporter,
    )


@pytest.mark.parametrize("area", ["sepang", "dengkil", "pekan_dengkil"])
def test_routing_from_any_level_of_the_district(people: People, area: str) -> None:
    assert submit(people.reporter, area=getattr(people, area)).assigned_office == people.sepang


def test_any_role_submits_for_any_district_and_others_may_not(people: People) -> None:
    johor_bahru = Area.objects.get(code="1_2")
    for who in ("reporter", "chair", "sepang_officer", "johor_officer", "hq_admin"):
        referral = submit(getattr(people, who), area=johor_bahru)
        assert referral.assigned_office == johor_bahru
    for nobody in (people.no_role, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            submit(nobody)
    people.reporter.is_active = False
    with pytest.raises(PermissionDenied):
        submit(people.reporter)


def test_the_area_must_be_a_district_or_below(people: People) -> None:
    assert "area" in problems(people.reporter, area=Area.objects.get(code="10"))
    assert "area" in problems(people.reporter, area=None)


def test_the_reference_is_random_and_says_nothing_personal(people: People) -> None:
    references = {submit(people.reporter).reference for _ in range(5)}
    year = timezone.localdate().year
    assert len(references) == 5
    for reference in references:
        assert re.fullmatch(rf"RJ-10_7-{year}-[2-9A-HJKMNP-Z]{{5}}", reference)


def test_consent_given_needs_who_gave_it(people: People) -> None:
    assert "consent_by" in problems(people.reporter, consent_by="")
    referral = submit(people.reporter, consent_by="subject", consent_reason="ignored")
    assert (referral.consent_given, referral.consent_by, referral.consent_reason) == (
        True,
        "subject",
        "",
    )


@pytest.mark.parametrize(
    ("target_group", "urgency", "accepted"),
    [
        ("elderly", "routine", False),
        ("disability", "routine", False),
        ("other", "routine", False),
        ("elderly", "urgent", True),
        ("other", "immediate", True),
        ("children", "routine", True),
        ("domestic_violence", "routine", True),
    ],
)
def test_without_consent_only_when_justified(
    people: People, target_group: str, urgency: str, accepted: bool
) -> None:
    fields: dict[str, Any] = {
        "target_group": target_group,
        "urgency": urgency,
        "consent_given": False,
        "consent_by": "",
        "consent_reason": "Mangsa takut dan tidak dapat ditanya.",
    }
    if accepted:
        referral = submit(people.reporter, **fields)
        assert not referral.consent_given and referral.consent_reason.startswith("Mangsa")
    else:
        assert "consent_given" in problems(people.reporter, **fields)


def test_without_consent_the_reason_is_required(people: People) -> None:
    errors = problems(people.reporter, consent_given=False, consent_reason="  takut ")
    assert list(errors) == ["consent_reason"]


def test_mykad_is_checked_and_kept_as_digits(people: People) -> None:
    assert submit(people.reporter, subject_mykad="900101-10-5678").subject_mykad == "900101105678"
    assert submit(people.reporter, subject_mykad="").subject_mykad == ""
    for wrong in ("12345", "901301-10-5678", "900101-00-5678", "abcdefabcdef"):
        assert "subject_mykad" in problems(people.reporter, subject_mykad=wrong), wrong


def test_the_age_sets_the_band_and_is_checked(people: People) -> None:
    assert submit(people.reporter, subject_age=67, subject_age_band="0_5").subject_age_band == (
        "60_plus"
    )
    assert submit(people.reporter, subject_age=None, subject_age_band="13_17").subject_age_band == (
        "13_17"
    )
    assert "subject_age" in problems(people.reporter, subject_age=200)
    assert "subject_age_band" in problems(people.reporter, subject_age=None, subject_age_band="x")


def test_every_problem_is_named_at_once(people: People) -> None:
    errors = problems(
        people.reporter,
        target_group="pets",
        urgency="soon",
        concern=" ",
        reporter_phone="12",
        subject_sex="x",
        address_or_landmark="x" * 301,
        subject_description="y" * 201,
    )
    assert set(errors) == {
        "target_group",
        "urgency",
        "concern",
        "reporter_phone",
        "subject_sex",
        "address_or_landmark",
        "subject_description",
    }
    assert Referral.objects.count() == 0


def test_the_person_may_be_left_undescribed(people: People) -> None:
    referral = submit(
        people.reporter,
        subject_description="",
        subject_age=None,
        subject_mykad="",
        subject_sex="unknown",
        address_or_landmark="",
        reporter_phone="",
    )
    assert referral.subject_description == "" and referral.subject_age_band == ""


def test_a_double_submit_makes_one_referral(people: People) -> None:
    token = uuid.uuid4()
    first, created = referral_submit(
        reporter=people.reporter, submission=submission(), client_token=token
    )
    again, created_again = referral_submit(
        reporter=people.reporter, submission=submission(concern="changed"), client_token=token
    )
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk and Referral.objects.count() == 1
    # the same token from someone else is theirs
    other, other_created = referral_submit(
        reporter=people.chair, submission=submission(), client_token=token
    )
    assert other_created and other.pk != first.pk


@pytest.mark.parametrize(
    ("urgency", "start", "due"),
    [
        # Thursday 2026-03-05 10:00 in Kuala Lumpur
        ("immediate", "2026-03-05T10:00", "2026-03-05T11:00"),
        ("urgent", "2026-03-05T10:00", "2026-03-06T10:00"),
        ("routine", "2026-03-05T10:00", "2026-03-12T10:00"),
        # Friday → Monday over the weekend; Saturday → Monday
        ("urgent", "2026-03-06T16:00", "2026-03-09T16:00"),
        ("urgent", "2026-03-07T09:00", "2026-03-09T09:00"),
        ("immediate", "2026-03-07T23:30", "2026-03-08T00:30"),
    ],
)
def test_targets_by_urgency_in_working_days(
    people: People, urgency: str, start: str, due: str
) -> None:
    at = timezone.make_aware(datetime.datetime.fromisoformat(start))
    referral = submit(people.reporter, urgency=urgency, now=at)
    assert timezone.localtime(referral.due_at) == timezone.make_aware(
        datetime.datetime.fromisoformat(due)
    )


def test_a_friday_weekend_state_works_on_sunday(people: People) -> None:
    kota_bharu = Area.objects.get(code="3_3")  # Kelantan
    thursday = timezone.make_aware(datetime.datetime(2026, 3, 5, 10, 0))
    referral = submit(people.reporter, area=kota_bharu, urgency="urgent", now=thursday)
    assert timezone.localtime(referral.due_at).date() == datetime.date(2026, 3, 8)  # Sunday


def test_targets_are_configurable(people: People, settings: Any) -> None:
    settings.REFERRAL_TARGETS = {"routine": {"hours": 3}}
    at = timezone.make_aware(datetime.datetime(2026, 3, 5, 10, 0))
    referral = submit(people.reporter, urgency="routine", now=at)
    assert referral.due_at == at + datetime.timedelta(hours=3)


def test_target_groups_are_the_directory_taxonomy_codes(db: None) -> None:
    taxonomies_load_reference()
    codes = set(TaxonomyTerm.objects.target_groups().values_list("code", flat=True))
    assert set(TargetGroup.values) - {"other"} <= codes
    assert set(STATISTICS_CATEGORY) == set(TargetGroup)
