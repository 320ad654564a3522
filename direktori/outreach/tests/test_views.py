from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import Count, Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from direktori.accounts.testing import signed_in
from direktori.areas.models import Area
from direktori.outreach.models import Activity

from .conftest import Place

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_sign_in(place: Place) -> None:
    for name in ("outreach:list", "outreach:create", "outreach:summary", "outreach:summary_csv"):
        response = Client().get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith("/akaun/masuk/")


def test_a_member_records_for_their_own_cbo(
    place: Place, form_data: Callable[..., dict[str, Any]]
) -> None:
    client = signed_in(Client(), place.member)
    assert client.get(reverse("outreach:create")).status_code == 200
    response = client.post(reverse("outreach:create"), form_data())
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert (activity.cbo, activity.people_reached) == (place.sepang_cbo, 40)
    page = client.get(reverse("outreach:list"))
    assert "Ceramah kesihatan" in page.content.decode()


def test_a_member_cannot_record_for_another_cbo(
    place: Place, form_data: Callable[..., dict[str, Any]]
) -> None:
    client = signed_in(Client(), place.member)
    response = client.post(
        reverse("outreach:create"), form_data(cbo=str(place.other_sepang_cbo.pk))
    )
    assert response.status_code == 200
    assert "cbo" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_identifying_text_and_a_far_locality_are_refused(
    place: Place, form_data: Callable[..., dict[str, Any]]
) -> None:
    client = signed_in(Client(), place.member)
    response = client.post(
        reverse("outreach:create"), form_data(description="Puan A, 800101-10-5566")
    )
    assert "MyKad" in " ".join(response.context["form"].errors["description"])
    response = client.post(reverse("outreach:create"), form_data(description="tel 0123456789"))
    assert "telefon" in " ".join(response.context["form"].errors["description"])
    far = Area.objects.get(code="10_1")
    response = client.post(reverse("outreach:create"), form_data(locality=str(far.pk)))
    assert "locality" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_the_list_filters_and_officers_see_their_district_only(place: Place) -> None:
    own = place.activity()
    place.activity(target_group=place.children, people_reached=5)
    johor = place.activity(cbo=place.johor_cbo, locality=place.johor_cbo.area)
    client = signed_in(Client(), place.district_officer)
    response = client.get(reverse("outreach:list"))
    listed = {activity.pk for activity, _ in response.context["rows"]}
    assert own.pk in listed and johor.pk not in listed and len(listed) == 2
    response = client.get(reverse("outreach:list"), {"target_group": "elderly"})
    assert [activity.pk for activity, _ in response.context["rows"]] == [own.pk]
    johor_client = signed_in(Client(), place.johor_officer)
    rows = johor_client.get(reverse("outreach:list")).context["rows"]
    assert [activity.pk for activity, _ in rows] == [johor.pk]


def test_the_empty_list_invites_a_first_record(place: Place) -> None:
    response = signed_in(Client(), place.member).get("/en" + reverse("outreach:list"))
    assert "Record the first activity" in response.content.decode()


def test_only_the_chair_may_change_and_others_get_404(place: Place) -> None:
    activity = place.activity()
    for user in (place.member, place.district_officer, place.johor_officer):
        assert (
            signed_in(Client(), user).get(reverse("outreach:edit", args=[activity.pk])).status_code
            == 404
        )
    chair = signed_in(Client(), place.chair)
    assert chair.get(reverse("outreach:edit", args=[activity.pk])).status_code == 200
    assert chair.post(reverse("outreach:delete", args=[activity.pk])).status_code == 302
    assert not Activity.objects.exists()


def test_the_summary_is_for_officers_and_its_totals_match_the_database(place: Place) -> None:
    place.activity(people_reached=10)
    place.activity(people_reached=7, target_group=place.children)
    place.activity(
        people_reached=4, cbo=place.other_sepang_cbo, locality=Area.objects.get(code="10_7")
    )
    place.activity(people_reached=99, date=timezone.localdate() - datetime.timedelta(days=200))
    place.activity(people_reached=50, cbo=place.johor_cbo, locality=place.johor_cbo.area)
    assert signed_in(Client(), place.member).get(reverse("outreach:summary")).status_code == 404
    response = signed_in(Client(), place.district_officer).get(reverse("outreach:summary"))
    summary = response.context["summary"]
    expected = Activity.objects.filter(
        cbo__area__path__startswith=Area.objects.get(code="10_7").path,
        date__gte=summary.start,
        date__lte=summary.end,
    ).aggregate(people=Sum("people_reached"), count=Count("id"))
    assert (summary.total.people, summary.total.activities) == (
        expected["people"],
        expected["count"],
    )
    assert (summary.total.people, summary.total.activities) == (21, 3)
    assert sum(cell.people for cell in summary.totals) == 21
    html = response.content.decode()
    assert '<th scope="colgroup"' in html and '<th scope="row">' in html


def test_the_summary_csv_escapes_formulas(place: Place) -> None:
    locality = place.locality
    locality.name_ms = '=HYPERLINK("http://example.org")'
    locality.save()
    place.activity(people_reached=3)
    response = signed_in(Client(), place.district_officer).get(reverse("outreach:summary_csv"))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][1].startswith("'=HYPERLINK")
    assert rows[-1][3:] == ["3", "1"]
