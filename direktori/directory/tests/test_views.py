"""The public pages: who may see them (everyone), what they show, and what they never show."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from direktori.areas.models import Area
from direktori.directory.models import Organization, Phone, Service
from direktori.directory.models.organisations import Status
from direktori.search.indexing import reindex_all

from .factories import (
    AddressFactory,
    LocationFactory,
    OrganizationFactory,
    PhoneFactory,
    ScheduleFactory,
    ServiceAreaFactory,
    ServiceFactory,
    reference_terms,
)

pytestmark = pytest.mark.django_db

LANGUAGES = ["", "/en"]


@pytest.fixture
def terms(reference_areas: None) -> dict:
    return reference_terms()


@pytest.fixture
def clinic(terms: dict) -> Service:
    organization = OrganizationFactory.create(
        kind=Organization.Kind.GOVERNMENT,
        name="Klinik Kesihatan Ujian",
        name_en="Test Health Clinic",
        verified_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    service = ServiceFactory.create(
        organization=organization,
        name="Rawatan pesakit luar",
        name_en="Outpatient treatment",
        terms=[terms["elderly"], terms["health"]],
        verified_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    location = LocationFactory.create(organization=organization, name="Klinik Ujian")
    AddressFactory.create(location=location, address_1="Jalan Klinik Ujian 7")
    PhoneFactory.create(service=service, kind=Phone.Kind.VOICE, number="03-8706 9001")
    reindex_all()  # the search index follows commits, which tests never make
    return service


@pytest.fixture
def shelter(terms: dict) -> Organization:
    """A refuge whose place and private line must never be shown; its public line may be."""
    organization = OrganizationFactory.create(
        kind=Organization.Kind.NGO, name="Rumah Selamat Ujian", name_en="Test Safe House"
    )
    service = ServiceFactory.create(
        organization=organization,
        name="Perlindungan sementara",
        name_en="Temporary shelter",
        terms=[terms["domestic_violence"]],
    )
    hidden = LocationFactory.create(
        organization=organization,
        name="Alamat rahsia",
        is_confidential=True,
        confidential_reason="Rumah perlindungan",
    )
    AddressFactory.create(location=hidden, address_1="Lorong Rahsia 13")
    PhoneFactory.create(location=hidden, number="010-200 9911")
    PhoneFactory.create(service=service, number="010-200 9922", is_confidential=True)
    PhoneFactory.create(organization=organization, number="010-200 9933")
    return organization


def _pages(service: Service) -> list[str]:
    return [
        "/",
        "/cari/",
        f"/cari/?q={service.name.split()[0]}",
        "/kawasan/",
        "/kawasan/selangor/",
        "/kawasan/selangor/sepang/",
        "/kawasan/selangor/sepang/dengkil/",
        "/kumpulan/",
        "/kumpulan/elderly/",
        "/kumpulan/domestic_violence/",
        service.organization.get_absolute_url(),
        service.get_absolute_url(),
    ]


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_every_public_page_is_open_to_anonymous_visitors(
    client: Client, clinic: Service, prefix: str
) -> None:
    for path in _pages(clinic):
        response = client.get(prefix + path)
        assert response.status_code == 200, path
        body = response.content.decode()
        assert f'<html lang="{prefix.strip("/") or "ms"}">' in body, path
        assert 'href="tel:999"' in body and 'href="tel:15999"' in body, path


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_public_pages_are_read_only(client: Client, clinic: Service, method: str) -> None:
    for path in ["/", "/cari/", clinic.get_absolute_url(), clinic.organization.get_absolute_url()]:
        assert getattr(client, method)(path).status_code in {403, 405}, path


def test_confidential_places_and_numbers_never_appear(
    client: Client, shelter: Organization, clinic: Service
) -> None:
    service = shelter.services.get()
    paths = [
        *_pages(service),
        "/cari/?q=Perlindungan",
        "/cari/?q=Rumah+Selamat",
        "/kumpulan/domestic_violence/?kawasan=10_7",
    ]
    for prefix in LANGUAGES:
        for path in paths:
            body = client.get(prefix + path).content.decode()
            assert "Lorong Rahsia" not in body, path
            assert "Alamat rahsia" not in body, path
            assert "9911" not in body and "9922" not in body, path
    organization_page = client.get(shelter.get_absolute_url()).content.decode()
    assert "tel:+60102009933" in organization_page  # the public line is there to call


def test_a_phone_of_a_contact_who_has_not_agreed_is_not_shown(
    client: Client, clinic: Service
) -> None:
    contact = clinic.organization.contacts.create(name="Puan Ujian", is_public=False)
    PhoneFactory.create(
        service=None, contact=contact, organization=clinic.organization, number="010-200 7777"
    )
    body = client.get(clinic.organization.get_absolute_url()).content.decode()
    assert "7777" not in body


def test_service_page_shows_what_to_do(client: Client, clinic: Service) -> None:
    body = client.get("/en" + clinic.get_absolute_url()).content.decode()
    assert "Outpatient treatment" in body
    assert "Test Health Clinic" in body
    assert 'href="tel:+60387069001"' in body
    assert "03-8706 9001" in body
    assert "Jalan Klinik Ujian 7" in body
    assert "openstreetmap.org/?mlat=2.816000&amp;mlon=101.733000" in body
    assert "Verified on" in body
    assert "Older people" in body


def test_malay_pages_show_malay_names(client: Client, clinic: Service) -> None:
    body = client.get(clinic.get_absolute_url()).content.decode()
    assert "Rawatan pesakit luar" in body
    assert "Outpatient treatment" not in body


def test_whatsapp_numbers_link_to_whatsapp(client: Client, clinic: Service) -> None:
    PhoneFactory.create(service=clinic, kind=Phone.Kind.WHATSAPP, number="019-261 5999")
    body = client.get(clinic.get_absolute_url()).content.decode()
    assert 'href="https://wa.me/60192615999"' in body


def test_an_entry_without_a_known_number_says_so(client: Client, terms: dict) -> None:
    service = ServiceFactory.create(name="Pejabat tanpa nombor")
    body = client.get("/en" + service.get_absolute_url()).content.decode()
    assert "No phone number is known yet" in body
    assert "Not yet verified" in body


def test_demo_entries_are_marked(client: Client, terms: dict) -> None:
    service = ServiceFactory.create(organization=OrganizationFactory.create(is_demo=True))
    reindex_all()
    for path in [
        service.get_absolute_url(),
        service.organization.get_absolute_url(),
        "/cari/?q=Ujian",
    ]:
        assert "Demo" in client.get("/en" + path).content.decode(), path


def test_open_now_follows_the_schedule(client: Client, terms: dict) -> None:
    open_service = ServiceFactory.create()
    for weekday in range(1, 8):
        ScheduleFactory.create(
            service=open_service, weekday=weekday, all_day=True, opens_at=None, closes_at=None
        )
    closed_service = ServiceFactory.create()
    other_day = timezone.localdate().isoweekday() % 7 + 1
    ScheduleFactory.create(service=closed_service, weekday=other_day)
    assert "Open now" in client.get("/en" + open_service.get_absolute_url()).content.decode()
    assert "Closed now" in client.get("/en" + closed_service.get_absolute_url()).content.decode()


def test_old_verification_is_flagged_for_rechecking(client: Client, terms: dict) -> None:
    service = ServiceFactory.create(verified_on=timezone.localdate() - datetime.timedelta(days=400))
    assert "Due for re-checking" in client.get("/en" + service.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/perkhidmatan/00000000-0000-0000-0000-000000000000/",
        "/organisasi/00000000-0000-0000-0000-000000000000/",
        "/kawasan/selangor/tiada/",
        "/kawasan/tiada/",
        "/kumpulan/tiada/",
    ],
)
def test_unknown_entries_are_404(client: Client, clinic: Service, path: str) -> None:
    assert client.get(path).status_code == 404


def test_inactive_entries_are_not_public(client: Client, clinic: Service) -> None:
    Service.objects.filter(pk=clinic.pk).update(status=Status.DEFUNCT)
    assert client.get(clinic.get_absolute_url()).status_code == 404
    assert "Rawatan pesakit luar" not in client.get("/cari/?q=Rawatan").content.decode()
    Organization.objects.filter(pk=clinic.organization_id).update(status=Status.INACTIVE)
    assert client.get(clinic.organization.get_absolute_url()).status_code == 404


def test_search_finds_by_name_description_and_organisation(client: Client, clinic: Service) -> None:
    for query in ["rawatan", "Klinik Kesihatan", "outpatient", "pesakit luar"]:
        body = client.get("/cari/", {"q": query}).content.decode()
        assert "Rawatan pesakit luar" in body, query


def test_search_filters_by_target_group_and_area(
    client: Client, clinic: Service, terms: dict
) -> None:
    body = client.get("/cari/", {"q": "rawatan", "kumpulan": "children"}).content.decode()
    assert "Rawatan pesakit luar" not in body
    body = client.get(
        "/cari/", {"q": "rawatan", "kumpulan": "elderly", "kawasan": "10_7"}
    ).content.decode()
    assert "Rawatan pesakit luar" in body
    body = client.get("/cari/", {"q": "rawatan", "kawasan": "14"}).content.decode()
    assert "Rawatan pesakit luar" not in body


def test_search_with_no_result_still_shows_the_helplines(client: Client, terms: dict) -> None:
    hotline = OrganizationFactory.create(kind=Organization.Kind.HOTLINE, name="Talian Ujian")
    helpline = ServiceFactory.create(
        organization=hotline, name="Talian bantuan ujian", name_en="Test helpline"
    )
    PhoneFactory.create(service=helpline, kind=Phone.Kind.SHORT_CODE, number="15999")
    body = client.get("/en/cari/", {"q": "zzzz tiada"}).content.decode()
    assert "Nothing matched your search" in body
    assert "Test helpline" in body


def test_search_refuses_an_overlong_query_with_a_message(client: Client, terms: dict) -> None:
    response = client.get("/en/cari/", {"q": "x" * 201})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_search_refuses_an_unknown_area_with_a_message(client: Client, terms: dict) -> None:
    response = client.get("/en/cari/", {"q": "klinik", "kawasan": "99_9"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_htmx_search_returns_only_the_results(client: Client, clinic: Service) -> None:
    response = client.get("/cari/", {"q": "rawatan"}, headers={"hx-request": "true"})
    body = response.content.decode()
    assert "Rawatan pesakit luar" in body
    assert "<html" not in body


def test_area_page_lists_local_services_before_those_serving_from_afar(
    client: Client, clinic: Service, terms: dict
) -> None:
    country = Area.objects.get(code="MY")
    national = ServiceFactory.create(
        name="Aaa perkhidmatan kebangsaan",
        organization=OrganizationFactory.create(kind=Organization.Kind.HOTLINE, area=country),
    )
    ServiceAreaFactory.create(service=national, area=country)
    body = client.get("/kawasan/selangor/sepang/").content.decode()
    assert body.index("Rawatan pesakit luar") < body.index("Aaa perkhidmatan kebangsaan")
    body = client.get("/kawasan/selangor/sepang/", {"kumpulan": "children"}).content.decode()
    assert "Rawatan pesakit luar" not in body


def test_area_page_pages_through_many_services(client: Client, terms: dict) -> None:
    for _ in range(25):
        ServiceFactory.create()
    first = client.get("/kawasan/selangor/sepang/").content.decode()
    second = client.get("/kawasan/selangor/sepang/", {"page": 2}).content.decode()
    assert first.count('class="card result"') == 20
    assert second.count('class="card result"') == 5
    assert 'rel="next"' in first and 'rel="prev"' in second


def test_empty_area_page_says_so(client: Client, terms: dict) -> None:
    body = client.get("/en/kawasan/perlis/").content.decode()
    assert "There are no entries here yet" in body


def test_listing_queries_do_not_grow_with_the_number_of_services(
    client: Client, terms: dict, django_assert_max_num_queries
) -> None:
    def add(count: int) -> None:
        for _ in range(count):
            service = ServiceFactory.create(terms=[terms["children"]])
            PhoneFactory.create(service=service)

    add(3)
    with django_assert_max_num_queries(25) as few:
        client.get("/kawasan/selangor/sepang/")
    add(17)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/kawasan/selangor/sepang/")


def test_area_pages_page_through_their_services(client: Client, terms: dict) -> None:
    sepang = Area.objects.get(code="10_7")
    for number in range(25):
        ServiceFactory.create(
            name=f"Perkhidmatan {number:02d}", organization=OrganizationFactory.create(area=sepang)
        )
    url = sepang.get_absolute_url()
    first = client.get(url).content.decode()
    assert 'href="?page=2"' in first and "??page" not in first
    second = client.get(url + "?page=2").content.decode()
    assert "Perkhidmatan 24" in second and "Perkhidmatan 24" not in first
