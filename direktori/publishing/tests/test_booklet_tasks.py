"""Booklets built in the background: `services.booklet_request` and the task it queues, end to end
with the real `render_booklet`, on the immediate backend (and once on the database backend with
`db_worker`)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.tasks.signals import task_enqueued
from django.utils import timezone

from direktori.accounts.models import Role
from direktori.accounts.testing import account
from direktori.areas.models import Area
from direktori.audit.models import Action, AuditEvent
from direktori.directory.tests.factories import OrganizationFactory, ServiceFactory, sepang_area
from direktori.publishing import booklet, services
from direktori.publishing.models import BookletBuild

pytestmark = pytest.mark.django_db


@pytest.fixture
def sepang(media_root: Path, immediate_tasks: None) -> Area:
    district = sepang_area()
    ServiceFactory.create(
        organization=OrganizationFactory.create(area=district, name="Pusat Ujian")
    )
    return district


def files(media_root: Path) -> list[Path]:
    return sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []


def ask(district: Area, *, capture: Any, language: str = "ms", **extra: Any) -> Any:
    with capture(execute=True):
        return services.booklet_request(
            district=district, language=language, paper=extra.pop("paper", "a5"), **extra
        )


@pytest.fixture
def enqueued() -> Any:
    sent: list[Any] = []

    def receive(sender: Any, task_result: Any, **kwargs: Any) -> None:
        sent.append(task_result)

    task_enqueued.connect(receive, dispatch_uid="booklet-test")
    yield sent
    task_enqueued.disconnect(dispatch_uid="booklet-test")


def test_a_request_builds_the_booklet_and_records_its_progress(
    sepang: Area,
    media_root: Path,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
    enqueued: list[Any],
) -> None:
    seen: list[tuple[str, int, str]] = []
    record = services._record_progress

    def spy(build_id: Any, step: str, percent: int) -> None:
        record(build_id, step, percent)
        row = BookletBuild.objects.get(pk=build_id)
        seen.append((row.status, row.progress, row.step))

    monkeypatch.setattr(services, "_record_progress", spy)
    officer = account(Role.DISTRICT_OFFICER, "10_7")

    requested = ask(sepang, capture=django_capture_on_commit_callbacks, requested_by=officer)

    assert requested.outcome == "queued"
    build = BookletBuild.objects.get(pk=requested.build.pk)
    assert build.status == BookletBuild.Status.DONE, build.error
    assert build.progress == 100 and build.finished_at and build.started_at
    assert build.requested_by == officer
    assert [e.status for e in enqueued] and build.task_id == enqueued[0].id
    assert build.fingerprint == booklet.booklet_fingerprint(sepang, language="ms", paper="a5")
    # Each step was saved to the row while the build ran, in order, below 100 until the end.
    assert len(seen) >= 2 and all(status == "running" for status, _p, _s in seen)
    assert [p for _s, p, _l in seen] == sorted(p for _s, p, _l in seen)
    assert all(step for _s, _p, step in seen) and max(p for _s, p, _l in seen) <= 99
    # The PDF is whole, in the default storage, and its size and pages are recorded.
    (stored,) = files(media_root)
    data = stored.read_bytes()
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
    assert build.size == len(data) and build.pages and build.pages >= 1
    assert str(build.pdf.name).endswith(f"{build.pk}.pdf")
    event = AuditEvent.objects.get(object_id=str(build.pk))
    assert event.action == Action.RECORD_CREATED and event.area == sepang
    assert event.detail["outcome"] == "queued"


def test_unchanged_data_gives_the_last_booklet_without_a_new_task(
    sepang: Area, media_root: Path, django_capture_on_commit_callbacks: Any, enqueued: list[Any]
) -> None:
    first = ask(sepang, capture=django_capture_on_commit_callbacks).build
    again = ask(sepang, capture=django_capture_on_commit_callbacks)

    assert again.outcome == "unchanged" and again.build.pk == first.pk
    assert len(enqueued) == 1 and BookletBuild.objects.count() == 1
    assert len(files(media_root)) == 1
    # Another language or paper is another booklet.
    english = ask(sepang, capture=django_capture_on_commit_callbacks, language="en")
    assert english.outcome == "queued" and english.build.pk != first.pk


def test_changed_data_rebuilds_and_removes_the_old_file(
    sepang: Area, media_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    first = ask(sepang, capture=django_capture_on_commit_callbacks).build
    old_file = files(media_root)
    OrganizationFactory.create(area=sepang, name="Pertubuhan Baharu")

    rebuilt = ask(sepang, capture=django_capture_on_commit_callbacks)

    assert rebuilt.outcome == "queued" and rebuilt.build.pk != first.pk
    assert list(BookletBuild.objects.values_list("pk", "status")) == [(rebuilt.build.pk, "done")]
    (new_file,) = files(media_root)
    assert new_file not in old_file


def test_a_request_while_one_is_under_way_returns_it(
    sepang: Area, django_capture_on_commit_callbacks: Any, enqueued: list[Any]
) -> None:
    running = BookletBuild.objects.create(
        district=sepang, language="ms", paper="a5", status=BookletBuild.Status.RUNNING
    )

    requested = ask(sepang, capture=django_capture_on_commit_callbacks)

    assert requested.outcome == "in_progress" and requested.build.pk == running.pk
    assert enqueued == [] and BookletBuild.objects.count() == 1
    event = AuditEvent.objects.get(object_id=str(running.pk))
    assert event.action == Action.RECORD_VIEWED and event.detail["outcome"] == "in_progress"


def test_two_requests_at_once_queue_one_build(
    sepang: Area,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
    enqueued: list[Any],
) -> None:
    """The other request inserts its build between this one's look and its insert."""
    other = BookletBuild.objects.create(district=sepang, language="ms", paper="a5")
    current = services._current
    looks: list[Any] = []

    def first_look_misses_it(builds: Any, fingerprint: str) -> Any:
        looks.append(fingerprint)
        return None if len(looks) == 1 else current(builds, fingerprint)

    monkeypatch.setattr(services, "_current", first_look_misses_it)

    requested = ask(sepang, capture=django_capture_on_commit_callbacks)

    assert requested.outcome == "in_progress" and requested.build.pk == other.pk
    assert enqueued == [] and BookletBuild.objects.count() == 1


def test_the_database_allows_one_build_under_way_per_booklet(sepang: Area) -> None:
    BookletBuild.objects.create(district=sepang, language="ms", paper="a5")
    with pytest.raises(IntegrityError), transaction.atomic():
        BookletBuild.objects.create(
            district=sepang, language="ms", paper="a5", status=BookletBuild.Status.RUNNING
        )
    BookletBuild.objects.create(district=sepang, language="ms", paper="a4")
    BookletBuild.objects.create(district=sepang, language="ms", paper="a5", status="failed")


def test_a_failed_build_records_the_failure_and_keeps_no_file(
    sepang: Area,
    media_root: Path,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
    enqueued: list[Any],
) -> None:
    def broken(*args: Any, progress: Any = None, **kwargs: Any) -> bytes:
        progress("Collecting the directory data", 5)
        raise RuntimeError("Pusat Ujian, 012-345 6789")  # data in the message: never recorded

    monkeypatch.setattr(booklet, "render_booklet", broken)

    build = ask(sepang, capture=django_capture_on_commit_callbacks).build
    build.refresh_from_db()

    assert build.status == BookletBuild.Status.FAILED and build.finished_at
    assert build.error == "RuntimeError" and not build.pdf
    assert enqueued[0].status == "FAILED"  # the task framework records it too
    assert files(media_root) == []


def test_a_build_that_breaks_after_writing_its_file_leaves_no_file(
    sepang: Area,
    media_root: Path,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def unreadable(pdf: bytes) -> int:
        raise MemoryError

    monkeypatch.setattr(services, "pdf_page_count", unreadable)

    build = ask(sepang, capture=django_capture_on_commit_callbacks).build
    build.refresh_from_db()

    assert build.status == BookletBuild.Status.FAILED and build.error == "MemoryError"
    assert files(media_root) == []


def test_a_build_whose_worker_stopped_shows_as_failed(
    sepang: Area, media_root: Path, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    stopped = BookletBuild.objects.create(
        district=sepang, language="ms", paper="a5", status=BookletBuild.Status.RUNNING
    )
    half_written = media_root / services.booklet_upload_to(stopped, "")
    half_written.parent.mkdir(parents=True)
    half_written.write_bytes(b"%PDF-1.7 half")
    long_ago = timezone.now() - timedelta(minutes=settings.BOOKLET_BUILD_STALE_MINUTES + 1)
    BookletBuild.objects.filter(pk=stopped.pk).update(updated_at=long_ago)

    assert services.booklet_builds_expire() == 1

    stopped.refresh_from_db()
    assert stopped.status == BookletBuild.Status.FAILED and "stopped" in stopped.error
    assert half_written.exists() is False
    # The next request is not held up by it; once the new booklet is made, the failure goes.
    requested = ask(sepang, capture=django_capture_on_commit_callbacks)
    assert requested.outcome == "queued" and requested.build.pk != stopped.pk
    assert list(BookletBuild.objects.values_list("pk", "status")) == [(requested.build.pk, "done")]


def test_a_build_taken_by_another_worker_is_not_run_twice(sepang: Area) -> None:
    build = BookletBuild.objects.create(
        district=sepang, language="ms", paper="a5", status=BookletBuild.Status.RUNNING
    )
    assert services.booklet_build(build_id=str(build.pk))["status"] == "skipped"


def test_only_districts_have_booklets(sepang: Area) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.booklet_request(district=Area.objects.get(code="10"), language="ms", paper="a5")
    with pytest.raises(ValidationError):
        services.booklet_request(district=sepang, language="fr", paper="a5")
    with pytest.raises(ValidationError):
        services.booklet_request(district=sepang, language="ms", paper="letter")


def test_page_count_is_read_from_the_pdf() -> None:
    from direktori.core.pdf import html_to_pdf

    pages = '<p>1</p><p style="break-before: page">2</p><p style="break-before: page">3</p>'
    assert services.pdf_page_count(html_to_pdf(pages)) == 3
    assert services.pdf_page_count(b"not a pdf") is None


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_a_queued_build(media_root: Path, settings: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    district = sepang_area()
    ServiceFactory.create(organization=OrganizationFactory.create(area=district))

    build = services.booklet_request(district=district, language="ms", paper="a4").build

    build.refresh_from_db()
    assert build.status == BookletBuild.Status.QUEUED and build.task_id
    assert DBTaskResult.objects.get(id=build.task_id).status == "READY"
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)
    build.refresh_from_db()
    assert build.status == BookletBuild.Status.DONE, build.error
    assert DBTaskResult.objects.get(id=build.task_id).status == "SUCCESSFUL"
    assert [p.name for p in files(media_root)] == [Path(str(build.pdf.name)).name]
