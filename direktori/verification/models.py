"""Keeping directory entries true (issue 6, item 6): a CBO chair's proposed changes to their own
CBO's entries, reviewed by an officer, and the daily reminders of overdue re-verification.

An entry is verified only by an officer's explicit act (`services.entry_verify`, or accepting a
proposal); editing alone never sets `verified_on`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from direktori.directory.models import Organization, Service


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class ChangeProposalQuerySet(models.QuerySet["ChangeProposal"]):
    def visible_to(self, user: Any) -> ChangeProposalQuerySet:
        """The only door to proposals: see `permissions.proposals_visible_q`."""
        from .permissions import proposals_visible_q

        return self.filter(proposals_visible_q(user))

    def pending(self) -> ChangeProposalQuerySet:
        return self.filter(status=ProposalStatus.PROPOSED)


class ChangeProposal(models.Model):
    """Changes to one organisation or service entry: `changes` maps a field of
    `fields.PROPOSABLE` to its proposed value, already validated and normalised."""

    organization = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="change_proposals",
    )
    service = models.ForeignKey(
        "directory.Service",
        verbose_name=_("service"),
        on_delete=models.CASCADE,
        related_name="change_proposals",
        null=True,
        blank=True,
        help_text=_("Empty when the proposal is about the organisation itself."),
    )
    changes = models.JSONField(_("proposed changes"))
    note = models.TextField(_("note to the officer"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ProposalStatus, default=ProposalStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reason = models.TextField(_("reason for rejecting"), blank=True)

    objects = ChangeProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("change proposal")
        verbose_name_plural = _("change proposals")
        ordering = ["proposed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status=ProposalStatus.PROPOSED, reviewed_at__isnull=True)
                | (~models.Q(status=ProposalStatus.PROPOSED) & models.Q(reviewed_at__isnull=False)),
                name="proposal_reviewed_when_decided",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ProposalStatus.REJECTED) | ~models.Q(reason=""),
                name="proposal_rejected_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry} ({self.get_status_display()})"

    @property
    def kind(self) -> str:
        return "service" if self.service_id else "organization"

    @property
    def entry(self) -> Organization | Service:
        return self.service if self.service is not None else self.organization

    @property
    def area(self) -> Any:
        """For the audit log: the organisation's area decides which officers see the event."""
        return self.organization.area


class ReminderSent(models.Model):
    """One reminder per officer per day (`verification_reminders` is idempotent per day)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField(_("sent on"))
    overdue = models.PositiveIntegerField(_("overdue entries"))

    class Meta:
        verbose_name = _("re-verification reminder")
        verbose_name_plural = _("re-verification reminders")
        constraints = [
            models.UniqueConstraint(fields=["user", "sent_on"], name="reminder_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.sent_on}"
