"""GET /api/v1/search (CONTRACT): public, validated, relevance or distance order."""

import io
from typing import Any

from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from direktori.search.api import SearchOut

URL = "/api/v1/search"


class SearchApiTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        call_command("seed_demo", stdout=io.StringIO())

    def get(self, **params: Any) -> dict:
        response = self.client.get(URL, params)
        assert response.status_code == 200, response.content
        return response.json()

    def test_anyone_may_search_and_gets_the_contract_shape(self) -> None:
        body = self.get(q="klinik kesihatan salak")
        assert body["count"] >= 1
        first = body["results"][0]
        assert set(first) >= {"id", "name", "organization", "phones", "area", "url"}
        assert first["name"] == "Klinik Kesihatan (KK) Salak"
        assert set(first["organization"]) == {"id", "name"}
        assert first["area"] == {"state": "Selangor", "district": "Sepang"}
        assert first["url"].endswith(f"/perkhidmatan/{first['id']}/")
        assert first["phones"] and first["phones"][0]["tel"].startswith("tel:+60")
        assert first["distance_km"] is None
        assert SearchOut.model_validate(body).count == body["count"]  # what the docs say it is
        near = self.get(lat=2.8327, lon=101.7430, radius_km=10)
        assert SearchOut.model_validate(near).results[0].distance_km is not None

    def test_state_and_district_by_name_in_any_case_or_by_code(self) -> None:
        by_code = self.get(district="10_7", target_group="elderly", per_page=100)
        for district in ("sepang", "SEPANG", "Sepang"):
            assert self.get(district=district, target_group="elderly", per_page=100) == by_code
        assert by_code["count"] > 0
        assert {r["area"]["district"] for r in by_code["results"]} == {"Sepang"}
        assert (
            self.get(state="selangor", district="sepang", per_page=100)["count"]
            == self.get(district="10_7", per_page=100)["count"]
        )

    def test_without_words_results_come_nearest_first_with_distances(self) -> None:
        body = self.get(lat=2.86, lon=101.68, radius_km=10, per_page=100)
        distances = [r["distance_km"] for r in body["results"]]
        assert distances and None not in distances
        assert distances == sorted(distances)
        assert max(distances) <= 10

    def test_with_words_relevance_comes_first(self) -> None:
        body = self.get(q="hospital serdang", lat=2.86, lon=101.68, radius_km=50)
        assert body["results"][0]["name"] == "Hospital Serdang"
        assert body["results"][0]["distance_km"] is not None

    def test_a_typo_says_what_was_searched_instead(self) -> None:
        body = self.get(q="hospitl serdang")
        assert body["did_you_mean"] == "hospital serdang"
        assert body["results"][0]["name"] == "Hospital Serdang"

    def test_exact_takes_the_words_as_typed(self) -> None:
        body = self.get(q="hospitl serdang", exact="true")
        assert body["did_you_mean"] == ""
        assert "Hospital Serdang" in [
            r["name"] for r in body["results"]
        ]  # "serdang" still finds it
        assert self.get(q="hospitl", exact="true")["count"] == 0

    def test_bad_parameters_get_a_clear_400_and_never_a_500(self) -> None:
        for params, words in [
            ({"lat": 2.8}, "both 'lat' and 'lon'"),
            ({"radius_km": 5}, "needs 'lat'"),
            ({"lat": 95, "lon": 101}, "lat"),
            ({"district": "Atlantis"}, "Unknown district"),
            ({"state": "Johor", "district": "Sepang"}, "Unknown district 'Sepang' in Johor"),
            ({"target_group": "pirates"}, "Unknown target group"),
            ({"taxonomy_term_id": "00000000-0000-0000-0000-000000000000"}, "Unknown taxonomy"),
            ({"taxonomy_term_id": "nope"}, "taxonomy_term_id"),
            ({"per_page": 1000}, "per_page"),
            ({"q": "x" * 201}, "q"),
        ]:
            with self.subTest(params):
                response = self.client.get(URL, params)  # type: ignore[arg-type]
                assert response.status_code == 400, response.content
                assert words in response.json()["detail"]

    def test_pages_are_consistent(self) -> None:
        first = self.get(q="klinik", per_page=5)
        second = self.get(q="klinik", per_page=5, page=2)
        assert first["count"] == second["count"]
        ids = [r["id"] for r in first["results"] + second["results"]]
        assert len(set(ids)) == 10

    def test_the_number_of_queries_does_not_grow_with_the_page(self) -> None:
        def queries(per_page: int) -> int:
            with CaptureQueriesContext(connection) as captured:
                self.get(q="klinik", per_page=per_page)
            return len(captured)

        assert queries(30) == queries(3)

    def test_phones_are_the_services_public_ones_else_its_organisations(self) -> None:
        from direktori.directory.models import Service

        body = self.get(q="klinik", per_page=50)
        services = Service.objects.filter(pk__in=[r["id"] for r in body["results"]])
        expected = {
            str(s.pk): [
                p.number
                for p in (s.public_phones or s.organization.public_phones)  # type: ignore[attr-defined]
            ]
            for s in services.with_contact()
        }
        assert any(expected.values())
        assert {r["id"]: [p["number"] for p in r["phones"]] for r in body["results"]} == expected

    def test_remembered_lookups_follow_a_renamed_area_and_a_new_target_group(self) -> None:
        from direktori.areas.models import Area
        from direktori.directory.models import TaxonomyTerm

        assert self.get(district="Sepang")["count"] > 0
        sepang = Area.objects.get(code="10_7")
        sepang.name_ms = sepang.name_en = "Sepang Baru"
        sepang.save()
        assert self.client.get(URL, {"district": "Sepang"}).status_code == 400
        assert self.get(district="sepang baru")["results"][0]["area"]["district"] == "Sepang Baru"
        assert self.client.get(URL, {"target_group": "orphans"}).status_code == 400
        group = TaxonomyTerm.objects.target_groups().first()
        assert group is not None
        TaxonomyTerm.objects.create(
            taxonomy=group.taxonomy, code="orphans", name_ms="Anak yatim", name_en="Orphans"
        )
        assert self.get(target_group="orphans")["count"] == 0

    def test_openapi_documents_the_endpoint(self) -> None:
        schema = self.client.get("/api/v1/openapi.json").json()
        parameters = {p["name"] for p in schema["paths"]["/api/v1/search"]["get"]["parameters"]}
        assert parameters >= {
            "q",
            "lat",
            "lon",
            "radius_km",
            "taxonomy_term_id",
            "target_group",
            "state",
            "district",
            "open_now",
            "page",
            "per_page",
        }
        assert self.client.get("/api/v1/docs").status_code == 200

    def test_only_get_is_allowed(self) -> None:
        assert self.client.post(URL, {"q": "x"}).status_code == 405
