from __future__ import annotations

from typing import Any

import pytest
from django.contrib.admin.views.main import ChangeList
from django.core import checks
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.text import slugify

from direktori.accounts.testing import signed_in
from direktori.areas.admin import DistrictFilter, StateFilter
from direktori.areas.models import Area
from direktori.areas.services import area_save

pytestmark = pytest.mark.django_db


CHANGELIST = reverse("admin:areas_area_changelist")
ADD = reverse("admin:areas_area_add")


def make_area(code: str, kind: str, name: str, parent: Area | None = None, **fields: Any) -> Area:
    return area_save(
        Area(
            code=code,
            kind=kind,
            name_ms=name,
            name_en=name,
            slug=slugify(name),
            parent=parent,
            **fields,
        )
    )


@pytest.fixture
def areas() -> dict[str, Area]:
    country = make_area("MY", Area.Kind.COUNTRY, "Malaysia")
    selangor = make_area("10", Area.Kind.STATE, "Selangor", country)
    johor = make_area("01", Area.Kind.STATE, "Johor", country)
    sepang = make_area("10_7", Area.Kind.DISTRICT, "Sepang", selangor)
    petaling = make_area("10_6", Area.Kind.DISTRICT, "Petaling", selangor)
    johor_bahru = make_area("01_2", Area.Kind.DISTRICT, "Johor Bahru", johor)
    dengkil = make_area("10_7:dengkil", Area.Kind.MUKIM, "Dengkil", sepang, is_uncertain=True)
    cyberjaya = make_area("10_7:dengkil:cyberjaya", Area.Kind.LOCALITY, "Cyberjaya", dengkil)
    return {
        area.code: area
        for area in (country, selangor, johor, sepang, petaling, johor_bahru, dengkil, cyberjaya)
    }


def listed(response: Any) -> set[str]:
    changelist: ChangeList = response.context["cl"]
    return {area.code for area in changelist.result_list}


def form_data(area: Area, **overrides: Any) -> dict[str, Any]:
    data = {
        "kind": area.kind,
        "locality_type": area.locality_type,
        "name_ms": area.name_ms,
        "name_en": area.name_en,
        "slug": area.slug,
        "code": area.code,
        "parent": area.parent_id or "",
        "postcode": area.postcode,
        "source": area.source,
    }
    if area.is_uncertain:
        data["is_uncertain"] = "on"
    data.update(overrides)
    return data


def test_admin_configuration_passes_the_system_checks() -> None:
    assert [m for m in checks.run_checks(tags=[checks.Tags.admin]) if m.is_serious()] == []


def test_pages_render_for_a_superuser(admin_client: Client, areas: dict[str, Area]) -> None:
    sepang = areas["10_7"]
    assert admin_client.get(CHANGELIST).status_code == 200
    assert admin_client.get(ADD).status_code == 200
    response = admin_client.get(reverse("admin:areas_area_change", args=[sepang.pk]))
    assert response.status_code == 200
    assert sepang.path in response.text
    assert 'name="path"' not in response.text
    assert 'name="boundary"' not in response.text


@pytest.mark.parametrize("url", [CHANGELIST, ADD])
def test_anonymous_users_are_sent_to_sign_in(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("url", [CHANGELIST, ADD])
def test_users_who_are_not_staff_are_kept_out(
    client: Client, django_user_model: Any, url: str
) -> None:
    signed_in(client, django_user_model.objects.create_user("volunteer", password="x"))
    response = client.get(url)
    assert response.status_code in {302, 403}
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("admin:login"))


def test_staff_without_permission_is_forbidden(client: Client, django_user_model: Any) -> None:
    signed_in(client, django_user_model.objects.create_user("clerk", password="x", is_staff=True))
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(ADD).status_code == 403


def test_search_by_name_or_code(admin_client: Client, areas: dict[str, Area]) -> None:
    assert listed(admin_client.get(CHANGELIST, {"q": "sepang"})) == {"10_7"}
    assert listed(admin_client.get(CHANGELIST, {"q": "01_2"})) == {"01_2"}


def test_filter_by_kind_and_uncertainty(admin_client: Client, areas: dict[str, Area]) -> None:
    assert listed(admin_client.get(CHANGELIST, {"kind__exact": "district"})) == {
        "10_7",
        "10_6",
        "01_2",
    }
    assert listed(admin_client.get(CHANGELIST, {"is_uncertain__exact": "1"})) == {"10_7:dengkil"}


def test_filter_by_state_keeps_the_state_and_everything_below(
    admin_client: Client, areas: dict[str, Area]
) -> None:
    assert listed(admin_client.get(CHANGELIST, {"state": "10"})) == {
        "10",
        "10_7",
        "10_6",
        "10_7:dengkil",
        "10_7:dengkil:cyberjaya",
    }
    assert listed(admin_client.get(CHANGELIST, {"state": "99"})) == set()


def filter_choices(response: Any, filter_class: type) -> list[Any]:
    changelist: ChangeList = response.context["cl"]
    spec = next(s for s in changelist.filter_specs if type(s) is filter_class)
    return list(spec.choices(changelist))


def test_choosing_a_state_narrows_the_district_choices_and_drops_a_stale_district(
    admin_client: Client, areas: dict[str, Area]
) -> None:
    changelist = admin_client.get(CHANGELIST).context["cl"]
    assert not any(isinstance(spec, DistrictFilter) for spec in changelist.filter_specs)
    alone = filter_choices(admin_client.get(CHANGELIST, {"district": "10_7"}), DistrictFilter)
    assert [choice["display"] for choice in alone[1:]] == ["Sepang (Selangor)"]

    in_johor = filter_choices(admin_client.get(CHANGELIST, {"state": "01"}), DistrictFilter)
    assert [choice["display"] for choice in in_johor[1:]] == ["Johor Bahru"]  # after "All"

    response = admin_client.get(CHANGELIST, {"state": "10", "district": "10_7"})
    assert listed(response) == {"10_7", "10_7:dengkil", "10_7:dengkil:cyberjaya"}
    johor = next(c for c in filter_choices(response, StateFilter) if c["display"] == "Johor")
    assert "state=01" in johor["query_string"]
    assert "district" not in johor["query_string"]


def test_filter_by_district(admin_client: Client, areas: dict[str, Area]) -> None:
    assert listed(admin_client.get(CHANGELIST, {"district": "10_6"})) == {"10_6"}


def test_changelist_queries_do_not_grow_with_rows(
    admin_client: Client, areas: dict[str, Area]
) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(CHANGELIST, {"state": "10"}).status_code == 200
        assert not any("boundary" in query["sql"] for query in queries)
        return len(queries)

    count()  # warm process-wide caches (content types, permissions) before counting
    few = count()
    for number in range(30):
        make_area(f"10_7:place-{number}", Area.Kind.LOCALITY, f"Place {number}", areas["10_7"])
    assert count() == few


def test_saving_a_new_parent_repaths_the_descendants(
    admin_client: Client, reference_areas: None
) -> None:
    dengkil = Area.objects.get(code="10_7:dengkil")
    kuala_langat = Area.objects.get(kind=Area.Kind.DISTRICT, name_ms__iexact="Kuala Langat")
    below = list(Area.objects.filter(path__startswith=dengkil.path).exclude(pk=dengkil.pk))
    assert below

    response = admin_client.post(
        reverse("admin:areas_area_change", args=[dengkil.pk]),
        form_data(dengkil, parent=kuala_langat.pk),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    dengkil.refresh_from_db()
    assert dengkil.parent == kuala_langat
    assert dengkil.path == f"{kuala_langat.path}10_7:dengkil/"
    for area in below:
        area.refresh_from_db()
        assert area.path.startswith(dengkil.path)
        assert area.path != dengkil.path
    assert not Area.objects.filter(path__startswith="/MY/10/10_7/10_7:dengkil/").exists()


def test_adding_an_area_sets_its_path(admin_client: Client, areas: dict[str, Area]) -> None:
    sepang = areas["10_7"]
    area = Area(
        code="10_7:salak", kind=Area.Kind.LOCALITY, name_ms="Salak", slug="salak", parent=sepang
    )
    response = admin_client.post(ADD, form_data(area))
    assert response.status_code == 302
    assert Area.objects.get(code="10_7:salak").path == f"{sepang.path}10_7:salak/"


def test_an_area_cannot_be_moved_below_itself(admin_client: Client, areas: dict[str, Area]) -> None:
    sepang = areas["10_7"]
    response = admin_client.post(
        reverse("admin:areas_area_change", args=[sepang.pk]),
        form_data(sepang, parent=areas["10_7:dengkil"].pk),
    )
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    sepang.refresh_from_db()
    assert sepang.parent == areas["10"]


def test_a_parent_sits_higher_in_the_hierarchy(
    admin_client: Client, areas: dict[str, Area]
) -> None:
    petaling = areas["10_6"]
    response = admin_client.post(
        reverse("admin:areas_area_change", args=[petaling.pk]),
        form_data(petaling, parent=areas["10_7:dengkil"].pk),
    )
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors


def test_parent_autocomplete_finds_areas_by_name(
    admin_client: Client, areas: dict[str, Area]
) -> None:
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "areas", "model_name": "area", "field_name": "parent", "term": "seP"},
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Sepang"]
