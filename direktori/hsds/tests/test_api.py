from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from direktori.hsds.profile import PROFILE_TAXONOMY_ID, TERM_IDS, Term

from .factories import (
    PRIVATE_CONTACT_NAME,
    SECRET_NUMBER_E164,
    SHELTER_NUMBER_E164,
    Dataset,
    hsds_dataset,
)

pytestmark = pytest.mark.django_db

SPEC = Path(__file__).resolve().parents[1] / "spec"
OPENAPI = json.loads((SPEC / "openapi.json").read_text())


def _schema(relative: str) -> dict[str, Any]:
    return json.loads((SPEC / relative).read_text())


REGISTRY: Registry = Registry().with_resources(
    (name, Resource.from_contents(_schema(f"schema/{name}"), default_specification=DRAFT202012))
    for name in ("taxonomy.json", "taxonomy_term.json")
)
SCHEMAS = {
    name: _schema(f"compiled/{name}.json")
    for name in (
        "service",
        "service_list",
        "organization",
        "organization_list",
        "service_at_location",
        "service_at_location_list",
    )
} | {name: _schema(f"schema/{name}.json") for name in ("taxonomy", "taxonomy_term")}


def assert_valid(document: Any, schema_name: str) -> None:
    validator = Draft202012Validator(
        SCHEMAS[schema_name],
        registry=REGISTRY,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    errors = sorted(validator.iter_errors(document), key=lambda error: list(error.path))
    assert not errors, [f"{list(error.path)}: {error.message}" for error in errors[:5]]


def assert_page(body: dict[str, Any], item_schema: str) -> None:
    Draft202012Validator(OPENAPI["components"]["schemas"]["Page"]).validate(body)
    assert set(body) == {
        "total_items",
        "total_pages",
        "page_number",
        "size",
        "first_page",
        "last_page",
        "empty",
        "contents",
    }
    assert body["size"] == len(body["contents"])
    for item in body["contents"]:
        assert_valid(item, item_schema)


@pytest.fixture
def data(reference_areas: None) -> Dataset:
    return hsds_dataset()


@pytest.fixture
def client() -> Client:
    return Client()


def get(client: Client, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, (url, response.content[:500])
    if response.streaming:
        assert response["Content-Type"] == "application/x-ndjson"
        text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
        return [json.loads(line) for line in text.splitlines()]
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def raw(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    if response.streaming:
        return b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    return response.content.decode()


# (list URL, item schema of the list, schema of a full item)
LISTS = [
    ("/api/hsds/services", "service_list", "service"),
    ("/api/hsds/organizations", "organization_list", "organization"),
    ("/api/hsds/service_at_locations", "service_at_location_list", "service_at_location"),
    ("/api/hsds/taxonomies", "taxonomy", "taxonomy"),
    ("/api/hsds/taxonomy_terms", "taxonomy_term", "taxonomy_term"),
]


def every_url(client: Client) -> list[str]:
    """Every endpoint in every form: list, full list, ndjson, minimal, and each detail."""
    urls = [
        "/api/hsds/",
        "/api/hsds/services?minimal=true",
        "/api/hsds/services?minimal=true&format=ndjson",
    ]
    urls += ["/api/hsds/organizations?full=true&full_service=true"]
    for list_url, _, _ in LISTS:
        urls += [list_url, f"{list_url}?full=true", f"{list_url}?format=ndjson"]
        urls += [f"{list_url}?full=true&format=ndjson"]
        for item in get(client, f"{list_url}?per_page=1000")["contents"]:
            urls.append(f"{list_url}/{item['id']}")
    organizations = get(client, "/api/hsds/organizations")["contents"]
    urls += [f"/api/hsds/organizations/{org['id']}?full_service=true" for org in organizations]
    return urls


def test_every_endpoint_answers_valid_hsds(client: Client, data: Dataset) -> None:
    for list_url, item_schema, full_schema in LISTS:
        assert_page(get(client, list_url), item_schema)
        full = get(client, f"{list_url}?full=true")
        assert_page(full, full_schema)
        assert full["total_items"] > 0
        lines = get(client, f"{list_url}?format=ndjson")
        assert len(lines) == full["total_items"]
        for line in lines:
            assert_valid(line, item_schema)
        for line in get(client, f"{list_url}?full=true&format=ndjson"):
            assert_valid(line, full_schema)
        for item in full["contents"]:
            detail = get(client, f"{list_url}/{item['id']}")
            assert_valid(detail, full_schema)
            assert detail == item
    for org in get(client, "/api/hsds/organizations?full=true&full_service=true")["contents"]:
        assert_valid(org, "organization")
        assert org == get(client, f"/api/hsds/organizations/{org['id']}?full_service=true")


def test_nothing_confidential_appears_anywhere(client: Client, data: Dataset) -> None:
    secrets = [
        str(data.shelter.id),
        "Rumah Perlindungan",
        "Pintu berkunci",
        str(data.shelter_phone.id),
        SHELTER_NUMBER_E164,
        str(data.secret_phone.id),
        SECRET_NUMBER_E164,
        PRIVATE_CONTACT_NAME,
        "+60102009933",
    ]
    for url in every_url(client):
        text = raw(client, url)
        for secret in secrets:
            assert secret not in text, (url, secret)
    link_ids = {str(link.id) for link in data.shelter.service_at_locations.all()}
    for link_id in link_ids:
        get(client, f"/api/hsds/service_at_locations/{link_id}", status=404)
    get(client, f"/api/hsds/services/{data.helpline.id}")  # the service itself is public


def test_full_service_nests_everything_with_profile_attributes(
    client: Client, data: Dataset
) -> None:
    service = get(client, f"/api/hsds/services/{data.elderly_care.id}")
    assert service["organization"]["id"] == str(data.sepang_cbo.id)
    assert [a["uri"] for a in service["service_areas"]] == ["urn:x-my-dosm:area:10_7"]
    (link,) = service["service_at_locations"]
    location = link["location"]
    assert location["id"] == str(data.salak_tinggi.id)
    assert location["addresses"][0]["postal_code"] == "43900"
    assert location["addresses"][0]["city"] == "Bandar Baru Salak Tinggi"  # the area's name
    assert location["phones"] and location["schedules"] and location["languages"]
    assert location["accessibility"][0]["description"] == "Tanjakan"
    assert service["phones"][0]["extension"] == 12
    assert service["contacts"][0]["name"] == "Puan Aminah"
    assert service["funding"] == service["cost_options"] == service["required_documents"] == []
    values = {a["link_type"]: a.get("value") for a in service["attributes"]}
    assert values["hours-note"] == "Tutup pada cuti umum"
    assert json.loads(values["translation-en"])["hours_note"] == "Closed on public holidays"
    assert values["target-groups"] is None and values["service-categories"] is None
    organization = {a["link_type"]: a["value"] for a in service["organization"]["attributes"]}
    assert organization["organization-kind"] == "cbo"
    assert organization["area"] == "10_7"
    helpline = get(client, f"/api/hsds/services/{data.helpline.id}")
    (all_day,) = helpline["schedules"]
    assert (all_day["byday"], all_day["opens_at"], all_day["closes_at"]) == (
        "SU",
        "00:00:00",
        "23:59:59",
    )


def test_organization_services_are_summaries_unless_full_service(
    client: Client, data: Dataset
) -> None:
    url = f"/api/hsds/organizations/{data.sepang_cbo.id}"
    summary = get(client, url)
    assert {s["id"] for s in summary["services"]} == {
        str(data.elderly_care.id),
        str(data.closed_service.id),
    }
    assert all(set(s) == {"id", "name", "status"} for s in summary["services"])
    assert summary["organization_identifiers"][0]["identifier_scheme"] == "MY-ROS"
    full = get(client, f"{url}?full_service=true")
    assert all("service_areas" in s for s in full["services"])


def test_taxonomies_include_the_profile_and_the_reference_vocabularies(
    client: Client, data: Dataset
) -> None:
    taxonomies = get(client, "/api/hsds/taxonomies")["contents"]
    assert str(PROFILE_TAXONOMY_ID) in {t["id"] for t in taxonomies}
    assert [t["id"] for t in taxonomies] == sorted(t["id"] for t in taxonomies)
    terms = get(client, f"/api/hsds/taxonomy_terms?taxonomy_id={PROFILE_TAXONOMY_ID}")
    assert {t["code"] for t in terms["contents"]} == {term.value for term in Term}
    term = get(client, f"/api/hsds/taxonomy_terms/{TERM_IDS[Term.AREA]}")
    assert term["code"] == "area"
    elderly = get(client, f"/api/hsds/taxonomy_terms/{data.terms['elderly'].id}")
    assert elderly["taxonomy"] == "target-groups"


def test_meta_profile_and_openapi(client: Client, data: Dataset) -> None:
    meta = get(client, "/api/hsds/")
    assert meta == {
        "version": "3.0",
        "profile": "http://testserver/api/hsds/profile",
        "openapi_url": "http://testserver/api/hsds/openapi.json",
    }
    profile = client.get("/api/hsds/profile")
    assert profile["Content-Type"].startswith("text/markdown")
    assert "# The Direktori CBO profile of HSDS 3.0" in profile.content.decode()
    document = get(client, "/api/hsds/openapi.json")
    assert document["info"]["title"] == "Direktori CBO — HSDS 3.0 API"
    assert document["servers"] == [{"url": "http://testserver/api/hsds"}]
    assert set(document["paths"]) == set(OPENAPI["paths"])
    services = {p["$ref"] for p in document["paths"]["/services"]["get"]["parameters"]}
    assert "#/components/parameters/postcode" in services
    assert "#/components/parameters/proximity" in services


def test_lists_are_cacheable_and_read_only(client: Client, data: Dataset) -> None:
    for url in ("/api/hsds/services", f"/api/hsds/services/{data.helpline.id}"):
        response = client.get(url)
        assert "public" in response["Cache-Control"]
        assert "max-age=300" in response["Cache-Control"]
    assert client.post("/api/hsds/services").status_code == 405
    assert client.delete(f"/api/hsds/services/{data.helpline.id}").status_code == 405


@pytest.mark.parametrize(
    "url",
    [
        "/api/hsds/services?page=0",
        "/api/hsds/services?per_page=5000",
        "/api/hsds/services?per_page=0",
        "/api/hsds/services?taxonomy_term_id=not-a-uuid",
        "/api/hsds/services?modified_after=yesterday",
        "/api/hsds/services?format=xml",
        "/api/hsds/services?proximity=1000",
        "/api/hsds/services?postcode=43900&proximity=-5",
        "/api/hsds/organizations?full=maybe",
        "/api/hsds/taxonomy_terms?parent_id=123",
        "/api/hsds/services/123",
    ],
)
def test_invalid_parameters_are_a_400_in_plain_english(client: Client, url: str) -> None:
    body = get(client, url, status=400)
    assert isinstance(body["detail"], str) and body["detail"]


@pytest.mark.parametrize(
    "path",
    ["services", "organizations", "service_at_locations", "taxonomies", "taxonomy_terms"],
)
def test_unknown_ids_are_a_404(client: Client, path: str, db: None) -> None:
    body = get(client, f"/api/hsds/{path}/8a1f4b8e-0000-4000-8000-000000000000", status=404)
    assert "8a1f4b8e-0000-4000-8000-000000000000" in body["detail"]
