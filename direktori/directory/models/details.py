from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from direktori.areas.models import Area
from direktori.core.models import ExchangedModel, in_language

from .. import phones
from .locations import Location
from .organisations import Contact, Organization, Service


class PhoneQuerySet(models.QuerySet["Phone"]):
    def public(self) -> PhoneQuerySet:
        """Never a confidential number, nor one of a confidential location or of a person who
        has not agreed to be shown."""
        return self.filter(public_phone(""))


def public_phone(prefix: str) -> models.Q:
    """The rule of `PhoneQuerySet.public()`, for a phone reached as `prefix` (e.g. "phone__").

    Joins, not exclude(): exclude() on a nullable relation is a NOT IN over every phone of every
    confidential place, which grows with the directory."""
    return (
        models.Q(**{f"{prefix}is_confidential": False})
        & (
            models.Q(**{f"{prefix}location__isnull": True})
            | models.Q(**{f"{prefix}location__is_confidential": False})
        )
        & (
            models.Q(**{f"{prefix}contact__isnull": True})
            | models.Q(**{f"{prefix}contact__is_public": True})
        )
    )


class Phone(ExchangedModel):
    class Kind(models.TextChoices):
        VOICE = "voice", _("Telephone")
        CELL = "cell", _("Mobile")
        SHORT_CODE = "short_code", _("Short code")
        WHATSAPP = "whatsapp", _("WhatsApp")
        TEXT = "text", _("SMS")
        FAX = "fax", _("Fax")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        related_name="phones",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        related_name="phones",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        related_name="phones",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        related_name="phones",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind, default=Kind.VOICE)
    number = models.CharField(
        _("number"),
        max_length=32,
        help_text=_("For example 03-8947 5555, 019-261 5999 or a short code such as 15999."),
    )
    extension = models.CharField(_("extension"), max_length=10, blank=True)
    description_ms = models.CharField(_("description (Malay)"), max_length=200, blank=True)
    description_en = models.CharField(_("description (English)"), max_length=200, blank=True)
    is_confidential = models.BooleanField(
        _("confidential"), default=False, help_text=_("Never shown publicly, exported or printed.")
    )
    position = models.PositiveSmallIntegerField(_("display order"), default=0)

    objects = PhoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")
        ordering = ["position", "kind"]

    def __str__(self) -> str:
        return self.display

    def clean(self) -> None:
        super().clean()
        if self.number:
            try:
                self.number = phones.normalise(
                    self.number, short_code=self.kind == self.Kind.SHORT_CODE
                )
            except ValidationError as error:
                raise ValidationError({"number": error.messages}) from error
        if not any((self.organization_id, self.service_id, self.location_id, self.contact_id)):
            raise ValidationError(
                _(
                    "A phone number must belong to an organisation, a service, a location "
                    "or a contact."
                )
            )

    @property
    def display(self) -> str:
        return phones.display(self.number)

    @property
    def description(self) -> str:
        return in_language(self.description_ms, self.description_en)

    @property
    def tel_uri(self) -> str:
        return phones.tel_uri(self.number)

    @property
    def whatsapp_url(self) -> str:
        return phones.whatsapp_url(self.number)

    @property
    def is_whatsapp(self) -> bool:
        return self.kind == self.Kind.WHATSAPP


class Weekday(models.IntegerChoices):
    MONDAY = 1, _("Monday")
    TUESDAY = 2, _("Tuesday")
    WEDNESDAY = 3, _("Wednesday")
    THURSDAY = 4, _("Thursday")
    FRIDAY = 5, _("Friday")
    SATURDAY = 6, _("Saturday")
    SUNDAY = 7, _("Sunday")


class Schedule(ExchangedModel):
    """One weekly opening period (HSDS: freq WEEKLY, byday, opens_at, closes_at)."""

    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        related_name="schedules",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        related_name="schedules",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday)
    all_day = models.BooleanField(_("open all day (24 hours)"), default=False)
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["weekday", "opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(all_day=True)
                | (models.Q(opens_at__isnull=False) & models.Q(closes_at__isnull=False)),
                name="schedule_times_unless_all_day",
            ),
        ]

    def __str__(self) -> str:
        if self.all_day:
            return f"{self.get_weekday_display()}: 24h"
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"

    def clean(self) -> None:
        super().clean()
        if not self.all_day and (self.opens_at is None or self.closes_at is None):
            raise ValidationError(_("Give the opening and closing times, or tick “open all day”."))
        if not self.service_id and not self.location_id:
            raise ValidationError(_("Opening hours must belong to a service or a location."))

    def is_open_at(self, moment: datetime.datetime) -> bool:
        now = moment.time()
        if self._runs_on(moment.date()):
            if self.all_day:
                return True
            assert self.opens_at is not None and self.closes_at is not None  # noqa: S101 (narrows the type: a schedule not all day has both times)
            if self.closes_at <= self.opens_at:  # runs past midnight
                return now >= self.opens_at
            return self.opens_at <= now < self.closes_at
        # The small hours of a period that opened the evening before.
        evening_before = moment.date() - datetime.timedelta(days=1)
        return (
            not self.all_day
            and self.opens_at is not None
            and self.closes_at is not None
            and self.closes_at <= self.opens_at
            and self._runs_on(evening_before)
            and now < self.closes_at
        )

    def _runs_on(self, day: datetime.date) -> bool:
        if (self.valid_from and day < self.valid_from) or (self.valid_to and day > self.valid_to):
            return False
        return day.isoweekday() == self.weekday


class ServiceArea(ExchangedModel):
    """An area a service serves: a locality, a mukim, a district, a state or the whole country."""

    service = models.ForeignKey(
        Service, verbose_name=_("service"), related_name="service_areas", on_delete=models.CASCADE
    )
    area = models.ForeignKey(
        Area, verbose_name=_("area"), related_name="service_areas", on_delete=models.PROTECT
    )
    description = models.CharField(_("description"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")
        constraints = [
            models.UniqueConstraint(fields=["service", "area"], name="service_area_unique"),
        ]

    def __str__(self) -> str:
        return str(self.area)


class Language(ExchangedModel):
    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        related_name="languages",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        related_name="languages",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    phone = models.ForeignKey(
        Phone,
        verbose_name=_("phone number"),
        related_name="languages",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    code = models.CharField(
        _("language code"), max_length=8, help_text=_("ISO 639-1, for example ms, en, ta, zh.")
    )
    name = models.CharField(_("language"), max_length=100)
    note = models.CharField(_("note"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


__all__ = ["Language", "Phone", "Schedule", "ServiceArea"]
