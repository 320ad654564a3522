"""The CBO membership register (DESIGN §4 "members", docs/security.md "Membership register").

A `Person` is appointed to a CBO (an `Organization` of kind CBO) by a `Membership`: one row per
person and CBO, ever. Re-appointing the same person to the same CBO updates that row and keeps the
term it replaces as a `MembershipTerm`. Memberships are read only through
`Membership.objects.visible_to(user)`; a person's phone and email are personal data, shown on
public pages only when `listed_publicly` records their consent.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from direktori.core.models import ExchangedModel, TimeStampedModel
from direktori.directory import phones

ENDING_SOON_DAYS = 60


class MemberRole(models.TextChoices):
    """CONTRACT role names, the committee first."""

    PENGERUSI = "pengerusi", _("Chair (Pengerusi)")
    TIMBALAN_PENGERUSI = "timbalan_pengerusi", _("Deputy chair (Timbalan Pengerusi)")
    SETIAUSAHA = "setiausaha", _("Secretary (Setiausaha)")
    BENDAHARI = "bendahari", _("Treasurer (Bendahari)")
    AJK = "ajk", _("Committee member (AJK)")
    AHLI = "ahli", _("Member (Ahli)")


COMMITTEE_ROLES = [role for role in MemberRole if role != MemberRole.AHLI]


class AppointingBody(models.TextChoices):
    KPWKM = "KPWKM", _("KPWKM (the Ministry)")
    MPKK = "MPKK", _("MPKK (village committee)")
    JPKK = "JPKK", _("JPKK (village committee)")
    JKM = "JKM", _("JKM (Social Welfare Department)")
    LAIN = "lain", _("Other")


class ConsentSource(models.TextChoices):
    IMPORT = "import", _("Appointment list")
    MEMBER = "member", _("The member")


class Person(ExchangedModel):
    full_name = models.CharField(_("full name"), max_length=200)
    phone = models.CharField(
        _("mobile number"), max_length=20, blank=True, help_text=_("Stored as +60…")
    )
    email = models.EmailField(_("email"), blank=True)
    listed_publicly = models.BooleanField(
        _("contact shown publicly"),
        default=False,
        help_text=_("The person agrees that their phone and email appear on public pages."),
    )
    consent_on = models.DateField(_("consent recorded on"), null=True, blank=True)
    consent_source = models.CharField(
        _("consent given through"), max_length=10, choices=ConsentSource, blank=True
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["phone"], condition=~Q(phone=""), name="members_person_phone_unique"
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def phone_display(self) -> str:
        return phones.display(self.phone) if self.phone else ""


class MembershipQuerySet(models.QuerySet["Membership"]):
    def visible_to(self, user: Any) -> MembershipQuerySet:
        """The only door to memberships: see `permissions.memberships_visible_q`."""
        from .permissions import memberships_visible_q

        return self.filter(memberships_visible_q(user))

    def current(self) -> MembershipQuerySet:
        return self.filter(status=Membership.Status.ACTIVE)

    def committee(self) -> MembershipQuerySet:
        return self.filter(role__in=COMMITTEE_ROLES)

    def lapsed(self, today: datetime.date | None = None) -> MembershipQuerySet:
        """Still active, but the term has ended."""
        return self.current().filter(term_ends_on__lt=today or timezone.localdate())

    def ending_within(
        self, days: int = ENDING_SOON_DAYS, today: datetime.date | None = None
    ) -> MembershipQuerySet:
        today = today or timezone.localdate()
        return self.current().filter(
            term_ends_on__gte=today, term_ends_on__lte=today + datetime.timedelta(days=days)
        )

    def in_role_order(self) -> MembershipQuerySet:
        order = models.Case(
            *(models.When(role=role, then=index) for index, role in enumerate(MemberRole)),
            output_field=models.IntegerField(),
        )
        return self.alias(role_order=order).order_by("role_order", "person__full_name")


class Membership(ExchangedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships"
    )
    cbo = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("CBO"),
        on_delete=models.PROTECT,
        related_name="memberships",
        limit_choices_to={"kind": "cbo"},
    )
    role = models.CharField(_("role"), max_length=20, choices=MemberRole)
    appointed_by = models.CharField(_("appointed by"), max_length=10, choices=AppointingBody)
    appointed_on = models.DateField(_("appointed on"))
    term_ends_on = models.DateField(_("term ends on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.ACTIVE)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["cbo", "role", "person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "cbo"], name="members_one_membership"),
            models.CheckConstraint(
                condition=Q(term_ends_on__isnull=True) | Q(term_ends_on__gt=F("appointed_on")),
                name="members_term_ends_after_start",
                violation_error_message=_("The term must end after the appointment date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}"


class MembershipTerm(TimeStampedModel):
    """A term a membership held before it was re-appointed or ended."""

    membership = models.ForeignKey(
        Membership, verbose_name=_("membership"), on_delete=models.CASCADE, related_name="terms"
    )
    role = models.CharField(_("role"), max_length=20, choices=MemberRole)
    appointed_by = models.CharField(_("appointed by"), max_length=10, choices=AppointingBody)
    appointed_on = models.DateField(_("appointed on"))
    term_ends_on = models.DateField(_("term ends on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Membership.Status)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("previous term")
        verbose_name_plural = _("previous terms")
        ordering = ["-appointed_on"]


class ReminderSent(models.Model):
    """That the reminder about a term's end went out on a day: one per term per day."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    term_ends_on = models.DateField()
    sent_on = models.DateField()
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("term reminder sent")
        verbose_name_plural = _("term reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "term_ends_on", "sent_on"], name="members_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} {self.term_ends_on} {self.sent_on}"
