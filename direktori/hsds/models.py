from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeRecord(models.Model):
    """One changed field of one directory record: a row of the HSDS `metadata` table.

    Written by imports, so that a consumer (and an officer) can see what a newer package changed.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        DELETE = "delete", _("Deleted")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    resource_id = models.UUIDField(_("record"), db_index=True)
    resource_type = models.CharField(_("kind of record"), max_length=40)
    last_action_date = models.DateTimeField(_("when"))
    last_action_type = models.CharField(_("action"), max_length=16, choices=Action)
    field_name = models.CharField(_("field"), max_length=64)
    previous_value = models.TextField(_("previous value"), blank=True)
    replacement_value = models.TextField(_("new value"), blank=True)
    updated_by = models.CharField(_("changed by"), max_length=200)

    class Meta:
        verbose_name = _("change record")
        verbose_name_plural = _("change records")
        ordering = ["-last_action_date", "resource_type", "field_name"]

    def __str__(self) -> str:
        return f"{self.resource_type} {self.resource_id}: {self.field_name}"


class ImportUpload(models.Model):
    """A package an HQ administrator uploaded: checked first (dry run), saved only when confirmed.

    The file lives in the database, not on a local disk, so that any app server can confirm it.
    """

    class State(models.TextChoices):
        CHECKED = "checked", _("Checked, waiting for confirmation")
        REFUSED = "refused", _("Refused: problems found")
        IMPORTED = "imported", _("Imported")
        FAILED = "failed", _("Failed while saving")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("file"))
    state = models.CharField(_("status"), max_length=16, choices=State)
    report = models.JSONField(_("report"), default=dict, blank=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        verbose_name = _("HSDS import")
        verbose_name_plural = _("HSDS imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename
