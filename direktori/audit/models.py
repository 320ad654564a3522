"""The audit log: who did what, when and from where (DESIGN §5, docs/security.md).

Rows are only ever added. `detail` holds the names of what changed and other facts that are not
personal (role names, area codes, counts), never the values of personal fields, passwords, codes,
tokens, phone numbers or MyKad numbers; `services.audit_record` is the only writer.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEventImmutable(Exception):
    """Raised on any attempt to change or remove an audit event."""


class Action(models.TextChoices):
    SIGN_IN = "sign_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
    SIGN_OUT = "sign_out", _("Signed out")
    LOCKED_OUT = "locked_out", _("Locked out after failed sign-ins")
    SECOND_FACTOR_VERIFIED = "second_factor_verified", _("Second factor given")
    SECOND_FACTOR_FAILED = "second_factor_failed", _("Second factor failed")
    SECOND_FACTOR_ENROLLED = "second_factor_enrolled", _("Authenticator app set up")
    SECOND_FACTOR_RESET = "second_factor_reset", _("Second factor reset")
    BACKUP_CODES_MADE = "backup_codes_made", _("Backup codes made")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    PERMISSION_CHANGED = "permission_changed", _("Permissions changed")
    ACCOUNT_CREATED = "account_created", _("Account created")
    ACCOUNT_DISABLED = "account_disabled", _("Account disabled")
    ACCOUNT_ENABLED = "account_enabled", _("Account enabled")
    ACCOUNT_UNLOCKED = "account_unlocked", _("Account unlocked")
    SESSIONS_ENDED = "sessions_ended", _("Signed out everywhere")
    TOKEN_ISSUED = "token_issued", _("API token issued")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    RECORD_VIEWED = "record_viewed", _("Record viewed")
    RECORD_CREATED = "record_created", _("Record created")
    RECORD_CHANGED = "record_changed", _("Record changed")
    RECORD_EXPORTED = "record_exported", _("Records exported")
    ACCESS_GRANTED = "access_granted", _("Emergency access opened")
    ACCESS_ENDED = "access_ended", _("Emergency access ended")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def visible_to(self, user: Any) -> AuditEventQuerySet:
        """The only door to audit events: see `permissions.events_visible_q`."""
        from .permissions import events_visible_q

        return self.filter(events_visible_q(user))

    def update(self, **kwargs: Any) -> int:
        # Deleting a user sets `actor` to NULL through this method; `actor_username` keeps the name.
        if kwargs.keys() == {"actor"} and kwargs["actor"] is None:
            return super().update(**kwargs)
        raise AuditEventImmutable("Audit events cannot be changed.")

    def delete(self) -> NoReturn:
        raise AuditEventImmutable("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    when = models.DateTimeField(_("when"), default=timezone.now, db_index=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_username = models.CharField(_("username"), max_length=150, blank=True, default="")
    action = models.CharField(_("action"), max_length=32, choices=Action)
    object_type = models.CharField(_("type of record"), max_length=100, blank=True, default="")
    object_id = models.CharField(_("record"), max_length=64, blank=True, default="")
    area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=200, blank=True, default="")
    reason = models.TextField(_("reason"), blank=True, default="")
    detail = models.JSONField(_("detail"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-when", "-pk"]
        indexes = [
            models.Index(fields=["area", "when"], name="audit_area_when"),
            models.Index(fields=["actor", "when"], name="audit_actor_when"),
        ]

    def __str__(self) -> str:
        return f"{self.when:%Y-%m-%d %H:%M} {self.actor_username or '-'} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditEventImmutable("Audit events cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditEventImmutable("Audit events cannot be deleted.")

    @property
    def object_label(self) -> str:
        return f"{self.object_type} {self.object_id}".strip()

    def detail_lines(self) -> list[tuple[str, str]]:
        """`detail` for reading: a change as "old → new", a list joined by commas."""
        return [(str(key), _readable(value)) for key, value in (self.detail or {}).items()]


def _readable(value: Any) -> str:
    if isinstance(value, dict) and value.keys() == {"from", "to"}:
        return f"{_readable(value['from'])} → {_readable(value['to'])}"
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_readable(item)}" for key, item in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_readable(item) for item in value)
    return "—" if value is None or value == "" else str(value)
