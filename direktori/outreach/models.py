"""Outreach activity: what a CBO did for a target group, as counts (issue 6, item 5).

No names or other details of the people reached: individual cases belong to referrals. The
rules of who sees and changes which record are in `permissions.py`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from direktori.areas.models import Area
from direktori.core.models import ExchangedModel
from direktori.directory.models import Organization, TaxonomyTerm

from .validators import no_personal_numbers

#: Sanity bounds: a larger figure is a typing mistake, or an event that is not a CBO's outreach.
MAX_PEOPLE_REACHED = 10_000
MAX_VOLUNTEERS = 1_000
DESCRIPTION_LENGTH = 500


class ActivityQuerySet(models.QuerySet["Activity"]):
    def visible_to(self, user: Any) -> ActivityQuerySet:
        """The only door to activity records: see `permissions.activities_visible_q`."""
        from .permissions import activities_visible_q

        return self.filter(activities_visible_q(user))

    def for_target_group(self, term: TaxonomyTerm) -> ActivityQuerySet:
        return self.filter(target_group=term)

    def in_locality(self, area: Area) -> ActivityQuerySet:
        """Activities in the area or anywhere below it."""
        return self.filter(locality__path__startswith=area.path)

    def in_month(self, year: int, month: int) -> ActivityQuerySet:
        return self.filter(date__year=year, date__month=month)

    def between(self, start: Any, end: Any) -> ActivityQuerySet:
        return self.filter(date__gte=start, date__lte=end)


class Activity(ExchangedModel):
    class Kind(models.TextChoices):
        HOME_VISIT = "home_visit", _("Home visit")
        PROGRAMME = "programme", _("Programme or event")
        TALK = "talk", _("Talk or awareness session")
        REFERRAL_SUPPORT = "referral_support", _("Referral support")
        OTHER = "other", _("Other")

    cbo = models.ForeignKey(
        Organization,
        verbose_name=_("CBO"),
        related_name="activities",
        on_delete=models.PROTECT,
        limit_choices_to={"kind": Organization.Kind.CBO},
    )
    target_group = models.ForeignKey(
        TaxonomyTerm,
        verbose_name=_("target group"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    kind = models.CharField(_("kind of activity"), max_length=20, choices=Kind)
    date = models.DateField(_("date"))
    locality = models.ForeignKey(
        Area,
        verbose_name=_("locality"),
        related_name="+",
        on_delete=models.PROTECT,
        help_text=_("Where it took place: the CBO's area or a place in it."),
    )
    people_reached = models.PositiveIntegerField(
        _("people reached"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PEOPLE_REACHED)],
        help_text=_("How many people took part or were visited: a count, no names."),
    )
    volunteers = models.PositiveIntegerField(
        _("volunteers"),
        default=0,
        validators=[MaxValueValidator(MAX_VOLUNTEERS)],
        help_text=_("How many CBO members and volunteers took part."),
    )
    description = models.CharField(
        _("short description"),
        max_length=DESCRIPTION_LENGTH,
        blank=True,
        validators=[no_personal_numbers],
        help_text=_(
            "What was done, in a sentence or two. Do NOT write names, MyKad or phone numbers, "
            "addresses or anything else that identifies the people helped: an individual case "
            "belongs in a referral."
        ),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("outreach activity")
        verbose_name_plural = _("outreach activities")
        ordering = ["-date", "-created_at"]
        indexes = [models.Index(fields=["cbo", "date"], name="activity_cbo_date")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(people_reached__gte=1)
                & models.Q(people_reached__lte=MAX_PEOPLE_REACHED),
                name="activity_people_reached_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(volunteers__lte=MAX_VOLUNTEERS),
                name="activity_volunteers_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.date:%Y-%m-%d}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        cbo = self.cbo if self.cbo_id else None
        if cbo is not None and cbo.kind != Organization.Kind.CBO:
            errors["cbo"] = _("Only a CBO records outreach activity.")
        if (
            self.target_group_id
            and not TaxonomyTerm.objects.target_groups().filter(pk=self.target_group_id).exists()
        ):
            errors["target_group"] = _("Choose a target group.")
        if (
            cbo is not None
            and self.locality_id
            and not self.locality.path.startswith(cbo.area.path)
        ):
            errors["locality"] = _("Choose a place in the CBO's area (%(area)s).") % {
                "area": cbo.area.name
            }
        if self.date and self.date > timezone.localdate():
            errors["date"] = _("The date cannot be in the future.")
        if errors:
            raise ValidationError(errors)
