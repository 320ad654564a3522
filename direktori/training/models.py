"""Programme Pemerkasaan, KPWKM's empowerment programme for CBO members (issue 6, item 4).

A `TrainingSession` covers one or more `Topic`s; an `Attendance` is a person of the membership
register (`members.Person`) registered for a session, and whether they came. Confirming that
someone attended gives the attendance a certificate number, which the certificate PDF and the
public check page use. Sessions and attendances are read only through `visible_to(user)`; the
rules are in `permissions.py` (docs/security.md, "Programme Pemerkasaan").
"""

from __future__ import annotations

import datetime
import re
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from direktori.areas.models import Area
from direktori.core.models import ExchangedModel, in_language
from direktori.directory.models.taxonomy import TARGET_GROUPS

#: Certificate numbers: `PP-<year>-XXXX-XXXX`, from an alphabet without 0/O, 1/I/L, so that a
#: number read out over the phone is not mistaken; 31^8 (about 8 × 10^11) numbers a year, too
#: many to guess one that the public check page would confirm.
CERTIFICATE_PREFIX = "PP"
CERTIFICATE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CERTIFICATE_NUMBER = re.compile(
    rf"^{CERTIFICATE_PREFIX}-\d{{4}}-[{CERTIFICATE_ALPHABET}]{{4}}-[{CERTIFICATE_ALPHABET}]{{4}}$"
)
CERTIFICATE_LENGTH = 20


def certificate_number_new(year: int) -> str:
    """A fresh random number (not checked against those already issued)."""
    characters = "".join(secrets.choice(CERTIFICATE_ALPHABET) for _ in range(8))
    return f"{CERTIFICATE_PREFIX}-{year:04d}-{characters[:4]}-{characters[4:]}"


def certificate_number_clean(value: str) -> str | None:
    """The number as issued (upper case, no spaces), or None when it cannot be one."""
    number = re.sub(r"\s+", "", value or "").upper()
    return number if CERTIFICATE_NUMBER.match(number) else None


class TopicQuerySet(models.QuerySet["Topic"]):
    def required(self) -> TopicQuerySet:
        return self.filter(required=True)


class Topic(ExchangedModel):
    """A subject of the programme. Names are data in both languages, as the directory's
    taxonomies are (`training/data/topics.csv`, `load_training_topics`)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_ms = models.CharField(_("name (Malay)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_ms = models.TextField(_("description (Malay)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    target_groups = models.ManyToManyField(
        "directory.TaxonomyTerm",
        verbose_name=_("target groups"),
        related_name="+",
        blank=True,
        limit_choices_to={"taxonomy__code": TARGET_GROUPS},
    )
    required = models.BooleanField(
        _("required for every member"),
        default=False,
        help_text=_("Every current CBO member should attend a session on this topic."),
    )
    position = models.PositiveSmallIntegerField(_("display order"), default=0)

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = _("training topic")
        verbose_name_plural = _("training topics")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self.name_ms, self.name_en)

    @property
    def description(self) -> str:
        return in_language(self.description_ms, self.description_en)


class Organiser(models.TextChoices):
    KPWKM = "KPWKM", _("KPWKM (the Ministry)")
    JKM = "JKM", _("JKM (Social Welfare Department)")
    STATE = "state", _("State government")
    NGO = "NGO", _("Non-governmental organisation (NGO)")
    OTHER = "other", _("Other")


class TrainingSessionQuerySet(models.QuerySet["TrainingSession"]):
    def visible_to(self, user: Any) -> TrainingSessionQuerySet:
        """The only door to sessions: see `permissions.sessions_visible_q`."""
        from .permissions import sessions_visible_q

        return self.filter(sessions_visible_q(user))

    def upcoming(self, today: datetime.date | None = None) -> TrainingSessionQuerySet:
        """Sessions not over yet: they start today or later, or are still running."""
        today = today or timezone.localdate()
        return self.filter(Q(starts_on__gte=today) | Q(ends_on__gte=today)).order_by(
            "starts_on", "title"
        )

    def past(self, today: datetime.date | None = None) -> TrainingSessionQuerySet:
        today = today or timezone.localdate()
        return (
            self.filter(starts_on__lt=today)
            .exclude(ends_on__gte=today)
            .order_by("-starts_on", "title")
        )


class TrainingSession(ExchangedModel):
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("date"))
    ends_on = models.DateField(
        _("last day"), null=True, blank=True, help_text=_("Only for sessions over several days.")
    )
    place = models.CharField(
        _("place"), max_length=200, help_text=_("The hall or building, and its town.")
    )
    locality = models.ForeignKey(
        Area,
        verbose_name=_("mukim or locality"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Where in the district, when it is known."),
    )
    district = models.ForeignKey(
        Area,
        verbose_name=_("district"),
        related_name="+",
        on_delete=models.PROTECT,
        limit_choices_to={"kind": Area.Kind.DISTRICT},
        help_text=_("The district the session is for: its officers manage it."),
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), related_name="sessions")
    trainer = models.CharField(
        _("trainer"), max_length=200, help_text=_("The speaker or facilitator, and their agency.")
    )
    organiser = models.CharField(_("organiser"), max_length=10, choices=Organiser)
    notes = models.TextField(
        _("notes for officers"),
        blank=True,
        help_text=_("Not printed on certificates. No details of the people CBOs help."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )

    objects = TrainingSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-starts_on", "title"]
        indexes = [models.Index(fields=["district", "starts_on"], name="training_district_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="training_session_ends_after_start",
                violation_error_message=_("The last day cannot be before the first."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_on:%Y-%m-%d})"

    @property
    def last_day(self) -> datetime.date:
        return self.ends_on or self.starts_on

    @property
    def has_started(self) -> bool:
        return self.starts_on <= timezone.localdate()

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        district = self.district if self.district_id else None
        locality = self.locality if self.locality_id else None
        if district is not None and district.kind != Area.Kind.DISTRICT:
            errors["district"] = _("Choose a district.")
        if (
            district is not None
            and locality is not None
            and (
                locality.kind not in {Area.Kind.MUKIM, Area.Kind.LOCALITY}
                or not locality.path.startswith(district.path)
            )
        ):
            errors["locality"] = _("Choose a mukim or locality in %(district)s.") % {
                "district": district.name
            }
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The last day cannot be before the first.")
        if errors:
            raise ValidationError(errors)


class AttendanceQuerySet(models.QuerySet["Attendance"]):
    def visible_to(self, user: Any) -> AttendanceQuerySet:
        """The only door to attendance records: see `permissions.attendances_visible_q`."""
        from .permissions import attendances_visible_q

        return self.filter(attendances_visible_q(user))

    def attended(self) -> AttendanceQuerySet:
        return self.filter(status=Attendance.Status.ATTENDED)

    def certificate(self, number: str) -> AttendanceQuerySet:
        """The attendance a certificate number was issued for, while it stands: the public
        check page's only door, which shows no more than `Attendance.initials`, the session's
        title and dates."""
        cleaned = certificate_number_clean(number)
        if cleaned is None:
            return self.none()
        return self.attended().filter(certificate_number=cleaned)


#: Words of Malaysian names that are not names of their own (bin, binti, a/l, a/p …).
NAME_LINKS = frozenset({"bin", "binti", "bt", "bte", "b.", "bt.", "a/l", "a/p", "anak", "@"})


class Attendance(ExchangedModel):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        ATTENDED = "attended", _("Attended")
        ABSENT = "absent", _("Absent")

    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("session"),
        related_name="attendances",
        on_delete=models.PROTECT,
    )
    person = models.ForeignKey(
        "members.Person",
        verbose_name=_("person"),
        related_name="training_attendances",
        on_delete=models.PROTECT,
    )
    status = models.CharField(
        _("attendance"), max_length=10, choices=Status, default=Status.REGISTERED
    )
    certificate_number = models.CharField(
        _("certificate number"),
        max_length=CERTIFICATE_LENGTH,
        unique=True,
        null=True,
        blank=True,
        editable=False,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["session", "person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="training_attend_once"),
            models.CheckConstraint(
                condition=(Q(status="attended") & Q(certificate_number__isnull=False))
                | (~Q(status="attended") & Q(certificate_number__isnull=True)),
                name="training_certificate_only_when_attended",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.session}"

    @property
    def initials(self) -> str:
        """ "Siti Aminah binti Hassan" → "S. A. H.": what the public check page shows."""
        words = [w for w in self.person.full_name.split() if w.lower() not in NAME_LINKS]
        letters = [w[0].upper() for w in words if w[0].isalpha()]
        return " ".join(f"{letter}." for letter in letters)
