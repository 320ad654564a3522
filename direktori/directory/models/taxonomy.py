from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from direktori.core.models import ExchangedModel, in_language

TARGET_GROUPS = "target-groups"
SERVICE_CATEGORIES = "service-categories"


class TaxonomyTermQuerySet(models.QuerySet["TaxonomyTerm"]):
    def target_groups(self) -> TaxonomyTermQuerySet:
        return self.filter(taxonomy__code=TARGET_GROUPS)

    def categories(self) -> TaxonomyTermQuerySet:
        return self.filter(taxonomy__code=SERVICE_CATEGORIES)


class Taxonomy(ExchangedModel):
    """A vocabulary: the target groups (kumpulan sasar), the service categories, …"""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_ms = models.CharField(_("name (Malay)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_ms = models.TextField(_("description (Malay)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    uri = models.URLField(_("URI"), blank=True)
    version = models.CharField(_("version"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("taxonomy")
        verbose_name_plural = _("taxonomies")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self.name_ms, self.name_en)


class TaxonomyTerm(ExchangedModel):
    taxonomy = models.ForeignKey(
        Taxonomy, verbose_name=_("taxonomy"), related_name="terms", on_delete=models.PROTECT
    )
    code = models.SlugField(_("code"), max_length=64)
    name_ms = models.CharField(_("name (Malay)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_ms = models.TextField(_("description (Malay)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("broader term"),
        related_name="children",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    position = models.PositiveSmallIntegerField(_("display order"), default=0)

    objects = TaxonomyTermQuerySet.as_manager()

    class Meta:
        verbose_name = _("taxonomy term")
        verbose_name_plural = _("taxonomy terms")
        ordering = ["taxonomy__code", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["taxonomy", "code"], name="term_unique_code_in_taxonomy"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self.name_ms, self.name_en)

    @property
    def description(self) -> str:
        return in_language(self.description_ms, self.description_en)
