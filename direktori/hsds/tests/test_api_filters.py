from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from direktori.directory.models import Service
from direktori.directory.tests.factories import (
    AddressFactory,
    LocationFactory,
    PhoneFactory,
    ScheduleFactory,
    ServiceAreaFactory,
    ServiceFactory,
)

from .factories import Dataset, hsds_dataset

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(reference_areas: None) -> Dataset:
    return hsds_dataset()


@pytest.fixture
def client() -> Client:
    return Client()


def ids(client: Client, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    body = response.json()
    assert body["total_items"] == len(body["contents"])
    return {item["id"] for item in body["contents"]}


def service_ids(*services: Service) -> set[str]:
    return {str(service.id) for service in services}


def test_services_filters_alone_and_combined(client: Client, data: Dataset) -> None:
    Service.objects.filter(pk=data.kelantan_service.pk).update(
        updated_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    elderly, target_groups = data.terms["elderly"].id, data.terms["elderly"].taxonomy_id
    url = "/api/hsds/services"
    assert ids(client, url) == service_ids(*data.services)  # every status is published
    assert ids(client, f"{url}?search=warga") == service_ids(data.elderly_care, data.closed_service)
    assert ids(client, f"{url}?search=warga%20harian") == service_ids(data.elderly_care)
    assert ids(client, f"{url}?taxonomy_term_id={elderly}") == service_ids(data.elderly_care)
    assert ids(client, f"{url}?taxonomy_id={target_groups}") == service_ids(
        data.elderly_care, data.kelantan_service
    )
    assert ids(client, f"{url}?organization_id={data.sepang_cbo.id}") == service_ids(
        data.elderly_care, data.closed_service
    )
    assert ids(client, f"{url}?modified_after=2025-01-01T00:00:00") == service_ids(
        data.elderly_care, data.helpline, data.closed_service
    )
    # Two filters together keep what both keep.
    assert ids(
        client, f"{url}?organization_id={data.sepang_cbo.id}&taxonomy_id={target_groups}"
    ) == service_ids(data.elderly_care)
    assert ids(client, f"{url}?taxonomy_id={target_groups}&modified_after=2025-01-01") == (
        service_ids(data.elderly_care)
    )
    assert not ids(client, f"{url}?search=kelantan&organization_id={data.sepang_cbo.id}")


def test_postcode_keeps_services_covering_it_or_with_no_service_area(
    client: Client, data: Dataset
) -> None:
    # 43900 is Bandar Baru Salak Tinggi, in Sepang, in Selangor; Kelantan does not cover it.
    expected = service_ids(data.elderly_care, data.helpline, data.closed_service)
    assert ids(client, "/api/hsds/services?postcode=43900") == expected
    assert ids(client, "/api/hsds/services?postcode=15000") == service_ids(
        data.helpline, data.kelantan_service
    )
    assert not ids(client, "/api/hsds/services?postcode=99999")  # unknown: empty, not an error


def test_proximity_finds_services_near_a_sepang_postcode_and_not_the_far_one(
    client: Client, data: Dataset
) -> None:
    url = "/api/hsds/services?postcode=43900&proximity="
    # Dengkil is about 7.5 km from Salak Tinggi; Kota Bharu about 380 km.
    assert ids(client, f"{url}3000") == service_ids(data.elderly_care)
    assert ids(client, f"{url}20000") == service_ids(data.elderly_care, data.helpline)
    # The centre of 43800 is the public Dengkil office; the shelter there does not count.
    assert ids(client, "/api/hsds/services?postcode=43800&proximity=2000") == service_ids(
        data.helpline
    )
    links = ids(client, "/api/hsds/service_at_locations?postcode=43900&proximity=20000")
    assert links == {
        str(link.id)
        for link in data.salak_tinggi.service_at_locations.all()
        | data.dengkil.service_at_locations.all()
    }
    assert not ids(client, "/api/hsds/services?postcode=99999&proximity=100000")


def test_service_at_locations_filters(client: Client, data: Dataset) -> None:
    url = "/api/hsds/service_at_locations"
    everything = ids(client, url)
    assert len(everything) == 3  # the link to the shelter is not published
    by_org = ids(client, f"{url}?organization_id={data.welfare_office.id}")
    assert by_org == {str(link.id) for link in data.dengkil.service_at_locations.all()}
    term = data.terms["family"].id
    assert ids(client, f"{url}?taxonomy_term_id={term}") == {
        str(link.id) for link in data.kota_bharu.service_at_locations.all()
    }
    assert not ids(client, f"{url}?taxonomy_term_id={term}&organization_id={data.sepang_cbo.id}")


def test_organization_and_taxonomy_filters(client: Client, data: Dataset) -> None:
    assert ids(client, "/api/hsds/organizations?search=kebajikan") == {
        str(data.sepang_cbo.id),
        str(data.welfare_office.id),
    }
    assert ids(client, "/api/hsds/taxonomies?search=sasar") == {
        str(data.terms["elderly"].taxonomy_id)
    }
    terms = "/api/hsds/taxonomy_terms"
    elderly = data.terms["elderly"]
    assert str(elderly.id) in ids(client, f"{terms}?search=warga")
    assert str(elderly.id) in ids(client, f"{terms}?top_only=true")
    assert not ids(client, f"{terms}?parent_id={elderly.id}")
    assert ids(client, f"{terms}?taxonomy_id={elderly.taxonomy_id}&search=warga") == {
        str(elderly.id)
    }


def test_minimal_returns_every_match_as_id_and_last_modified(client: Client, data: Dataset) -> None:
    body = client.get("/api/hsds/services?minimal=true&per_page=1").json()
    assert body["total_items"] == body["size"] == 4
    assert all(set(item) == {"id", "last_modified"} for item in body["contents"])
    assert [item["id"] for item in body["contents"]] == sorted(service_ids(*data.services))


def _page(client: Client, page: int, per_page: int) -> dict[str, Any]:
    response = client.get(f"/api/hsds/services?page={page}&per_page={per_page}")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def test_pagination_is_stable_and_correct_at_the_boundaries(client: Client, db: None) -> None:
    created = sorted(str(ServiceFactory.create().id) for _ in range(7))
    seen = []
    for page in (1, 2, 3):
        body = _page(client, page, 3)
        assert body["total_items"] == 7 and body["total_pages"] == 3
        assert body["page_number"] == page
        assert body["first_page"] is (page == 1)
        assert body["last_page"] is (page == 3)
        seen += [item["id"] for item in body["contents"]]
    assert seen == created  # ordered by id, no gaps, no repeats
    assert _page(client, 3, 3)["size"] == 1
    beyond = _page(client, 4, 3)
    assert beyond["contents"] == [] and beyond["empty"] is True and beyond["last_page"] is True
    exact = _page(client, 1, 7)
    assert exact["total_pages"] == 1 and exact["last_page"] is True
    default = _page(client, 1, 50)
    assert default["size"] == 7
    empty = client.get("/api/hsds/organizations?search=tiada-sesiapa").json()
    assert empty["total_items"] == 0 and empty["empty"] is True and empty["total_pages"] == 0


def _grow(count: int) -> None:
    for _ in range(count):
        service = ServiceFactory.create()
        location = LocationFactory.create(organization=service.organization)
        AddressFactory.create(location=location)
        PhoneFactory.create(service=None, location=location)
        ScheduleFactory.create(service=None, location=location)
        service.service_at_locations.create(location=location)
        PhoneFactory.create(service=service)
        ScheduleFactory.create(service=service)
        ServiceAreaFactory.create(service=service)


# Measured: each is the same for 4 services or 40 (one query per table, none per record).
# A page costs one query for its ids, one for the count, then one per table of the documents.
QUERY_BUDGET = {
    "/api/hsds/services": 3,
    "/api/hsds/services?full=true": 21,
    "/api/hsds/services?minimal=true": 1,
    "/api/hsds/organizations?full=true": 18,
    "/api/hsds/organizations?full=true&full_service=true": 34,
    "/api/hsds/service_at_locations": 3,
    "/api/hsds/service_at_locations?full=true": 29,
    "/api/hsds/taxonomy_terms": 1,
    "/api/hsds/services?postcode=43900&proximity=20000&full=true": 24,
}


@pytest.mark.parametrize("url", list(QUERY_BUDGET))
@pytest.mark.parametrize("extra", [0, 12])
def test_query_count_does_not_grow_with_the_data(
    client: Client, data: Dataset, url: str, extra: int, django_assert_max_num_queries: Any
) -> None:
    _grow(extra)
    with django_assert_max_num_queries(QUERY_BUDGET[url]):
        response = client.get(url)
    assert response.status_code == 200
    with django_assert_max_num_queries(QUERY_BUDGET[url] + 2):
        streamed = client.get(f"{url}&format=ndjson" if "?" in url else f"{url}?format=ndjson")
        lines = b"".join(streamed.streaming_content).splitlines()  # type: ignore[attr-defined]
    assert len(lines) == response.json()["total_items"]


@pytest.mark.parametrize("extra", [0, 12])
def test_detail_query_count_is_fixed(
    client: Client, data: Dataset, extra: int, django_assert_max_num_queries: Any
) -> None:
    _grow(extra)
    with django_assert_max_num_queries(19):
        assert client.get(f"/api/hsds/services/{data.elderly_care.id}").status_code == 200
