from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from direktori.accounts.models import Role, User
from direktori.accounts.testing import account
from direktori.areas.models import Area
from direktori.directory.models import Organization, TaxonomyTerm
from direktori.directory.tests.factories import OrganizationFactory
from direktori.outreach.models import Activity

LOCALITY = "10_7:dengkil:cyberjaya"


@dataclass
class Place:
    sepang_cbo: Organization
    other_sepang_cbo: Organization
    johor_cbo: Organization
    member: User
    chair: User
    district_officer: User
    johor_officer: User
    elderly: TaxonomyTerm
    children: TaxonomyTerm
    locality: Area

    def activity(self, **fields: Any) -> Activity:
        values: dict[str, Any] = {
            "cbo": self.sepang_cbo,
            "target_group": self.elderly,
            "kind": Activity.Kind.HOME_VISIT,
            "date": timezone.localdate() - datetime.timedelta(days=3),
            "locality": self.locality,
            "people_reached": 12,
            "volunteers": 3,
            "description": "Lawatan ke rumah warga emas.",
            "recorded_by": self.member,
        }
        values.update(fields)
        return Activity.objects.create(**values)


@pytest.fixture
def place(reference_areas: None) -> Place:
    from direktori.directory.reference import taxonomies_load_reference

    taxonomies_load_reference()
    sepang = Area.objects.get(code="10_7")
    johor_district = Area.objects.get(code="1_2")
    sepang_cbo = OrganizationFactory.create(area=sepang)
    johor_cbo = OrganizationFactory.create(area=johor_district)
    return Place(
        sepang_cbo=sepang_cbo,
        other_sepang_cbo=OrganizationFactory.create(area=sepang),
        johor_cbo=johor_cbo,
        member=account(Role.CBO_MEMBER, organisation=sepang_cbo),
        chair=account(Role.CBO_CHAIR, organisation=sepang_cbo),
        district_officer=account(Role.DISTRICT_OFFICER, "10_7"),
        johor_officer=account(Role.DISTRICT_OFFICER, "1_2"),
        elderly=TaxonomyTerm.objects.target_groups().get(code="elderly"),
        children=TaxonomyTerm.objects.target_groups().get(code="children"),
        locality=Area.objects.get(code=LOCALITY),
    )


@pytest.fixture
def form_data(place: Place) -> Callable[..., dict[str, Any]]:
    def make(**fields: Any) -> dict[str, Any]:
        data: dict[str, Any] = {
            "cbo": str(place.sepang_cbo.pk),
            "target_group": str(place.elderly.pk),
            "kind": Activity.Kind.PROGRAMME,
            "date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
            "locality": str(place.locality.pk),
            "people_reached": "40",
            "volunteers": "5",
            "description": "Ceramah kesihatan di dewan orang ramai.",
        }
        data.update(fields)
        return data

    return make
