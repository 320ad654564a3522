"""The booklet pages: the public list and downloads, and the officers' request and status pages
(who may and may not, both languages, the states of a build)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from direktori.accounts.models import Role, User
from direktori.accounts.testing import account, signed_in
from direktori.areas.models import Area
from direktori.areas.services import area_save
from direktori.audit.models import Action, AuditEvent
from direktori.directory.tests.factories import (
    OrganizationFactory,
    ServiceFactory,
    sepang_area,
)
from direktori.publishing.models import BookletBuild

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n% a booklet\n%%EOF\n"


def area(code: str, kind: str, name: str, parent: Area | None) -> Area:
    return area_save(
        Area(code=code, kind=kind, name_ms=name, slug=name.lower().replace(" ", "-"), parent=parent)
    )


@pytest.fixture
def sepang(media_root: Path) -> Area:
    """Sepang, and the few areas around it that show whose scope reaches where."""
    district = sepang_area()
    selangor, country = district.parent, district.parent.parent  # type: ignore[union-attr]
    area("10_1", Area.Kind.DISTRICT, "Gombak", selangor)
    area("10_7:dengkil", Area.Kind.MUKIM, "Dengkil", district)
    johor = area("1", Area.Kind.STATE, "Johor", country)
    area("1_1", Area.Kind.DISTRICT, "Batu Pahat", johor)
    ServiceFactory.create(organization=OrganizationFactory.create(area=district))
    return district


@pytest.fixture
def users(sepang: Area) -> dict[str, User]:
    return {
        "cbo_member": account(Role.CBO_MEMBER, "10_7"),
        "cbo_chair": account(Role.CBO_CHAIR, "10_7"),
        "district_officer": account(Role.DISTRICT_OFFICER, "10_7"),
        "state_officer": account(Role.STATE_OFFICER, "10"),
        "hq_admin": account(Role.HQ_ADMIN, "MY"),
        "johor_officer": account(Role.DISTRICT_OFFICER, "1_1"),
    }


def as_user(user: User | None) -> Client:
    return signed_in(Client(), user) if user else Client()


def published(district: Area, language: str = "ms", paper: str = "a5", **fields: Any) -> Any:
    build = BookletBuild(
        district=district,
        language=language,
        paper=paper,
        status=BookletBuild.Status.DONE,
        progress=100,
        size=len(PDF),
        pages=1,
        finished_at=timezone.now(),
        **fields,
    )
    build.pdf.save("booklet.pdf", ContentFile(PDF), save=False)
    build.save()
    return build


def url(name: str, page_language: str = "ms", /, **kwargs: Any) -> str:
    with translation.override(page_language):
        return reverse(f"publishing:{name}", kwargs=kwargs)


# The public pages ---------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "text"), [("ms", 'lang="ms"'), ("en", "No booklet has")])
def test_the_public_list_says_when_there_is_no_booklet(
    client: Client, sepang: Area, language: str, text: str
) -> None:
    response = client.get(url("booklet_list", language))
    assert response.status_code == 200
    assert text in response.text and "empty" in response.text


def test_the_public_list_links_each_published_booklet(client: Client, sepang: Area) -> None:
    published(sepang, "ms", "a5")
    published(sepang, "en", "a4")
    BookletBuild.objects.create(district=sepang, language="ms", paper="a4")  # queued: not shown

    response = client.get(url("booklet_list", "en"))

    links = [
        url("booklet_download", "en", code="10_7", language="ms", paper="a5"),
        url("booklet_download", "en", code="10_7", language="en", paper="a4"),
    ]
    assert all(link in response.text for link in links)
    assert (
        url("booklet_download", "en", code="10_7", language="ms", paper="a4") not in response.text
    )
    assert "Sepang" in response.text and "Selangor" in response.text


@pytest.mark.parametrize("language", ["ms", "en"])
def test_anyone_downloads_a_published_booklet(client: Client, sepang: Area, language: str) -> None:
    published(sepang, "ms", "a5")

    response = client.get(url("booklet_download", language, code="10_7", language="ms", paper="a5"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="direktori-cbo-sepang-ms-a5.pdf"'
    )
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert response.wsgi_request.path.endswith("/buku/10_7/ms-a5.pdf")


def test_no_booklet_no_download(client: Client, sepang: Area) -> None:
    published(sepang, "ms", "a5")
    failed = {"status": BookletBuild.Status.FAILED}
    BookletBuild.objects.create(district=sepang, language="en", paper="a5", **failed)
    for code, language, paper in (
        ("10_7", "ms", "a4"),  # never made
        ("10_7", "en", "a5"),  # failed
        ("10", "ms", "a5"),  # a state
        ("99_9", "ms", "a5"),  # no such district
    ):
        target = url("booklet_download", code=code, language=language, paper=paper)
        assert client.get(target).status_code == 404, target
    assert client.get("/buku/10_7/fr-a5.pdf").status_code == 404


def test_a_booklet_whose_file_is_gone_is_not_found(client: Client, sepang: Area) -> None:
    build = published(sepang)
    build.pdf.storage.delete(build.pdf.name)
    assert (
        client.get(url("booklet_download", code="10_7", language="ms", paper="a5")).status_code
        == 404
    )


# Officers ---------------------------------------------------------------------------------------


def test_who_may_open_the_officers_page(users: dict[str, User]) -> None:
    outcomes = {}
    for role in ("anonymous", "cbo_member", "cbo_chair", "district_officer", "hq_admin"):
        response = as_user(users.get(role)).get(url("booklet_request"))
        outcomes[role] = response.status_code
        if role == "anonymous":
            assert response["Location"].startswith(reverse("accounts:sign_in"))
    assert outcomes == {
        "anonymous": 302,
        "cbo_member": 404,
        "cbo_chair": 404,
        "district_officer": 200,
        "hq_admin": 200,
    }


def district_choices(response: Any) -> set[str]:
    return {code for code, _label in response.context["form"].fields["district"].choices if code}


def test_officers_choose_among_the_districts_of_their_area(users: dict[str, User]) -> None:
    district = district_choices(as_user(users["district_officer"]).get(url("booklet_request")))
    state = district_choices(as_user(users["state_officer"]).get(url("booklet_request")))
    country = district_choices(as_user(users["hq_admin"]).get(url("booklet_request")))

    assert district == {"10_7"}
    assert state == {"10_1", "10_7"}
    assert country == set(Area.objects.districts().values_list("code", flat=True))


def test_the_officers_page_has_an_empty_state(users: dict[str, User]) -> None:
    response = as_user(users["district_officer"]).get(url("booklet_request", "en"))
    assert "No booklet has been made for your area yet." in response.text
    assert 'lang="en"' in response.text


def post_request(user: User | Client, page_language: str = "ms", **data: str) -> Any:
    """POST the officers' form as `user` (or with a signed-in client, which keeps the message)."""
    body = {"district": "10_7", "language": "ms", "paper": "a5", **data}
    client = user if isinstance(user, Client) else as_user(user)
    return client.post(url("booklet_request", page_language), body)


def test_an_officer_queues_a_booklet_and_follows_it(users: dict[str, User], sepang: Area) -> None:
    officer = users["district_officer"]
    client = as_user(officer)

    response = post_request(client, "en")

    build = BookletBuild.objects.get()
    assert build.status == BookletBuild.Status.QUEUED and build.requested_by == officer
    assert response.status_code == 302
    assert response["Location"] == url("booklet_status", "en", pk=build.pk)
    event = AuditEvent.objects.get(object_id=str(build.pk))
    assert event.action == Action.RECORD_CREATED and event.actor == officer
    BookletBuild.objects.filter(pk=build.pk).update(
        status=BookletBuild.Status.RUNNING, progress=40, step="Laying out the pages"
    )
    page = client.get(response["Location"]).text
    assert '<meta http-equiv="refresh"' in page
    assert '<progress id="build-progress" max="100" value="40">40%</progress>' in page
    assert 'aria-live="polite"' in page and "Laying out the pages" in page
    assert "will be made in the background" in page  # the message after the request


def test_a_second_request_while_queued_returns_the_same_build(
    users: dict[str, User], sepang: Area
) -> None:
    post_request(users["district_officer"])
    client = as_user(users["state_officer"])
    response = post_request(client, "en")

    build = BookletBuild.objects.get()
    assert response["Location"] == url("booklet_status", "en", pk=build.pk)
    page = client.get(response["Location"]).text
    assert "already being made" in page


def test_a_request_runs_the_task_and_then_offers_the_download(
    users: dict[str, User],
    sepang: Area,
    immediate_tasks: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = as_user(users["hq_admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = post_request(client, "en", paper="a4")
    page = client.get(response["Location"]).text

    build = BookletBuild.objects.get()
    assert build.status == BookletBuild.Status.DONE, build.error
    download = url("booklet_download", "en", code="10_7", language="ms", paper="a4")
    assert download in page and 'http-equiv="refresh"' not in page
    assert as_user(None).get(download).status_code == 200

    again = post_request(client, "en", paper="a4")
    assert again["Location"] == response["Location"]
    assert "Nothing in the directory has changed" in client.get(again["Location"]).text
    assert BookletBuild.objects.count() == 1


def test_officers_cannot_ask_for_a_district_outside_their_area(
    users: dict[str, User], sepang: Area
) -> None:
    response = post_request(users["johor_officer"])
    assert response.status_code == 200 and response.context["form"].errors["district"]
    assert BookletBuild.objects.count() == 0
    assert post_request(users["cbo_chair"]).status_code == 404


def test_a_build_of_another_district_is_not_found(users: dict[str, User], sepang: Area) -> None:
    build = published(sepang)
    target = url("booklet_status", pk=build.pk)
    assert as_user(users["johor_officer"]).get(target).status_code == 404
    assert as_user(users["cbo_member"]).get(target).status_code == 404
    assert as_user(users["state_officer"]).get(target).status_code == 200
    assert as_user(None).get(target)["Location"].startswith(reverse("accounts:sign_in"))


def test_a_failed_build_says_so_and_offers_to_try_again(
    users: dict[str, User], sepang: Area
) -> None:
    build = BookletBuild.objects.create(
        district=sepang, language="en", paper="a5", status="failed", error="RuntimeError"
    )
    page = as_user(users["district_officer"]).get(url("booklet_status", "en", pk=build.pk)).text
    assert "could not be made" in page and "RuntimeError" in page
    assert 'name="language" value="en"' in page and "Try again" in page
    assert 'http-equiv="refresh"' not in page
