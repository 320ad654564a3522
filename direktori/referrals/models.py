"""Referrals (issue 7; DESIGN §4–5; docs/security.md "Referrals"): a CBO member refers a person at
risk to the district social welfare office, which acts on it.

Referral data is the most sensitive data in the system (ASVS Level 3). `Referral.objects
.visible_to(user)` is the only door to it; every write goes through `services.py` (one function
per move of `workflow.TRANSITIONS`), which writes a `ReferralEvent` and an audit event for each.
`target_group`, `district`, `created_month`, `status` and `outcome` are plain columns that survive
anonymisation (`retention.py`), so the statistics keep their counts.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from direktori.core.models import TimeStampedModel


class TargetGroup(models.TextChoices):
    """CONTRACT codes; all but `other` are also codes of the directory's target-group taxonomy."""

    CHILDREN = "children", _("Children")
    DISABILITY = "disability", _("Persons with disabilities")
    ELDERLY = "elderly", _("Older people")
    DOMESTIC_VIOLENCE = "domestic_violence", _("Domestic violence")
    OTHER = "other", _("Other")


#: The category of `import_statistics` (CONTRACT) that each target group's referrals count under.
STATISTICS_CATEGORY = {
    TargetGroup.CHILDREN: "child_protection",
    TargetGroup.DISABILITY: "disability",
    TargetGroup.ELDERLY: "elderly",
    TargetGroup.DOMESTIC_VIOLENCE: "domestic_violence",
    TargetGroup.OTHER: "other",
}


class Urgency(models.TextChoices):
    """In order: the officer's queue sorts by this order (`URGENCY_ORDER`)."""

    IMMEDIATE = "immediate", _("Immediate danger")
    URGENT = "urgent", _("Urgent")
    ROUTINE = "routine", _("Routine")


URGENCY_ORDER = {urgency.value: rank for rank, urgency in enumerate(Urgency)}


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", pgettext_lazy("referral status", "Closed")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = (Status.SUBMITTED, Status.ACKNOWLEDGED, Status.IN_PROGRESS)
ENDED_STATUSES = (Status.CLOSED, Status.REJECTED, Status.WITHDRAWN)


class Outcome(models.TextChoices):
    HELPED_BY_JKM = "helped_by_jkm", _("Helped by JKM")
    REFERRED_ON = "referred_on", _("Referred on to another agency")
    NO_ACTION_NEEDED = "no_action_needed", _("No action needed")
    NOT_REACHED = "not_reached", _("The person could not be reached")


class ReferredTo(models.TextChoices):
    POLICE = "police", _("Police")
    HOSPITAL = "hospital", _("Hospital or clinic")
    NGO = "ngo", _("Non-governmental organisation")
    OTHER = "other", _("Another government agency")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNKNOWN = "unknown", _("Not known")


class AgeBand(models.TextChoices):
    UNDER_6 = "0_5", _("Under 6")
    CHILD = "6_12", _("6 to 12")
    TEEN = "13_17", _("13 to 17")
    ADULT = "18_59", _("18 to 59")
    OLDER = "60_plus", _("60 and over")


def age_band_for(age: int) -> AgeBand:
    for band, upper in ((AgeBand.UNDER_6, 5), (AgeBand.CHILD, 12), (AgeBand.TEEN, 17)):
        if age <= upper:
            return band
    return AgeBand.ADULT if age < 60 else AgeBand.OLDER


class ConsentBy(models.TextChoices):
    SUBJECT = "subject", _("The person")
    GUARDIAN = "guardian", _("Their parent or guardian")


class ReferralQuerySet(models.QuerySet["Referral"]):
    def visible_to(self, user: Any) -> ReferralQuerySet:
        """The only door to referrals: see `permissions.referrals_visible_q`."""
        from .permissions import referrals_visible_q

        return self.filter(referrals_visible_q(user))

    def open(self) -> ReferralQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def unacknowledged(self) -> ReferralQuerySet:
        return self.filter(status=Status.SUBMITTED)

    def overdue(self, now: datetime.datetime | None = None) -> ReferralQuerySet:
        """Not yet acknowledged, and the acknowledgement target has passed."""
        return self.unacknowledged().filter(due_at__lt=now or timezone.now())

    def in_queue_order(self) -> ReferralQuerySet:
        """The most urgent first; within the same urgency, the oldest first."""
        rank = models.Case(
            *(models.When(urgency=code, then=rank) for code, rank in URGENCY_ORDER.items()),
            output_field=models.IntegerField(),
        )
        return self.alias(urgency_rank=rank).order_by("urgency_rank", "created_at", "pk")

    def ended_before(self, moment: datetime.datetime) -> ReferralQuerySet:
        return self.filter(status__in=ENDED_STATUSES, closed_at__lt=moment)

    def counts(self) -> models.QuerySet[Any, dict[str, Any]]:
        """Rows of (target_group, district code, created_month, count): what statistics read."""
        return (
            self.values("target_group", "district__code", "created_month")
            .annotate(count=models.Count("pk"))
            .order_by("created_month", "district__code", "target_group")
        )


class Referral(TimeStampedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("reference"), max_length=32, unique=True, editable=False)
    target_group = models.CharField(_("target group"), max_length=20, choices=TargetGroup)
    concern = models.TextField(_("what was seen"), blank=True)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency)
    area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("where"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The district, or a mukim or locality in it."),
    )
    district = models.ForeignKey(
        "areas.Area",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_month = models.DateField(_("month"), editable=False)
    address_or_landmark = models.CharField(_("address or landmark"), max_length=300, blank=True)
    subject_description = models.CharField(
        _("name or description of the person"), max_length=200, blank=True
    )
    subject_age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    subject_age_band = models.CharField(_("age band"), max_length=10, choices=AgeBand, blank=True)
    subject_sex = models.CharField(_("sex"), max_length=10, choices=Sex, default=Sex.UNKNOWN)
    subject_mykad = models.CharField(_("MyKad number"), max_length=12, blank=True)
    consent_given = models.BooleanField(_("consent given"))
    consent_by = models.CharField(
        _("consent given by"), max_length=10, choices=ConsentBy, blank=True
    )
    consent_reason = models.TextField(_("why consent could not be had"), blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="referrals_reported",
    )
    reporter_phone = models.CharField(_("reporter's phone"), max_length=20, blank=True)
    assigned_office = models.ForeignKey(
        "areas.Area",
        verbose_name=_("district office"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals_assigned",
    )
    status = models.CharField(
        _("status"), max_length=15, choices=Status, default=Status.SUBMITTED, db_index=True
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome, blank=True)
    referred_to = models.CharField(
        _("referred on to"), max_length=10, choices=ReferredTo, blank=True
    )
    rejection_reason = models.TextField(_("why it was rejected"), blank=True)
    due_at = models.DateTimeField(_("acknowledge by"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    client_token = models.UUIDField(null=True, blank=True, editable=False)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "client_token"],
                condition=Q(client_token__isnull=False),
                name="referrals_one_per_client_token",
            ),
            models.CheckConstraint(
                condition=Q(consent_given=True)
                | ~Q(consent_reason="")
                | Q(anonymised_at__isnull=False),
                name="referrals_no_consent_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.CLOSED) | ~Q(outcome=""),
                name="referrals_closed_has_outcome",
            ),
            models.CheckConstraint(
                condition=Q(outcome=Outcome.REFERRED_ON, referred_to__gt="")
                | (~Q(outcome=Outcome.REFERRED_ON) & Q(referred_to="")),
                name="referrals_referred_on_says_where",
            ),
            models.CheckConstraint(
                condition=Q(subject_age__isnull=True) | Q(subject_age__lte=130),
                name="referrals_age_in_range",
            ),
        ]
        indexes = [
            models.Index(fields=["assigned_office", "status"], name="referrals_office_status"),
            models.Index(fields=["status", "due_at"], name="referrals_status_due"),
            models.Index(fields=["status", "closed_at"], name="referrals_status_closed"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None


class EventAction(models.TextChoices):
    SUBMIT = "submit", _("Submitted")
    ACKNOWLEDGE = "acknowledge", _("Acknowledged")
    START = "start", _("Work started")
    CLOSE = "close", pgettext_lazy("referral event", "Closed")
    REJECT = "reject", _("Rejected")
    WITHDRAW = "withdraw", _("Withdrawn")
    TRANSFER = "transfer", _("Transferred to another district")
    NOTE = "note", _("Note")
    ANONYMISE = "anonymise", _("Personal details removed")


class Visibility(models.TextChoices):
    SHARED = "shared", _("The reporter sees that it happened (not who, nor the note)")
    OFFICERS = "officers", _("Officers only")


class ReferralEvent(models.Model):
    """One change of a referral: a move of the state machine, an officer's note, anonymisation."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=15, choices=EventAction)
    from_status = models.CharField(_("status before"), max_length=15, choices=Status, blank=True)
    to_status = models.CharField(_("status after"), max_length=15, choices=Status, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)
    visibility = models.CharField(
        _("visible to"), max_length=10, choices=Visibility, default=Visibility.OFFICERS
    )
    from_office = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_office = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.referral_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class ReminderLevel(models.TextChoices):
    DISTRICT = "district", _("Reminder to the district officers")
    STATE = "state", _("Escalation to the state officers")


class ReferralReminder(models.Model):
    """That a missed acknowledgement target was reminded (or escalated) once. A transfer sets a
    new `due_at`, so the new district's target gets its own reminders."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="reminders")
    level = models.CharField(max_length=10, choices=ReminderLevel)
    due_at = models.DateTimeField()
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("referral reminder")
        verbose_name_plural = _("referral reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "level", "due_at"], name="referrals_remind_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.referral_id} {self.level} {self.due_at:%Y-%m-%d %H:%M}"
