from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from direktori.areas.models import Area
from direktori.audit.models import Action, AuditEvent
from direktori.outreach import services
from direktori.outreach.models import Activity

from .conftest import Place

pytestmark = pytest.mark.django_db


def _create(place: Place, actor: Any, **fields: Any) -> Activity:
    values: dict[str, Any] = {
        "cbo": place.sepang_cbo,
        "target_group": place.elderly,
        "kind": Activity.Kind.HOME_VISIT,
        "date": timezone.localdate(),
        "locality": place.locality,
        "people_reached": 8,
        "volunteers": 2,
        "description": "Lawatan rumah.",
    }
    values.update(fields)
    return services.activity_create(actor=actor, **values)


def test_a_member_records_for_their_cbo_and_it_is_audited(place: Place) -> None:
    activity = _create(place, place.member)
    assert activity.recorded_by == place.member
    event = AuditEvent.objects.get(action=Action.RECORD_CREATED, object_id=str(activity.pk))
    assert event.area == place.sepang_cbo.area
    assert event.actor == place.member


def test_a_member_cannot_record_for_another_cbo(place: Place) -> None:
    with pytest.raises(PermissionDenied):
        _create(place, place.member, cbo=place.other_sepang_cbo)
    assert not Activity.objects.exists()


def test_an_officer_records_for_cbos_in_their_district_only(place: Place) -> None:
    assert _create(place, place.district_officer).cbo == place.sepang_cbo
    with pytest.raises(PermissionDenied):
        _create(place, place.district_officer, cbo=place.johor_cbo, locality=place.johor_cbo.area)
    assert Activity.objects.count() == 1


@pytest.mark.parametrize(
    ("description", "word"),
    [
        ("Lawatan ke rumah Puan A, IC 800101-10-5566", "MyKad"),
        ("Hubungi anaknya di 012-3456789", "telefon"),
    ],
)
def test_identifying_numbers_are_refused(place: Place, description: str, word: str) -> None:
    with pytest.raises(ValidationError) as error:
        _create(place, place.member, description=description)
    assert word in " ".join(error.value.message_dict["description"])
    assert not Activity.objects.exists()


def test_a_locality_outside_the_cbos_area_is_refused(place: Place) -> None:
    with pytest.raises(ValidationError) as error:
        _create(place, place.member, locality=Area.objects.get(code="10_1"))
    assert "locality" in error.value.message_dict
    assert not Activity.objects.exists()


def test_counts_are_bounded_and_dates_not_in_the_future(place: Place) -> None:
    for fields in (
        {"people_reached": 0},
        {"people_reached": 10_001},
        {"volunteers": 1_001},
        {"date": timezone.localdate() + datetime.timedelta(days=1)},
    ):
        with pytest.raises(ValidationError):
            _create(place, place.member, **fields)
    assert not Activity.objects.exists()


def test_the_chair_changes_and_deletes_within_30_days_only(place: Place) -> None:
    activity = place.activity()
    assert services.activity_update(actor=place.chair, activity=activity, people_reached=20) == [
        "people_reached"
    ]
    with pytest.raises(PermissionDenied):
        services.activity_update(actor=place.member, activity=activity, people_reached=1)
    with pytest.raises(PermissionDenied):
        services.activity_delete(actor=place.district_officer, activity=activity)
    Activity.objects.filter(pk=activity.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    activity.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.activity_delete(actor=place.chair, activity=activity)
    Activity.objects.filter(pk=activity.pk).update(created_at=timezone.now())
    activity.refresh_from_db()
    pk = str(activity.pk)
    services.activity_delete(actor=place.chair, activity=activity)
    assert not Activity.objects.exists()
    changes = AuditEvent.objects.filter(action=Action.RECORD_CHANGED, object_id=pk)
    assert [event.detail.get("deleted", False) for event in changes.order_by("when")] == [
        False,
        True,
    ]


def test_who_sees_what(place: Place) -> None:
    own = place.activity()
    other = place.activity(cbo=place.other_sepang_cbo)
    johor = place.activity(cbo=place.johor_cbo, locality=place.johor_cbo.area)
    from django.contrib.auth.models import AnonymousUser

    def seen(user: Any) -> set[Any]:
        return set(Activity.objects.visible_to(user).values_list("pk", flat=True))

    assert seen(place.member) == seen(place.chair) == {own.pk}
    assert seen(place.district_officer) == {own.pk, other.pk}
    assert seen(place.johor_officer) == {johor.pk}
    assert seen(AnonymousUser()) == set()
