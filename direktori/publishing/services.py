"""Booklets asked for from the web (docs/security.md "Booklets"): `booklet_request` queues a
build, or answers with the booklet already made when the data has not changed, or with the build
already under way; `booklet_build` is the background task's work (`tasks.booklet_build_run`).

A build's PDF reaches storage only once it is whole, under a name of its own, so a build that
fails or stops half-way never leaves a half-written file where downloads look. A build whose
worker stopped (killed, machine restarted) shows as failed once BOOKLET_BUILD_STALE_MINUTES
have passed without progress (`booklet_builds_expire`)."""

from __future__ import annotations

import logging
import re
import zlib
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from direktori.areas.models import Area
from direktori.audit.models import Action
from direktori.audit.services import audit_record

from .models import BookletBuild, Language, Paper, booklet_upload_to

logger = logging.getLogger(__name__)

Outcome = Literal["queued", "unchanged", "in_progress"]
STEP_LENGTH = BookletBuild._meta.get_field("step").max_length or 200
ERROR_LENGTH = BookletBuild._meta.get_field("error").max_length or 300
#: What a build that stopped without telling says (no exception text: it could quote data).
STOPPED = "stopped: no progress for {minutes} minutes (the worker was interrupted)"


@dataclass(frozen=True)
class Requested:
    build: BookletBuild
    outcome: Outcome


def booklet_request(
    *,
    district: Area,
    language: str,
    paper: str,
    requested_by: Any = None,
    request: HttpRequest | None = None,
) -> Requested:
    """The build that answers a request for this booklet: the latest one when the data it shows
    is unchanged, the one queued or running, or a new one queued for the worker."""
    from .booklet import booklet_fingerprint

    if district.kind != Area.Kind.DISTRICT:
        raise ValidationError({"district": _("Choose a district.")})
    if language not in Language.values:
        raise ValidationError({"language": _("Choose Bahasa Melayu or English.")})
    if paper not in Paper.values:
        raise ValidationError({"paper": _("Choose A5 or A4.")})
    booklet_builds_expire()
    fingerprint = booklet_fingerprint(district, language=language, paper=paper)
    builds = BookletBuild.objects.for_key(district, language, paper)
    with transaction.atomic():
        requested = _current(builds, fingerprint)
        if requested is None:
            try:
                with transaction.atomic():  # a savepoint: the constraint may refuse the row
                    build = BookletBuild.objects.create(
                        district=district,
                        language=language,
                        paper=paper,
                        fingerprint=fingerprint,
                        requested_by=requested_by if _is_account(requested_by) else None,
                    )
            except IntegrityError:
                # Another request queued this booklet between our look and our insert.
                requested = _current(builds, fingerprint)
                if requested is None:
                    raise
            else:
                requested = Requested(build, "queued")
                transaction.on_commit(partial(_enqueue, build_id=build.pk))
        audit_record(
            action=Action.RECORD_CREATED if requested.outcome == "queued" else Action.RECORD_VIEWED,
            request=request,
            actor=requested_by,
            target=requested.build,
            area=district,
            detail={
                "booklet": f"{district.code} {language}-{paper}",
                "outcome": requested.outcome,
            },
        )
    return requested


def _is_account(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def _current(builds: Any, fingerprint: str) -> Requested | None:
    active = builds.active().first()
    if active is not None:
        return Requested(active, "in_progress")
    latest = builds.published().first()
    if latest is not None and latest.fingerprint == fingerprint:
        return Requested(latest, "unchanged")
    return None


def _enqueue(*, build_id: Any) -> None:
    from .tasks import booklet_build_run

    try:
        result = booklet_build_run.enqueue(str(build_id))
    except Exception as error:
        logger.exception("Booklet build %s could not be queued", build_id)
        _fail(build_id, error)
        return
    BookletBuild.objects.filter(pk=build_id, task_id="").update(task_id=str(result.id)[:64])


def booklet_build(*, build_id: str) -> dict[str, Any]:
    """Make the PDF of a queued build, recording each step; the worker calls this once per build.
    A build no longer queued (already taken, expired) is left alone."""
    from .booklet import booklet_fingerprint, render_booklet

    now = timezone.now()
    claimed = BookletBuild.objects.filter(pk=build_id, status=BookletBuild.Status.QUEUED).update(
        status=BookletBuild.Status.RUNNING, started_at=now, updated_at=now, progress=0
    )
    if not claimed:
        return {"build": build_id, "status": "skipped"}
    build = BookletBuild.objects.select_related("district").get(pk=build_id)
    try:
        fingerprint = booklet_fingerprint(
            build.district, language=build.language, paper=build.paper
        )
        pdf = render_booklet(
            build.district,
            language=build.language,
            paper=build.paper,
            progress=partial(_record_progress, build.pk),
        )
        _publish(build, pdf, fingerprint)
    except Exception as error:
        _fail(build.pk, error)
        raise
    return {"build": build_id, "status": "done", "size": len(pdf)}


def _record_progress(build_id: Any, step: str, percent: int) -> None:
    BookletBuild.objects.filter(pk=build_id, status=BookletBuild.Status.RUNNING).update(
        step=str(step)[:STEP_LENGTH],
        progress=max(0, min(99, int(percent))),  # 100 only once the file is saved
        updated_at=timezone.now(),
    )


def _publish(build: BookletBuild, pdf: bytes, fingerprint: str) -> None:
    name = default_storage.save(booklet_upload_to(build, ""), ContentFile(pdf))
    try:
        with transaction.atomic():
            current = BookletBuild.objects.select_for_update().get(pk=build.pk)
            if current.status != BookletBuild.Status.RUNNING:
                raise BuildAbandoned(current.status)
            current.pdf.name = name
            current.status = BookletBuild.Status.DONE
            current.progress = 100
            current.fingerprint = fingerprint
            current.size = len(pdf)
            current.pages = pdf_page_count(pdf)
            current.finished_at = timezone.now()
            current.error = ""
            current.save()
            older = BookletBuild.objects.for_key(
                current.district, current.language, current.paper
            ).exclude(pk=current.pk)
            replaced = [str(b.pdf.name) for b in older.done() if b.pdf]
            older.exclude(status__in=BookletBuild.ACTIVE).delete()
            transaction.on_commit(partial(_delete_files, replaced))
    except BaseException:
        _delete_files([name])
        raise


class BuildAbandoned(RuntimeError):
    """The build was recorded as stopped while its PDF was being made: its file is not kept."""


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("Old booklet file %s could not be deleted", name)


def _fail(build_id: Any, error: BaseException | str) -> None:
    # The kind of error only: an exception's text could quote the directory's data.
    message = error if isinstance(error, str) else type(error).__name__
    BookletBuild.objects.filter(pk=build_id, status__in=BookletBuild.ACTIVE).update(
        status=BookletBuild.Status.FAILED,
        error=message[:ERROR_LENGTH],
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


def booklet_builds_expire() -> int:
    """Record as failed the builds queued or running with no progress for
    BOOKLET_BUILD_STALE_MINUTES (their worker stopped); remove any file they left. How many."""
    minutes = int(getattr(settings, "BOOKLET_BUILD_STALE_MINUTES", 30))
    stale = BookletBuild.objects.active().filter(
        updated_at__lt=timezone.now() - timedelta(minutes=minutes)
    )
    expired = 0
    for build in stale.select_related("district"):
        _fail(build.pk, STOPPED.format(minutes=minutes))
        _delete_files([booklet_upload_to(build, "")])
        expired += 1
    return expired


_PAGES = re.compile(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)")
_OBJECT_STREAM = re.compile(rb"<<([^>]*?/ObjStm[^>]*?)>>\s*stream\r?\n")


def pdf_page_count(pdf: bytes) -> int | None:
    """The number of pages from the PDF's page tree, which WeasyPrint writes inside a compressed
    object stream; None when it cannot be found this cheaply."""
    counts = [int(count) for count in _PAGES.findall(pdf)]
    for match in _OBJECT_STREAM.finditer(pdf):
        if b"/FlateDecode" not in match.group(1):
            continue
        try:
            objects = zlib.decompressobj().decompress(pdf[match.end() :])
        except zlib.error:
            continue
        counts += [int(count) for count in _PAGES.findall(objects)]
    return max(counts) if counts else None
