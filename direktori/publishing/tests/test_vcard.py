"""An organisation's public contacts as a vCard: it parses, escapes, folds, and holds public
data only."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from direktori.directory.models import Organization, ServiceAtLocation
from direktori.directory.tests.factories import (
    AddressFactory,
    LocationFactory,
    OrganizationFactory,
    PhoneFactory,
    ServiceFactory,
)
from direktori.publishing.vcard import escape, fold

pytestmark = pytest.mark.django_db


def parse(text: str) -> list[tuple[str, dict[str, str], str]]:
    """RFC 6350 §3.2 unfolding, then NAME;PARAM=VALUE:VALUE for each line."""
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    lines = text.replace("\r\n ", "").split("\r\n")[:-1]
    found = []
    for line in lines:
        head, _, value = line.partition(":")
        name, *params = head.split(";")
        found.append((name, dict(param.split("=", 1) for param in params), value))
    return found


def unescape(value: str) -> str:
    return value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")


def values(card: list[tuple[str, dict[str, str], str]], name: str) -> list[str]:
    return [value for key, _params, value in card if key == name]


def test_escaping_and_folding_keep_every_character() -> None:
    assert escape("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"
    line = "NOTE:" + "Persatuan Kebajikan Warga Emas Daerah Sepang — ℗ " * 4
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode("utf-8")) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert folded.replace("\r\n ", "") == line


def test_the_vcard_holds_the_public_contacts(client: Client) -> None:
    organization = OrganizationFactory.create(
        name="Persatuan Warga Emas; Sepang, Selangor",
        kind=Organization.Kind.NGO,
        email="pwe@example.org",
        website="https://pwe.example.org/",
    )
    PhoneFactory.create(
        organization=organization, service=None, number="03-8706 4433", kind="voice"
    )
    PhoneFactory.create(
        organization=organization, service=None, number="019-261 5999", kind="whatsapp"
    )
    PhoneFactory.create(
        organization=organization, service=None, number="03-8706 5555", is_confidential=True
    )
    public = LocationFactory.create(organization=organization, name="A")
    AddressFactory.create(location=public, address_1="No. 5, Jalan Ketari", postal_code="43900")
    hidden = LocationFactory.create(organization=organization, name="B", is_confidential=True)
    AddressFactory.create(location=hidden, address_1="Lorong Rahsia 7")
    response = client.get(reverse("publishing:organization_vcard", kwargs={"pk": organization.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    text = response.content.decode("utf-8")
    card = parse(text)
    assert card[0] == ("BEGIN", {}, "VCARD") and card[-1] == ("END", {}, "VCARD")
    assert values(card, "VERSION") == ["3.0"]
    assert [unescape(v) for v in values(card, "FN")] == [organization.name]
    assert values(card, "FN")[0] == "Persatuan Warga Emas\\; Sepang\\, Selangor"
    tels = [(params["TYPE"], value) for key, params, value in card if key == "TEL"]
    assert tels == [("WORK,VOICE", "03-8706 4433"), ("CELL,VOICE", "019-261 5999")]
    urls = values(card, "URL")
    assert "https://wa.me/60192615999" in urls and "https://pwe.example.org/" in urls
    assert any(url.endswith(f"/organisasi/{organization.pk}/") for url in urls)
    assert values(card, "EMAIL") == ["pwe@example.org"]
    (address,) = values(card, "ADR")
    assert unescape(address.split(";")[2]) == "No. 5, Jalan Ketari"
    assert address.split(";")[5] == "43900"
    assert "Rahsia" not in text and "5555" not in text


def test_an_organisation_without_numbers_gives_its_services_numbers(client: Client) -> None:
    service = ServiceFactory.create()
    PhoneFactory.create(service=service, number="012-345 6789")
    place = LocationFactory.create(organization=service.organization, is_confidential=True)
    ServiceAtLocation.objects.create(service=service, location=place)
    AddressFactory.create(location=place, address_1="Lorong Rahsia 7")
    url = reverse("publishing:organization_vcard", kwargs={"pk": service.organization.pk})
    card = parse(client.get(url).content.decode())
    assert values(card, "TEL") == ["012-345 6789"]
    assert values(card, "ADR") == []


def test_an_inactive_organisation_has_no_vcard_and_the_page_links_it(client: Client) -> None:
    organization = OrganizationFactory.create()
    page = client.get(organization.get_absolute_url()).content.decode()
    url = reverse("publishing:organization_vcard", kwargs={"pk": organization.pk})
    assert f'href="{url}"' in page
    Organization.objects.filter(pk=organization.pk).update(status="inactive")
    assert client.get(url).status_code == 404
