"""Checking and saving uploaded entries: every problem by row and column, all or nothing, scope."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import reverse
from django.utils import translation

from direktori.accounts.bulk_invite import Refused, Row
from direktori.accounts.models import Role
from direktori.directory.models import Location, Organization, Phone, Service
from direktori.directory.tests.factories import ServiceFactory
from direktori.publishing.entries import KEYS, current_values, with_entry_data
from direktori.publishing.entries_check import check
from direktori.publishing.entries_save import dump, import_all, load

from .spreadsheet_fixtures import World, upload, world

__all__ = ["world"]

DISTRICT = Role.DISTRICT_OFFICER


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The tests read the messages in English (their msgids)."""
    with translation.override("en"):
        yield


def cells_of(service: Service) -> dict[str, str]:
    from direktori.publishing.entries import cell_text

    values = current_values(with_entry_data(Service.objects.filter(pk=service.pk), public=False)[0])
    return {key: cell_text(key, values[key]) for key in KEYS}


def new_cells(**changes: str) -> dict[str, str]:
    cells = dict.fromkeys(KEYS, "")
    cells |= {
        "organization_name": "CBO Baharu",
        "organization_kind": "cbo",
        "service_name": "Ziarah",
        "area": "10_7",
    }
    return cells | changes


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (Organization, Service, Location, Phone))


UNKNOWN = "00000000-0000-4000-8000-000000000000"
PROBLEMS = [
    ({"area": "Atlantis"}, "area", "No area"),
    ({"area": "10_2"}, "area", "outside your area"),
    ({"target_groups": "elderly; pirates"}, "target_groups", "pirates"),
    ({"categories": "nonsense"}, "categories", "nonsense"),
    ({"phones": "12345678901234"}, "phones", "12345678901234"),
    ({"whatsapp": "03-123 45"}, "whatsapp", "03-123 45"),
    ({"verified_on": "31/01/2026"}, "verified_on", "YYYY-MM-DD"),
    ({"verified_on": "2999-01-01"}, "verified_on", "future"),
    ({"service_name": ""}, "service_name", "required"),
    ({"area": ""}, "area", "required"),
    ({"organization_kind": "club"}, "organization_kind", "cbo"),
    ({"confidential": "maybe"}, "confidential", "ya or tidak"),
    ({"email": "not-an-address"}, "email", "email"),
    ({"website": "not a url"}, "website", "URL"),
    ({"postcode": "4390", "address_1": "Jalan 1"}, "postcode", "five digits"),
    ({"city": "Salak"}, "address_1", "first line"),
    ({"service_id": UNKNOWN}, "service_id", "No service"),
    ({"service_id": "not-a-uuid"}, "service_id", "No service"),
    ({"organization_id": UNKNOWN}, "organization_id", "No organisation"),
]


@pytest.mark.parametrize(("changes", "column", "words"), PROBLEMS)
def test_each_problem_is_named_by_row_and_column(
    world: World, changes: dict[str, str], column: str, words: str
) -> None:
    row = new_cells(service_name="Lain", organization_name="CBO Lain") | changes
    plans, problems = check([Row(2, new_cells()), Row(3, row)], actor=world.users[DISTRICT])
    assert plans == []
    assert [(p.row, p.column) for p in problems] == [(3, column)]
    assert words.lower() in problems[0].message.lower()


def test_a_service_of_another_organisation_is_a_foreign_id(world: World) -> None:
    stranger = ServiceFactory.create()
    cells = cells_of(world.service) | {"service_id": str(stranger.pk)}
    _plans, problems = check([Row(2, cells)], actor=world.users[DISTRICT])
    assert [(p.row, p.column) for p in problems] == [(2, "organization_id")]
    assert "another organisation" in problems[0].message


def test_duplicate_rows_are_named(world: World) -> None:
    existing = cells_of(world.service)
    rows = [Row(2, existing), Row(3, existing), Row(4, new_cells()), Row(5, new_cells())]
    _plans, problems = check(rows, actor=world.users[DISTRICT])
    assert [(p.row, p.column) for p in problems] == [(3, "service_id"), (5, "service_name")]
    rows = [Row(2, new_cells()), Row(3, new_cells(service_name="Lain", organization_kind="ngo"))]
    _plans, problems = check(rows, actor=world.users[DISTRICT])
    assert [(p.row, p.column) for p in problems] == [(3, "organization_kind")]


def test_one_bad_row_refuses_the_whole_file_and_saves_nothing(world: World) -> None:
    rows = [Row(2, new_cells()), Row(3, cells_of(world.service) | {"phones": "999999"})]
    rows[1].values["service_name"] = "Nama baharu"
    before = counts()
    with pytest.raises(Refused) as refused:
        import_all(rows, actor=world.users[DISTRICT])
    assert [(p.row, p.column) for p in refused.value.problems] == [(3, "phones")]
    assert counts() == before
    assert Service.objects.get(pk=world.service.pk).name == "Bantuan Warga Emas"


def test_the_page_names_the_row_and_column_and_saves_nothing(world: World) -> None:
    header = ",".join(KEYS)
    good = ",".join(new_cells()[key] for key in KEYS)
    wrong = new_cells(service_name="Dua", organization_name="Lain", area="Atlantis")
    bad = ",".join(wrong[key] for key in KEYS)
    before = counts()
    response = upload(
        world.client(DISTRICT),
        f"{header}\n{good}\n{bad}\n".encode(),
        name="entri.csv",
    )
    assert response.status_code == 200
    assert response.wsgi_request.path.startswith("/en/")
    html = response.content.decode()
    assert "Nothing was saved: the file has 1 problem." in html
    assert '<th scope="row">3</th><td translate="no">area</td>' in html
    assert "confirm_form" not in response.context
    assert counts() == before


def test_an_officer_of_another_district_is_refused_those_rows(world: World) -> None:
    other = world.users["other_officer"]
    rows = [Row(2, cells_of(world.service)), Row(3, new_cells(area="10_2"))]
    _plans, problems = check(rows, actor=other)
    assert [(p.row, p.column) for p in problems] == [
        (2, "service_id"),
        (2, "organization_id"),
        (2, "area"),
    ]
    assert all("outside your area" in problem.message for problem in problems)
    for role in (Role.STATE_OFFICER, Role.HQ_ADMIN):
        plans, problems = check(rows, actor=world.users[role])
        assert problems == [] and [p.outcome for p in plans] == ["unchanged", "new"]


def test_moving_an_organisation_out_of_ones_area_is_refused(world: World) -> None:
    cells = cells_of(world.service) | {"area": "10_2"}
    _plans, problems = check([Row(2, cells)], actor=world.users[DISTRICT])
    assert [(p.row, p.column) for p in problems] == [(2, "area")]


def test_a_preview_token_serves_only_the_officer_who_uploaded(world: World) -> None:
    from django.core.exceptions import ValidationError

    token = dump([Row(2, new_cells())], actor=world.users[DISTRICT])
    assert load(token, actor=world.users[DISTRICT])[0].values["service_name"] == "Ziarah"
    with pytest.raises(ValidationError):
        load(token, actor=world.users[Role.STATE_OFFICER])
    response = world.client(DISTRICT).post(
        reverse("publishing:entries_import"), {"token": token + "x"}
    )
    assert response.context["file_errors"] and counts()[1] == 1


def test_the_database_is_checked_again_when_confirming(world: World) -> None:
    rows = [Row(2, cells_of(world.service) | {"service_name": "Baharu"})]
    client = world.client(DISTRICT)
    token = dump(rows, actor=world.users[DISTRICT])
    Service.objects.filter(pk=world.service.pk).delete()
    response = client.post(reverse("publishing:entries_import"), {"token": token})
    assert [(p.row, p.column) for p in response.context["problems"]] == [(2, "service_id")]


def test_a_file_without_the_columns_is_refused(world: World) -> None:
    response = upload(world.client(DISTRICT), b"name,phone\nA,1\n", name="x.csv")
    assert "missing: service_id" in response.content.decode()
