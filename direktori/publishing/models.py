"""Booklet builds: one row per PDF asked for from the web, built by a background task
(`tasks.booklet_build_run`) and kept until a newer build of the same district, language and paper
succeeds (`services.booklet_request`, docs/security.md "Booklets")."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from direktori.areas.models import Area
from direktori.core.models import TimeStampedModel


class Language(models.TextChoices):
    MALAY = "ms", _("Bahasa Melayu")
    ENGLISH = "en", _("English")


class Paper(models.TextChoices):
    A5 = "a5", _("A5 (booklet)")
    A4 = "a4", _("A4")


def booklet_upload_to(build: BookletBuild, _filename: str) -> str:
    # One name per build: a new PDF never overwrites the one being downloaded.
    return f"booklets/{build.district.code}/{build.language}-{build.paper}-{build.pk}.pdf"


class BookletBuildQuerySet(models.QuerySet["BookletBuild"]):
    def for_key(self, district: Area, language: str, paper: str) -> BookletBuildQuerySet:
        return self.filter(district=district, language=language, paper=paper)

    def active(self) -> BookletBuildQuerySet:
        return self.filter(status__in=BookletBuild.ACTIVE)

    def done(self) -> BookletBuildQuerySet:
        return self.filter(status=BookletBuild.Status.DONE)

    def published(self) -> BookletBuildQuerySet:
        """The booklet of each district, language and paper that is offered for download."""
        return self.done().exclude(pdf="").select_related("district")

    def visible_to(self, user: Any) -> BookletBuildQuerySet:
        from .permissions import districts_of

        return self.filter(district__in=districts_of(user))


class BookletBuild(TimeStampedModel):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    district = models.ForeignKey(
        Area, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    language = models.CharField(_("language"), max_length=2, choices=Language)
    paper = models.CharField(_("paper size"), max_length=2, choices=Paper)
    status = models.CharField(_("status"), max_length=8, choices=Status, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=200, blank=True, default="")
    fingerprint = models.CharField(_("fingerprint of the data"), max_length=128, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=booklet_upload_to, blank=True, max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    task_id = models.CharField(_("task"), max_length=64, blank=True, default="")
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True, default="")

    objects = BookletBuildQuerySet.as_manager()

    class Meta:
        verbose_name = _("booklet build")
        verbose_name_plural = _("booklet builds")
        ordering = ["-created_at"]
        constraints = [
            # At most one build at a time per booklet: two requests at once cannot both queue one.
            models.UniqueConstraint(
                fields=["district", "language", "paper"],
                condition=models.Q(status__in=["queued", "running"]),
                name="booklet_one_active_build",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="booklet_progress_at_most_100"
            ),
        ]
        indexes = [models.Index(fields=["district", "language", "paper", "status"])]

    def __str__(self) -> str:
        return f"{self.district.code} {self.language}-{self.paper} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def file_name(self) -> str:
        """What a download is called: direktori-cbo-sepang-ms-a5.pdf."""
        return f"direktori-cbo-{self.district.slug}-{self.language}-{self.paper}.pdf"
