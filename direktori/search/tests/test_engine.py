"""The engine on the indexed Sepang demo, the same on SQLite and PostgreSQL."""

import datetime
import io
from unittest import mock

from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from direktori.areas.models import Area
from direktori.directory.models import Location, Phone, Service, TaxonomyTerm
from direktori.search.engine import search, services_for
from direktori.search.indexing import reindex_all
from direktori.search.models import SearchDocument, SearchFacet
from direktori.search.query import SearchQuery


def _names(query: SearchQuery, n: int = 5) -> list[str]:
    return [s.name for s in services_for(search(query, limit=n).hits)]


class SepangSearchTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        call_command("seed_demo", stdout=io.StringIO())

    def test_every_service_is_indexed_and_only_the_active_ones_are_found(self) -> None:
        active = set(Service.objects.active().values_list("pk", flat=True))
        assert SearchDocument.objects.count() == Service.objects.count()
        assert (
            set(SearchDocument.objects.filter(active=True).values_list("service_id", flat=True))
            == active
        )

    def test_the_right_service_comes_first(self) -> None:
        for typed, expected in [
            ("klinik kesihatn salak", "Klinik Kesihatan (KK) Salak"),
            ("kk salak", "Klinik Kesihatan (KK) Salak"),
            ("hospitl serdang", "Hospital Serdang"),
            ("pkmd sepang", "Pejabat Kebajikan Masyarakat Daerah Sepang"),
            ("talian kasih", "Talian Kasih"),
            ("15999", "Talian Kasih"),
            ("kanak2 oku", "Program pemulihan kanak-kanak OKU"),
        ]:
            with self.subTest(typed):
                assert _names(SearchQuery(text=typed), 1) == [expected]

    def test_a_typo_is_corrected_and_said(self) -> None:
        results = search(SearchQuery(text="hospitl serdang"))
        assert results.corrected and results.did_you_mean == "hospital serdang"

    def test_district_and_target_group_filters_are_exact(self) -> None:
        sepang = Area.objects.get(code="10_7")
        elderly = TaxonomyTerm.objects.target_groups().get(code="elderly")
        for typed in ("", "klinik", "bantuan", "talian kasih"):
            results = search(
                SearchQuery(text=typed, area=sepang, target_group="elderly"), limit=100
            )
            for service in services_for(results.hits):
                assert elderly in service.terms.all()
                places = [
                    service.organization.area.path,
                    *(link.area.path for link in service.service_areas.select_related("area")),
                ]
                assert any(path.startswith(sepang.path) for path in places), service
        # A district with nothing in the demo finds nothing, words or not.
        petaling = Area.objects.get(code="10_5")
        assert search(SearchQuery(text="klinik", area=petaling)).count == 0
        assert search(SearchQuery(area=petaling)).count == 0

    def test_near_me_is_in_distance_order_with_distances_and_inside_the_radius(self) -> None:
        dengkil = (2.8600, 101.6800)
        results = search(SearchQuery(near=dengkil, radius_km=8), limit=100)
        distances = [hit.distance_km for hit in results.hits]
        assert results.count == len(distances) > 3
        assert all(d is not None and d <= 8 for d in distances)
        assert distances == sorted(distances)  # type: ignore[type-var]
        wider = search(SearchQuery(near=dengkil, radius_km=30), limit=100)
        assert wider.count > results.count

    def test_words_and_near_me_prefer_the_nearer_of_equals(self) -> None:
        dengkil, sungai_pelek = (2.8600, 101.6800), (2.6500, 101.7200)
        first = services_for(search(SearchQuery(text="klinik kesihatan", near=dengkil)).hits[:1])[0]
        assert "Dengkil" in first.name
        first = services_for(
            search(SearchQuery(text="klinik kesihatan", near=sungai_pelek)).hits[:1]
        )[0]
        assert "Sungai Pelek" in first.name

    def test_open_now_keeps_only_services_open_at_this_moment(self) -> None:
        from direktori.directory import hours

        monday_noon = timezone.make_aware(datetime.datetime(2026, 11, 23, 12, 0))
        sunday_night = timezone.make_aware(datetime.datetime(2026, 11, 29, 23, 0))
        for moment in (monday_noon, sunday_night):
            with mock.patch("direktori.search.engine.timezone.localtime", return_value=moment):
                found = services_for(search(SearchQuery(open_now=True), limit=100).hits)
            assert found
            for service in found:
                schedules = list(service.schedules.all()) or [
                    s
                    for loc in Location.objects.filter(organization=service.organization)
                    for s in loc.schedules.all()
                ]
                assert hours.is_open(schedules, moment=moment), service

    def test_nothing_typed_and_no_filter_finds_nothing(self) -> None:
        assert search(SearchQuery()).count == 0
        assert search(SearchQuery(text="   ")).count == 0

    def test_pages_do_not_overlap(self) -> None:
        first = search(SearchQuery(text="klinik"), limit=5)
        second = search(SearchQuery(text="klinik"), offset=5, limit=5)
        assert first.count == second.count > 10
        assert not {h.service_id for h in first.hits} & {h.service_id for h in second.hits}

    def test_a_change_is_searchable_after_commit(self) -> None:
        service = Service.objects.active().get(name="Hospital Serdang")
        with self.captureOnCommitCallbacks(execute=True):
            service.alternate_name = "Zamrudhijau"
            service.save()
        assert _names(SearchQuery(text="zamrudhijau"), 1) == ["Hospital Serdang"]
        with self.captureOnCommitCallbacks(execute=True):
            service.status = "inactive"
            service.save()
        assert search(SearchQuery(text="zamrudhijau")).count == 0
        assert not SearchDocument.objects.get(service=service).active

    def test_a_confidential_phone_never_reaches_the_index(self) -> None:
        service = Service.objects.active().get(name="Hospital Serdang")
        with self.captureOnCommitCallbacks(execute=True):
            Phone.objects.create(service=service, number="+60312345678", is_confidential=True)
        assert search(SearchQuery(text="0312345678")).count == 0
        assert "0312345678" not in SearchDocument.objects.get(service=service).phones

    def test_rebuilding_gives_the_same_index(self) -> None:
        before = sorted(SearchFacet.objects.values_list("service_id", "key"))
        docs = sorted(
            SearchDocument.objects.values_list("service_id", "name", "places", "keywords")
        )
        reindex_all()
        assert sorted(SearchFacet.objects.values_list("service_id", "key")) == before
        assert (
            sorted(SearchDocument.objects.values_list("service_id", "name", "places", "keywords"))
            == docs
        )


def test_sqlite_full_text_triggers_survive_the_migrations(db: None) -> None:
    """SQLite drops a table's triggers when a migration rebuilds it (fulltext.py)."""
    from django.db import connection

    from direktori.search.fulltext import TRIGGERS

    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        assert set(TRIGGERS) <= {row[0] for row in cursor.fetchall()}
