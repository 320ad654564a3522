import uuid

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class ExchangedModel(TimeStampedModel):
    """A record exchanged with other systems (HSDS): its UUID survives import and export."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True


def in_language(malay: str, english: str) -> str:
    """Pick the English text on English pages when there is one; Malay otherwise."""
    if english and (get_language() or "ms").startswith("en"):
        return english
    return malay or english
