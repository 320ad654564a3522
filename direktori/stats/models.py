"""Official statistics (issue 8; DESIGN §4 "stats"; docs/statistics.md).

JKM and other agencies publish aggregates, never cases: a `StatisticRecord` is one figure, the
number of cases of a category in an area over a period, as its source published it. A figure is
kept against a district, or against a state when the source did not allocate it to a district
("unallocated"), or against the country when it was not allocated to a state. Re-importing a
figure with the same period, area, category and source replaces it (the unique constraint).

`StatisticRollup` holds, for every period, category and area at each level (district, state,
country), the sum of the figures of that area and everything below it over all sources. It is
rebuilt by `services` whenever figures change and is what the API reads: a query sums the few
roll-up rows whose whole period lies inside its range, instead of a million records.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

SOURCE_LENGTH = 200


class Category(models.TextChoices):
    """CONTRACT categories of `import_statistics`."""

    # Translators: JKM's term is "kanak-kanak memerlukan pemeliharaan dan perlindungan".
    CHILD_PROTECTION = "child_protection", _("Children in need of care and protection")
    DOMESTIC_VIOLENCE = "domestic_violence", _("Domestic violence")
    ELDERLY = "elderly", _("Older people")
    DISABILITY = "disability", _("Persons with disabilities")
    DESTITUTE = "destitute", _("Destitute people")
    OTHER = "other", _("Other")


class StatisticImport(models.Model):
    """One run of `import_statistics` (or an upload): which file, by whom, what it did."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    created = models.PositiveIntegerField(_("figures added"), default=0)
    replaced = models.PositiveIntegerField(_("figures replaced"), default=0)
    unchanged = models.PositiveIntegerField(_("figures unchanged"), default=0)

    class Meta:
        verbose_name = _("statistics import")
        verbose_name_plural = _("statistics imports")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.file_name or self.pk} ({self.imported_at:%Y-%m-%d %H:%M})"


class StatisticRecordQuerySet(models.QuerySet["StatisticRecord"]):
    def of_category(self, category: str) -> StatisticRecordQuerySet:
        return self.filter(category=category)

    def inside(
        self, start: datetime.date | None, end: datetime.date | None
    ) -> StatisticRecordQuerySet:
        """Figures whose whole period lies inside [start, end] (either end open when None)."""
        return self.filter(_inside_q(start, end))


class StatisticRecord(models.Model):
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "A district; a state for a figure not allocated to a district; the country for one "
            "not allocated to a state."
        ),
    )
    category = models.CharField(_("category"), max_length=20, choices=Category)
    count = models.PositiveIntegerField(_("count"))
    source = models.CharField(_("source"), max_length=SOURCE_LENGTH)
    imported_at = models.DateTimeField(_("imported at"))
    batch = models.ForeignKey(
        StatisticImport,
        verbose_name=_("import"),
        on_delete=models.PROTECT,
        related_name="records",
    )

    objects = StatisticRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("statistic")
        verbose_name_plural = _("statistics")
        constraints = [
            models.UniqueConstraint(
                fields=["period_start", "period_end", "area", "category", "source"],
                name="statistic_one_figure_per_key",
            ),
            models.CheckConstraint(condition=Q(count__gte=0), name="statistic_count_not_negative"),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="statistic_period_in_order"
            ),
        ]
        indexes = [
            models.Index(fields=["category", "period_start"], name="statistic_category_start"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.category} {self.period_start}..{self.period_end} {self.area_id}: {self.count}"
        )


class StatisticRollupQuerySet(models.QuerySet["StatisticRollup"]):
    def of_category(self, category: str) -> StatisticRollupQuerySet:
        return self.filter(category=category)

    def inside(
        self, start: datetime.date | None, end: datetime.date | None
    ) -> StatisticRollupQuerySet:
        return self.filter(_inside_q(start, end))


class StatisticRollup(models.Model):
    """The sum, over all sources, of the figures of one period and category for an area and
    everything below it. Derived data: `services.rollups_refresh` rewrites it."""

    period_start = models.DateField()
    period_end = models.DateField()
    category = models.CharField(max_length=20, choices=Category)
    area = models.ForeignKey("areas.Area", on_delete=models.CASCADE, related_name="+")
    count = models.PositiveBigIntegerField()

    objects = StatisticRollupQuerySet.as_manager()

    class Meta:
        verbose_name = _("statistics roll-up")
        verbose_name_plural = _("statistics roll-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "period_start", "period_end", "area"],
                name="statistic_rollup_one_row_per_key",
            ),
        ]
        indexes = [
            models.Index(
                fields=["area", "category", "period_start"], name="statistic_rollup_area_first"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.category} {self.period_start}..{self.period_end} {self.area_id}: {self.count}"
        )


class PublicStatisticCell(models.Model):
    """One cell of a category's canonical public table (`canonical`): an area node (`area`, or
    its part not allocated below it) and a calendar period or a figure's period, its count and
    whether the public may see it. Derived data: `services.public_cells_refresh` rewrites it."""

    category = models.CharField(max_length=20, choices=Category)
    area = models.ForeignKey("areas.Area", on_delete=models.CASCADE, related_name="+")
    unallocated = models.BooleanField(default=False)
    period = models.CharField(max_length=20)  # 2023, 2023-H1, 2023-Q2, 2023-04, 2023-04..2023-06
    period_start = models.DateField()
    period_end = models.DateField()
    count = models.PositiveBigIntegerField()
    suppressed = models.BooleanField()

    class Meta:
        verbose_name = _("public statistics cell")
        verbose_name_plural = _("public statistics cells")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "area", "unallocated", "period"],
                name="public_statistic_one_cell",
            ),
        ]
        indexes = [
            models.Index(
                fields=["area", "category", "period_start"], name="public_statistic_area_first"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.period} {self.area_id}: {self.count}"


def _inside_q(start: datetime.date | None, end: datetime.date | None) -> Q:
    # CONTRACT: a figure counts only when its whole period lies inside the range.
    condition = Q()
    if start is not None:
        condition &= Q(period_start__gte=start)
    if end is not None:
        condition &= Q(period_end__lte=end)
    return condition
