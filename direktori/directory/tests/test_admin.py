from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.admin.views.main import ChangeList
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify

from direktori.accounts.testing import signed_in
from direktori.areas.models import Area
from direktori.areas.services import area_save
from direktori.directory.models import (
    Contact,
    Location,
    Organization,
    Phone,
    Service,
    Taxonomy,
    TaxonomyTerm,
)
from direktori.directory.models.taxonomy import SERVICE_CATEGORIES, TARGET_GROUPS
from direktori.search.models import SearchDocument

pytestmark = pytest.mark.django_db


REGISTERED = ["organization", "service", "location", "contact", "phone", "taxonomy", "taxonomyterm"]


def url(model: str, view: str, *args: object) -> str:
    return reverse(f"admin:directory_{model}_{view}", args=args)


def make_area(code: str, kind: str, name: str, parent: Area | None = None) -> Area:
    return area_save(
        Area(code=code, kind=kind, name_ms=name, name_en=name, slug=slugify(name), parent=parent)
    )


def make_term(taxonomy: Taxonomy, code: str, parent: TaxonomyTerm | None = None) -> TaxonomyTerm:
    return TaxonomyTerm.objects.create(
        taxonomy=taxonomy, code=code, name_ms=code.title(), parent=parent
    )


@dataclass
class World:
    areas: dict[str, Area]
    terms: dict[str, TaxonomyTerm]

    def organization(self, name: str, area: str = "10_7", **fields: Any) -> Organization:
        fields.setdefault("kind", Organization.Kind.CBO)
        return Organization.objects.create(name=name, area=self.areas[area], **fields)

    def service(self, organization: Organization, name: str, *terms: str, **fields: Any) -> Service:
        service = Service.objects.create(organization=organization, name=name, **fields)
        service.terms.set([self.terms[code] for code in terms])
        return service


@pytest.fixture
def world() -> World:
    country = make_area("MY", Area.Kind.COUNTRY, "Malaysia")
    selangor = make_area("10", Area.Kind.STATE, "Selangor", country)
    johor = make_area("01", Area.Kind.STATE, "Johor", country)
    sepang = make_area("10_7", Area.Kind.DISTRICT, "Sepang", selangor)
    areas = [
        country,
        selangor,
        johor,
        sepang,
        make_area("10_6", Area.Kind.DISTRICT, "Petaling", selangor),
        make_area("01_2", Area.Kind.DISTRICT, "Johor Bahru", johor),
        make_area("10_7:dengkil", Area.Kind.MUKIM, "Dengkil", sepang),
    ]
    groups = Taxonomy.objects.create(code=TARGET_GROUPS, name_ms="Kumpulan sasar")
    categories = Taxonomy.objects.create(code=SERVICE_CATEGORIES, name_ms="Kategori")
    elderly = make_term(groups, "elderly")
    terms = [
        make_term(groups, "children"),
        elderly,
        make_term(groups, "day-care", parent=elderly),
        make_term(categories, "health"),
        make_term(categories, "welfare"),
    ]
    return World({a.code: a for a in areas}, {t.code: t for t in terms})


def listed(response: Any) -> set[str]:
    assert response.status_code == 200, response
    changelist: ChangeList = response.context["cl"]
    return {str(row) for row in changelist.result_list}


# Access ---------------------------------------------------------------------------------------


def test_the_directory_registers_what_officers_edit() -> None:
    registered = {
        m._meta.model_name for m in admin.site._registry if m._meta.app_label == "directory"
    }
    assert registered == set(REGISTERED)


@pytest.fixture
def one_of_each(world: World) -> dict[str, Any]:
    organization = world.organization("PKMD Sepang")
    service = world.service(organization, "Bantuan", "elderly", "welfare")
    location = Location.objects.create(
        organization=organization, name="Pejabat", is_confidential=True
    )
    contact = Contact.objects.create(organization=organization, name="Puan Aminah")
    phone = Phone.objects.create(organization=organization, number="+60389475555")
    term = world.terms["elderly"]
    return {
        "organization": organization,
        "service": service,
        "location": location,
        "contact": contact,
        "phone": phone,
        "taxonomy": term.taxonomy,
        "taxonomyterm": term,
    }


@pytest.mark.parametrize("model", REGISTERED)
def test_superuser_sees_every_page(admin_client: Client, one_of_each: dict, model: str) -> None:
    assert admin_client.get(url(model, "changelist")).status_code == 200
    assert admin_client.get(url(model, "changelist"), {"_facets": "1"}).status_code == 200
    assert admin_client.get(url(model, "add")).status_code == 200
    assert admin_client.get(url(model, "change", one_of_each[model].pk)).status_code == 200


@pytest.mark.parametrize("view", ["changelist", "add"])
@pytest.mark.parametrize("model", REGISTERED)
def test_anonymous_users_are_sent_to_sign_in(client: Client, model: str, view: str) -> None:
    response = client.get(url(model, view))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("view", ["changelist", "add"])
@pytest.mark.parametrize("model", REGISTERED)
def test_users_who_are_not_staff_are_kept_out(
    client: Client, django_user_model: Any, model: str, view: str
) -> None:
    signed_in(client, django_user_model.objects.create_user("volunteer", password="x"))
    response = client.get(url(model, view))
    assert response.status_code in {302, 403}
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("model", REGISTERED)
def test_staff_without_permission_is_forbidden(
    client: Client, django_user_model: Any, model: str
) -> None:
    signed_in(client, django_user_model.objects.create_user("clerk", password="x", is_staff=True))
    assert client.get(url(model, "changelist")).status_code == 403
    assert client.get(url(model, "add")).status_code == 403


# Filters --------------------------------------------------------------------------------------


@pytest.fixture
def spread(world: World) -> World:
    """Organisations and services in several states, districts, target groups and ages."""
    today = timezone.localdate()
    sepang = world.organization("Sepang CBO", "10_7", verified_on=today)
    dengkil = world.organization(
        "Dengkil CBO", "10_7:dengkil", verified_on=today.replace(year=2000)
    )
    petaling = world.organization("Petaling NGO", "10_6", kind=Organization.Kind.NGO)
    johor = world.organization("Johor NGO", "01_2", kind=Organization.Kind.NGO)
    national = world.organization("Talian Kasih", "MY", kind=Organization.Kind.HOTLINE)
    world.service(sepang, "Sepang day care", "day-care", "welfare", verified_on=today)
    world.service(dengkil, "Dengkil children", "children", "health")
    world.service(petaling, "Petaling elderly", "elderly", "health")
    world.service(johor, "Johor children", "children", "welfare")
    world.service(national, "Talian Kasih 15999", "children", "elderly")
    return world


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"state": "10"}, {"Sepang CBO", "Dengkil CBO", "Petaling NGO"}),
        ({"state": "01"}, {"Johor NGO"}),
        ({"district": "10_7"}, {"Sepang CBO", "Dengkil CBO"}),
        ({"state": "10", "district": "10_6"}, {"Petaling NGO"}),
        ({"district": "nowhere"}, set()),
        ({"target_group": "elderly"}, {"Sepang CBO", "Petaling NGO", "Talian Kasih"}),
        ({"target_group": "children"}, {"Dengkil CBO", "Johor NGO", "Talian Kasih"}),
        ({"target_group": "children", "state": "10"}, {"Dengkil CBO"}),
        ({"verification": "never"}, {"Petaling NGO", "Johor NGO", "Talian Kasih"}),
        ({"verification": "stale"}, {"Dengkil CBO"}),
        ({"verification": "recent"}, {"Sepang CBO"}),
        ({"kind__exact": "ngo"}, {"Petaling NGO", "Johor NGO"}),
        ({"q": "talian"}, {"Talian Kasih"}),
    ],
)
def test_organization_filters(
    admin_client: Client, spread: World, params: dict, expected: set[str]
) -> None:
    assert listed(admin_client.get(url("organization", "changelist"), params)) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"state": "10"}, {"Sepang day care", "Dengkil children", "Petaling elderly"}),
        ({"district": "10_7"}, {"Sepang day care", "Dengkil children"}),
        (
            {"target_group": "elderly"},
            {"Sepang day care", "Petaling elderly", "Talian Kasih 15999"},
        ),
        ({"target_group": "day-care"}, {"Sepang day care"}),
        ({"category": "health"}, {"Dengkil children", "Petaling elderly"}),
        ({"verification": "recent"}, {"Sepang day care"}),
        ({"verification": "never", "category": "welfare"}, {"Johor children"}),
        ({"q": "johor ngo"}, {"Johor children"}),
    ],
)
def test_service_filters(
    admin_client: Client, spread: World, params: dict, expected: set[str]
) -> None:
    assert listed(admin_client.get(url("service", "changelist"), params)) == expected


def test_verification_age_is_measured_in_months(admin_client: Client, world: World) -> None:
    today = datetime.date(2025, 6, 15)
    world.organization("A year ago today", verified_on=datetime.date(2024, 6, 15))
    world.organization("A year and a day ago", verified_on=datetime.date(2024, 6, 14))
    changelist = url("organization", "changelist")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "localdate", lambda: today)
        assert listed(admin_client.get(changelist, {"verification": "recent"})) == {
            "A year ago today"
        }
        assert listed(admin_client.get(changelist, {"verification": "stale"})) == {
            "A year and a day ago"
        }


def test_location_filters_and_confidential_marker(admin_client: Client, world: World) -> None:
    organization = world.organization("JKM Sepang")
    Location.objects.create(
        organization=organization,
        name="Rumah perlindungan",
        area=world.areas["10_7:dengkil"],
        is_confidential=True,
    )
    Location.objects.create(organization=organization, name="Pejabat JKM", area=world.areas["10_7"])
    Location.objects.create(
        organization=organization, name="Pejabat Johor", area=world.areas["01_2"]
    )
    changelist = url("location", "changelist")

    assert listed(admin_client.get(changelist, {"is_confidential__exact": "1"})) == {
        "Rumah perlindungan"
    }
    assert listed(admin_client.get(changelist, {"district": "10_7"})) == {
        "Rumah perlindungan",
        "Pejabat JKM",
    }
    assert listed(admin_client.get(changelist, {"state": "01"})) == {"Pejabat Johor"}
    with translation.override("ms"):
        marker = f"<strong>{translation.gettext('CONFIDENTIAL')}</strong>"
    assert admin_client.get(changelist).text.count(marker) == 1


# Editing --------------------------------------------------------------------------------------


def form_data(response: Any) -> dict[str, Any]:
    """What the browser would send back from a change page, inline rows included."""
    data: dict[str, Any] = {}

    def add(form: Any) -> None:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            if value is True:
                data[field.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[field.html_name] = [str(item) for item in value]
            else:
                data[field.html_name] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


def add_row(data: dict[str, Any], prefix: str, **fields: str) -> None:
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    data.update({f"{prefix}-{index}-{name}": value for name, value in fields.items()})


def test_an_invalid_phone_number_is_explained_and_nothing_is_saved(
    admin_client: Client, world: World
) -> None:
    organization = world.organization("PKMD Sepang")
    change = url("organization", "change", organization.pk)
    data = form_data(admin_client.get(change))
    data["name"] = "PKMD Sepang (renamed)"
    add_row(data, "phones", kind="voice", number="12345", position="0")

    response = admin_client.post(change, data)

    assert response.status_code == 200
    phones = next(
        i.formset for i in response.context["inline_admin_formsets"] if i.formset.prefix == "phones"
    )
    [message] = phones.errors[0]["number"]
    assert "12345" in message
    assert message in response.text
    assert not Phone.objects.exists()
    organization.refresh_from_db()
    assert organization.name == "PKMD Sepang"


def test_a_phone_number_is_stored_normalised_and_shown_as_written(
    admin_client: Client, world: World
) -> None:
    organization = world.organization("PKMD Sepang")
    change = url("organization", "change", organization.pk)
    data = form_data(admin_client.get(change))
    add_row(data, "phones", kind="voice", number="03-8947 5555", position="0")

    assert admin_client.post(change, data).status_code == 302
    assert Phone.objects.get().number == "+60389475555"

    page = admin_client.get(change)
    assert 'value="03-8947 5555"' in page.text
    assert admin_client.post(change, form_data(page)).status_code == 302
    assert Phone.objects.get().number == "+60389475555"


def test_the_organisation_page_links_to_its_services(
    admin_client: Client, one_of_each: dict
) -> None:
    page = admin_client.get(url("organization", "change", one_of_each["organization"].pk))
    assert url("service", "change", one_of_each["service"].pk) in page.text


@pytest.mark.parametrize("model", ["organization", "service"])
def test_mark_as_verified_today(
    admin_client: Client,
    world: World,
    django_user_model: Any,
    model: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    officer = django_user_model.objects.get(username="admin")
    officer.role, officer.area = "hq_admin", world.areas["MY"]  # verifying needs an officer's area
    officer.save()
    organizations = [world.organization(f"CBO {n}") for n in range(3)]
    if model == "organization":
        entries: list[Any] = organizations
    else:
        entries = [world.service(o, f"Service {n}") for n, o in enumerate(organizations)]
    chosen, untouched = entries[:2], entries[2]

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url(model, "changelist"),
            {"action": "mark_verified_today", "_selected_action": [str(e.pk) for e in chosen]},
        )

    assert response.status_code == 302
    if model == "service":  # search favours recently verified entries: the index knows at once
        verified = SearchDocument.objects.filter(verified_on=timezone.localdate())
        assert set(verified.values_list("service_id", flat=True)) == {e.pk for e in chosen}
    for entry in chosen:
        entry.refresh_from_db()
        assert entry.verified_on == timezone.localdate()
        assert entry.verified_by == officer
    untouched.refresh_from_db()
    assert untouched.verified_on is None
    assert untouched.verified_by is None
    assert LogEntry.objects.filter(user=officer).count() == 2


@pytest.mark.parametrize("model", ["organization", "service"])
def test_editing_is_not_verifying(
    admin_client: Client, world: World, django_user_model: Any, model: str
) -> None:
    organization = world.organization("PKMD Sepang")
    entry: Any = organization if model == "organization" else world.service(organization, "Bantuan")
    change = url(model, "change", entry.pk)
    page = admin_client.get(change)
    assert 'name="verified_on"' not in page.text
    assert 'name="verified_by"' not in page.text
    data = form_data(page)
    data.update(
        name="Renamed", verified_on="2025-01-01", verified_by=str(page.wsgi_request.user.pk)
    )

    assert admin_client.post(change, data).status_code == 302
    entry.refresh_from_db()
    assert entry.name == "Renamed"
    assert entry.verified_on is None
    assert entry.verified_by is None


def test_terms_say_which_vocabulary_they_are_from(admin_client: Client, world: World) -> None:
    page = admin_client.get(url("service", "add"))
    assert "Kumpulan sasar: Elderly" in page.text
    assert "Kategori: Health" in page.text


def test_phone_search_understands_numbers_as_people_write_them(
    admin_client: Client, world: World
) -> None:
    organization = world.organization("PKMD Sepang")
    Phone.objects.create(organization=organization, number="+60389475555")
    Phone.objects.create(organization=organization, number="+60192615999")
    Phone.objects.create(organization=organization, number="15999", kind=Phone.Kind.SHORT_CODE)
    changelist = url("phone", "changelist")

    assert listed(admin_client.get(changelist, {"q": "03-8947 5555"})) == {"03-8947 5555"}
    assert listed(admin_client.get(changelist, {"q": "+60 19-261 5999"})) == {"019-261 5999"}
    # Part of a number finds every number containing it.
    assert listed(admin_client.get(changelist, {"q": "15999"})) == {"15999", "019-261 5999"}


def test_area_autocomplete_for_organisations(admin_client: Client, world: World) -> None:
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "directory",
            "model_name": "organization",
            "field_name": "area",
            "term": "dengkil",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["Dengkil"]
