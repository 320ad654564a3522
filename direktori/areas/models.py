from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from direktori.core.models import TimeStampedModel, in_language


class AreaQuerySet(models.QuerySet["Area"]):
    def of_kind(self, kind: str) -> AreaQuerySet:
        return self.filter(kind=kind)

    def states(self) -> AreaQuerySet:
        return self.filter(kind=Area.Kind.STATE)

    def districts(self) -> AreaQuerySet:
        return self.filter(kind=Area.Kind.DISTRICT)

    def within(self, area: Area) -> AreaQuerySet:
        """The area itself and every area below it."""
        return self.filter(path__startswith=area.path)

    def containing(self, area: Area) -> AreaQuerySet:
        """The area itself and every area above it (its ancestors)."""
        codes = [code for code in area.path.split("/") if code]
        return self.filter(code__in=codes)

    def by_code_or_name(self, value: str) -> AreaQuerySet:
        """DOSM code (`10_7`) or name in either language, any case."""
        value = value.strip()
        return self.filter(
            models.Q(code=value) | models.Q(name_ms__iexact=value) | models.Q(name_en__iexact=value)
        )


class Area(TimeStampedModel):
    """A place in Malaysia's administrative hierarchy: negara → negeri → daerah → mukim → lokaliti.

    States and districts carry DOSM codes (Sepang = `10_7`); mukim and localities, which have no
    published DOSM code, get `<district code>:<slug>`. `path` lists the codes from the top and is
    what makes "this area and everything below it" one indexed prefix query.
    """

    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country")
        STATE = "state", _("State")
        DISTRICT = "district", _("District")
        MUKIM = "mukim", _("Mukim")
        LOCALITY = "locality", _("Locality")

    class LocalityType(models.TextChoices):
        NONE = "", _("—")
        TOWN = "town", _("Town")
        VILLAGE = "village", _("Village")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    locality_type = models.CharField(
        _("locality type"), max_length=16, choices=LocalityType, blank=True, default=""
    )
    code = models.CharField(_("code"), max_length=64, unique=True, help_text=_("DOSM code"))
    slug = models.SlugField(_("slug"), max_length=80)
    name_ms = models.CharField(_("name (Malay)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        related_name="children",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    path = models.CharField(_("path"), max_length=400, db_index=True, editable=False)
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    is_uncertain = models.BooleanField(
        _("uncertain"),
        default=False,
        help_text=_("Public sources disagree about this area; an administrator should confirm it."),
    )

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "slug"], name="area_unique_slug_in_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        parent = self.parent
        if parent is None:
            if self.kind and self.kind != self.Kind.COUNTRY:
                raise ValidationError(
                    {"parent": _("Every area except the country is part of another.")}
                )
            return
        if self.pk and (parent.pk == self.pk or (self.path and parent.path.startswith(self.path))):
            raise ValidationError(
                {"parent": _("An area cannot be part of itself or of an area below it.")}
            )
        rank = {kind: position for position, kind in enumerate(self.Kind.values)}
        if self.kind and rank[parent.kind] >= rank[self.kind]:
            raise ValidationError(
                {
                    "parent": _("A %(kind)s cannot be part of a %(parent_kind)s.")
                    % {"kind": self.get_kind_display(), "parent_kind": parent.get_kind_display()}
                }
            )

    @property
    def name(self) -> str:
        return in_language(self.name_ms, self.name_en)

    @property
    def is_dosm(self) -> bool:
        return self.kind in {self.Kind.STATE, self.Kind.DISTRICT}

    def ancestors(self) -> list[Area]:
        """From the top down, excluding the country and the area itself."""
        by_code = {a.code: a for a in Area.objects.containing(self)}
        codes = [code for code in self.path.split("/") if code]
        return [
            by_code[c] for c in codes[:-1] if c in by_code and by_code[c].kind != Area.Kind.COUNTRY
        ]

    def slug_path(self) -> str:
        return "/".join([a.slug for a in self.ancestors()] + [self.slug])

    def get_absolute_url(self) -> str:
        if self.kind == self.Kind.COUNTRY:
            return reverse("directory:area_index")
        return reverse("directory:area_detail", kwargs={"slugs": self.slug_path()})


class AreaBoundary(models.Model):
    """An area's outline (GeoJSON geometry, WGS84), kept apart so that ordinary reads of areas
    never carry several kilobytes of coordinates."""

    area = models.OneToOneField(
        Area,
        verbose_name=_("area"),
        related_name="boundary",
        on_delete=models.CASCADE,
        primary_key=True,
    )
    geometry = models.JSONField(_("boundary (GeoJSON)"))
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("area boundary")
        verbose_name_plural = _("area boundaries")

    def __str__(self) -> str:
        return str(self.area)
