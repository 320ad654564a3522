from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from direktori.core.models import ExchangedModel

from .organisations import Organization


class OrganizationIdentifier(ExchangedModel):
    """A number another register knows the organisation by (ROS, SSM, the KPWKM CBO register)."""

    class Scheme(models.TextChoices):
        ROS = "MY-ROS", _("Registrar of Societies (ROS)")
        SSM = "MY-SSM", _("Companies Commission (SSM)")
        KPWKM_CBO = "MY-KPWKM-CBO", _("KPWKM CBO register")
        OTHER = "other", _("Other")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        related_name="identifiers",
        on_delete=models.CASCADE,
    )
    identifier_scheme = models.CharField(_("register"), max_length=64, blank=True)
    identifier_type = models.CharField(_("kind of number"), max_length=120)
    identifier = models.CharField(_("number"), max_length=120)

    class Meta:
        verbose_name = _("organisation identifier")
        verbose_name_plural = _("organisation identifiers")
        ordering = ["identifier_scheme", "identifier"]

    def __str__(self) -> str:
        return f"{self.identifier_type}: {self.identifier}"
