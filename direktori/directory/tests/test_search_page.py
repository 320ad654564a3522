"""The search page `/cari/` on the search engine: the form, what it asks the engine, what it shows.

The data is indexed as the application indexes it, after commit; the engine is the real one, except
where a test records what the view asks of it.
"""

from __future__ import annotations

import gzip
import posixpath
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from config.settings import csp_source_of
from direktori.areas.models import Area
from direktori.directory import views
from direktori.directory.forms import SearchForm
from direktori.directory.models import Organization, Phone, Service, ServiceAtLocation
from direktori.search.query import Hit, SearchQuery, SearchResults

from .factories import (
    LocationFactory,
    OrganizationFactory,
    PhoneFactory,
    ServiceFactory,
    reference_terms,
)

pytestmark = pytest.mark.django_db

SALAK_TINGGI = (2.816, 101.733)  # Bandar Baru Salak Tinggi, Sepang
BUDGET_BYTES = 60_000


GOVERNMENT, CBO, HOTLINE, NGO = (
    Organization.Kind.GOVERNMENT,
    Organization.Kind.CBO,
    Organization.Kind.HOTLINE,
    Organization.Kind.NGO,
)
# key: name, district, public place or None, term codes, kind of organisation
SERVICES = {
    "clinic": ("Klinik Kesihatan Salak Tinggi", "10_7", SALAK_TINGGI, "elderly health", GOVERNMENT),
    "far_clinic": (
        "Klinik Kesihatan Banting",
        "10_3",
        (2.811, 101.502),
        "elderly health",
        GOVERNMENT,
    ),
    "nursery": ("Taska Klinik Ceria", "10_7", (2.86, 101.733), "children childcare", CBO),
    "police": ("Balai Polis Salak Tinggi", "10_7", (2.82, 101.73), "police", GOVERNMENT),
    "welfare": ("Pejabat Kebajikan Sepang", "10_7", None, "welfare", GOVERNMENT),
    "crisis": ("Pusat Krisis Sehenti Sepang", "10_7", None, "crisis_centre", GOVERNMENT),
    "helpline": ("Talian Kasih", "MY", None, "helpline", HOTLINE),
    "refuge": ("Rumah Klinik Selamat", "10_7", None, "domestic_violence", NGO),
}


def _service(terms: dict, name: str, area: str, at: Any, codes: str, kind: str) -> Service:
    place = Area.objects.get(code=area)
    organization = OrganizationFactory.create(kind=kind, name=f"Pejabat {name}", area=place)
    service = ServiceFactory.create(
        organization=organization, name=name, name_en=name, terms=[terms[c] for c in codes.split()]
    )
    if at:
        latitude, longitude = (Decimal(f"{value:.6f}") for value in at)
        LocationFactory.create(
            organization=organization, area=place, latitude=latitude, longitude=longitude
        )
    PhoneFactory.create(service=service)
    return service


@pytest.fixture
def terms(reference_areas: None) -> dict:
    return reference_terms()


@pytest.fixture
def directory(
    reference_areas: None, django_capture_on_commit_callbacks: Callable[..., Any]
) -> dict[str, Service]:
    """Clinics in Sepang and, 25 km west, Kuala Langat; a nursery; Sepang's police, welfare office
    and crisis centre; a national helpline; a refuge whose only place is confidential."""
    terms = reference_terms()
    with django_capture_on_commit_callbacks(execute=True):
        made = {key: _service(terms, *row) for key, row in SERVICES.items()}
        PhoneFactory.create(service=made["helpline"], kind=Phone.Kind.SHORT_CODE, number="15999")
        hidden = LocationFactory.create(
            organization=made["refuge"].organization,
            latitude=Decimal("2.777777"),
            longitude=Decimal("101.666666"),
            is_confidential=True,
            confidential_reason="Rumah perlindungan",
        )
        ServiceAtLocation.objects.create(service=made["refuge"], location=hidden)
    return made


def _get(client: Client, params: dict[str, str], *, prefix: str = "", **kwargs: Any) -> str:
    response = client.get(f"{prefix}/cari/", params, **kwargs)
    assert response.status_code == 200
    return response.content.decode()


def _result_ids(body: str) -> list[str]:
    """The services listed as results, in order (not the helplines of an empty result)."""
    listing = body.split('class="empty"')[0]
    return re.findall(
        r'<li class="card result"[^>]*>\s*<h3><a href="/(?:en/)?perkhidmatan/([^/]+)/', listing
    )


def _distances(body: str) -> list[float]:
    return [float(km) for km in re.findall(r'class="distance">([\d.]+) km', body)]


# The form


DISTANCE = "The distance must be from 1 to %(max)s km."


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"lat": "abc", "lon": "101.7"}, "The latitude must be a number from -90 to 90."),
        ({"lat": "95", "lon": "101.7"}, "The latitude must be a number from -90 to 90."),
        ({"lat": "2.8", "lon": "181"}, "The longitude must be a number from -180 to 180."),
        ({"lat": "2.8"}, "Latitude and longitude go together: give both or neither."),
        ({"lon": "101.7"}, "Latitude and longitude go together: give both or neither."),
        ({"lat": "2.8", "lon": "101.7", "jarak": "0"}, DISTANCE),
        ({"lat": "2.8", "lon": "101.7", "jarak": "x"}, DISTANCE),
        ({"kumpulan": "aliens"}, "Choose a target group from the list."),
        ({"kategori": "spaceport"}, "Choose a category from the list."),
        ({"kawasan": "99_9"}, "Choose an area from the list."),
        ({"kawasan": "10_7:dengkil:cyberjaya"}, "Choose an area from the list."),  # a locality
        ({"q": "x" * 201}, None),
    ],
)
def test_bad_parameters_get_a_clear_message_not_an_error(
    client: Client, terms: dict, params: dict, message: str | None
) -> None:
    form = SearchForm(params)
    assert not form.is_valid()
    body = _get(client, params)
    assert 'role="alert"' in body
    if message == DISTANCE:
        assert gettext(DISTANCE) % {"max": 500} in body
    else:
        assert message is None or gettext(message) in body
    assert 'class="card result"' not in body


def test_area_list_has_every_state_district_and_mukim(terms: dict) -> None:
    groups = dict(SearchForm().fields["kawasan"].widget.choices[1:])
    selangor = [code for code, _ in groups["Selangor"]]
    assert selangor[0] == "10"
    sepang = selangor.index("10_7")
    assert set(selangor[sepang + 1 : sepang + 4]) == {"10_7:dengkil", "10_7:labu", "10_7:sepang"}
    assert "10_3" in selangor and len(groups) == Area.objects.states().count()


def test_the_form_becomes_the_engines_query(terms: dict) -> None:
    params = {
        "q": "  klinik   kerajaan ",
        "kumpulan": "elderly",
        "kategori": "health",
        "kawasan": "10_7:dengkil",
        "buka": "on",
        "lat": "2.816",
        "lon": "101.733",
        "jarak": "10",
    }
    form = SearchForm(params)
    assert form.is_valid(), form.errors
    assert form.to_query() == SearchQuery(
        text="klinik kerajaan",
        target_group="elderly",
        term_id=terms["health"].pk,
        area=Area.objects.get(code="10_7:dengkil"),
        open_now=True,
        near=SALAK_TINGGI,
        radius_km=10.0,
    )


def test_radius_defaults_with_a_place_and_is_ignored_without(terms: dict) -> None:
    located = SearchForm({"lat": "2.816", "lon": "101.733"})
    assert located.is_valid()
    assert located.to_query().radius_km == 25.0
    unlocated = SearchForm({"q": "klinik", "jarak": "5"})
    assert unlocated.is_valid()
    assert unlocated.to_query().near is None and unlocated.to_query().radius_km is None


class Recorder:
    """Stands in for the engine: records what the view asks and answers `count` matches."""

    def __init__(self, count: int, **answer: Any) -> None:
        self.count = count
        self.answer = answer
        self.calls: list[tuple[SearchQuery, int, int]] = []

    def __call__(self, query: SearchQuery, *, offset: int = 0, limit: int = 20) -> SearchResults:
        self.calls.append((query, offset, limit))
        hits = [] if offset >= self.count else [Hit(Service.objects.first().pk, 1.0)]  # type: ignore[union-attr]
        return SearchResults(count=self.count, hits=hits, **self.answer)


@pytest.mark.parametrize(
    ("page", "offsets"),
    [("1", [0]), ("3", [40]), ("", [0]), ("abc", [0]), ("-2", [0]), ("9", [160, 40])],
)
def test_the_view_asks_the_engine_for_the_page(
    client: Client, directory: dict, monkeypatch: pytest.MonkeyPatch, page: str, offsets: list
) -> None:
    engine = Recorder(count=45)
    monkeypatch.setattr(views, "engine_search", engine)
    body = _get(client, {"q": "klinik", "kumpulan": "elderly", "kawasan": "10_7", "page": page})
    assert [(offset, limit) for _, offset, limit in engine.calls] == [(o, 20) for o in offsets]
    query = engine.calls[0][0]
    assert (query.text, query.target_group, query.area.code) == ("klinik", "elderly", "10_7")  # type: ignore[union-attr]
    number = offsets[-1] // 20 + 1
    assert gettext("Page %(number)s of %(total)s") % {"number": number, "total": 3} in body


def test_an_empty_search_asks_the_engine_nothing(
    client: Client, directory: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = Recorder(count=0)
    monkeypatch.setattr(views, "engine_search", engine)
    for params in ({}, {"q": "   "}, {"jarak": "10", "page": "2"}):
        body = _get(client, params)
        assert 'class="results-body"' not in body
    assert engine.calls == []


# What the page shows


def test_filters_are_exact(client: Client, directory: dict) -> None:
    sepang = Area.objects.get(code="10_7")
    found = _result_ids(_get(client, {"q": "klinik", "kawasan": "10_7"}))
    assert str(directory["clinic"].pk) in found
    assert str(directory["far_clinic"].pk) not in found
    assert set(found) <= {
        str(pk) for pk in Service.objects.in_area(sepang).values_list("pk", flat=True)
    }
    found = _result_ids(_get(client, {"q": "klinik", "kumpulan": "children"}))
    assert found == [str(directory["nursery"].pk)]
    found = _result_ids(_get(client, {"kategori": "police", "kawasan": "10_3"}))
    assert found == []


def test_near_me_lists_nearest_first_with_distances(client: Client, directory: dict) -> None:
    near = {"lat": "2.816", "lon": "101.733"}
    body = _get(client, near)
    distances = _distances(body)
    assert distances and distances == sorted(distances)
    assert _result_ids(body)[0] == str(directory["clinic"].pk)
    assert gettext("Nearest first") in body
    assert str(directory["far_clinic"].pk) not in _result_ids(body)  # 25.7 km away
    body = _get(client, {**near, "jarak": "50"})
    assert _result_ids(body)[-1] == str(directory["far_clinic"].pk)
    assert 25 < _distances(body)[-1] < 26
    body = _get(client, {**near, "jarak": "2"})
    assert max(_distances(body)) <= 2
    assert str(directory["nursery"].pk) not in _result_ids(body)  # 4.9 km away


def test_near_me_with_words_keeps_the_engines_order(client: Client, directory: dict) -> None:
    params = {"q": "klinik", "lat": "2.816", "lon": "101.733", "jarak": "50"}
    body = _get(client, params)
    query = SearchForm(params)
    assert query.is_valid()
    expected = [str(hit.service_id) for hit in views.engine_search(query.to_query()).hits]
    assert _result_ids(body) == expected
    assert len(_distances(body)) == len(expected)
    assert gettext("Nearest first") not in body


def test_result_cards_carry_public_places_only(client: Client, directory: dict) -> None:
    body = _get(client, {"q": "klinik"})
    assert 'data-points="2.816000,101.733000"' in body
    card = re.search(r'<li class="card result"[^>]*>\s*<h3><a[^>]*>Rumah Klinik Selamat', body)
    assert card is not None and "data-points" not in card.group(0)
    assert "2.777777" not in body and "101.666666" not in body


def test_a_typo_is_corrected_and_the_words_as_typed_stay_one_click_away(
    client: Client, directory: dict
) -> None:
    body = _get(client, {"q": "klinnik", "kawasan": "10_7"})
    assert str(directory["clinic"].pk) in _result_ids(body)
    assert gettext("Showing results for <strong>%(words)s</strong>.") % {"words": "klinik"} in body
    instead = gettext('Search instead for <a href="%(url)s">%(words)s</a>')
    assert instead % {"url": "?q=klinnik&amp;kawasan=10_7&amp;tepat=1", "words": "klinnik"} in body
    # Following that link searches the words as typed: nothing is corrected.
    exact = _get(client, {"q": "klinnik", "kawasan": "10_7", "tepat": "1"})
    assert (
        gettext("Showing results for <strong>%(words)s</strong>.") % {"words": "klinik"}
        not in exact
    )


def test_did_you_mean_links_to_the_suggestion(
    client: Client, directory: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "engine_search", Recorder(count=0, did_you_mean="klinik"))
    body = _get(client, {"q": "klinikk", "kumpulan": "elderly", "page": "2"})
    expected = gettext('Did you mean: <a href="%(url)s">%(words)s</a>?') % {
        "url": "?q=klinik&amp;kumpulan=elderly",
        "words": "klinik",
    }
    assert expected in body


def test_nothing_found_still_shows_helplines_and_the_areas_emergency_services(
    client: Client, directory: dict
) -> None:
    body = _get(client, {"q": "zzqxv", "kawasan": "10_7:dengkil"})
    assert gettext("Nothing matched your search.") in body
    for name in (
        "Talian Kasih",
        "Balai Polis Salak Tinggi",
        "Pejabat Kebajikan Sepang",
        "Pusat Krisis Sehenti Sepang",
    ):
        assert name in body, name
    assert "Klinik Kesihatan Salak Tinggi" not in body
    assert 'href="tel:15999"' in body
    body = _get(client, {"q": "zzqxv"})
    assert "Talian Kasih" in body and "Balai Polis Salak Tinggi" not in body


def test_results_are_paged_by_the_engine(client: Client, directory: dict) -> None:
    for number in range(25):
        ServiceFactory.create(name=f"Khidmat Zarafah {number}")
    from direktori.search.indexing import reindex_all

    reindex_all()
    first = _get(client, {"q": "zarafah"})
    second = _get(client, {"q": "zarafah", "page": "2"})
    assert len(_result_ids(first)) == 20 and len(_result_ids(second)) == 5
    assert 'href="?q=zarafah&amp;page=2" rel="next"' in first
    assert 'href="?q=zarafah&amp;page=1" rel="prev"' in second


def test_queries_do_not_grow_with_the_results(
    client: Client,
    directory: dict,
    django_capture_on_commit_callbacks: Callable[..., Any],
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    def add(count: int) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            for _ in range(count):
                service = ServiceFactory.create(name="Khidmat Zarafah")
                LocationFactory.create(organization=service.organization)

    add(3)
    with django_assert_max_num_queries(60) as few:
        client.get("/cari/", {"q": "zarafah", "lat": "2.816", "lon": "101.733"})
    add(17)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/cari/", {"q": "zarafah", "lat": "2.816", "lon": "101.733"})


# htmx, languages, weight, map settings


def test_htmx_gets_only_the_results_and_caches_keep_them_apart(
    client: Client, directory: dict
) -> None:
    response = client.get("/cari/", {"q": "klinik"}, headers={"hx-request": "true"})
    body = response.content.decode()
    assert "<html" not in body and 'id="search-form"' not in body
    assert "Klinik Kesihatan Salak Tinggi" in body
    assert 'hx-swap-oob="innerHTML:#search-status"' in body
    assert "<title>" in body
    assert "HX-Request" in response["Vary"]
    restore = client.get(
        "/cari/",
        {"q": "klinik"},
        headers={"hx-request": "true", "hx-history-restore-request": "true"},
    )
    assert "<html" in restore.content.decode()
    full = _get(client, {"q": "klinik"})
    assert "hx-swap-oob" not in full and 'id="search-status"' in full


@pytest.mark.parametrize("language", ["ms", "en"])
def test_the_page_speaks_the_visitors_language(
    client: Client, directory: dict, language: str
) -> None:
    prefix = "" if language == "ms" else "/en"
    body = _get(client, {"q": "klinik", "lat": "2.816", "lon": "101.733"}, prefix=prefix)
    with translation.override(language):
        for text in (
            "Use my location",
            "Clear location",
            "Show on map",
            "Category",
            "Near me",
            "Searching near your location.",
        ):
            assert gettext(text) in body, text
        one_km = gettext("%(km)s km away") % {"km": "0.0"}
    assert one_km in body
    assert f'<html lang="{language}">' in body


def _static_bytes(url: str) -> bytes:
    with staticfiles_storage.open(posixpath.normpath(url).removeprefix(settings.STATIC_URL)) as f:
        return f.read()


def _first_view_bytes(body: str) -> int:
    """HTML, stylesheets, scripts and the fonts the stylesheets name, gzip-compressed (fonts are
    WOFF2, compressed already): what a first visit downloads before anyone touches the page."""
    total = len(gzip.compress(body.encode(), 9))
    assets = re.findall(r'<script src="([^"]+)"', body)
    assets += re.findall(r'<link rel="stylesheet" href="([^"]+)"', body)
    fonts: set[str] = set()
    for url in assets:
        content = _static_bytes(url)
        total += len(gzip.compress(content, 9))
        for font in re.findall(rb'url\("?([^")]+\.woff2)"?\)', content):
            fonts.add(posixpath.join(posixpath.dirname(url), font.decode()))
    return total + sum(len(_static_bytes(font)) for font in fonts)


def test_the_first_view_stays_within_the_budget_and_loads_no_map(
    client: Client, directory: dict
) -> None:
    for number in range(20):
        ServiceFactory.create(
            name=f"Klinik Desa Ujian {number}",
            description_ms="Rawatan pesakit luar, imunisasi dan pemeriksaan kesihatan. " * 3,
        )
    from direktori.search.indexing import reindex_all

    reindex_all()
    for params in ({}, {"q": "klinik"}):
        body = _get(client, params)
        scripts = re.findall(r'<script src="([^"]+)"', body)
        assert not [s for s in scripts if "leaflet" in s or "htmx" in s], scripts
        assert 'rel="stylesheet" href="/static/direktori/vendor' not in body
        assert _first_view_bytes(body) <= BUDGET_BYTES


def test_the_map_settings_reach_the_page_and_the_csp(client: Client, directory: dict) -> None:
    response = client.get("/cari/", {"q": "klinik"})
    body = response.content.decode()
    assert 'data-tile-url="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in body
    assert "OpenStreetMap" in body
    img_src = re.search(r"img-src ([^;]+)", response["Content-Security-Policy"])
    assert img_src and "https://tile.openstreetmap.org" in img_src.group(1).split()


def test_the_csp_source_of_a_tile_server() -> None:
    assert csp_source_of("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == [
        "https://tile.openstreetmap.org"
    ]
    assert csp_source_of("https://{s}.tile.example.my/{z}/{x}/{y}.png") == [
        "https://*.tile.example.my"
    ]
    assert csp_source_of("/tiles/{z}/{x}/{y}.png") == []
