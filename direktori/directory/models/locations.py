from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from direktori.areas.models import Area
from direktori.core.models import ExchangedModel, in_language

from .organisations import Organization, Service

postcode_validator = RegexValidator(
    r"^\d{5}$", _("A Malaysian postcode has exactly five digits, for example 43900.")
)


class LocationQuerySet(models.QuerySet["Location"]):
    def public(self) -> LocationQuerySet:
        """Never a confidential location (shelters, safe houses)."""
        return self.filter(is_confidential=False)

    def in_area(self, area: Area) -> LocationQuerySet:
        return self.filter(area__path__startswith=area.path)


class Location(ExchangedModel):
    class Type(models.TextChoices):
        PHYSICAL = "physical", _("Physical place")
        POSTAL = "postal", _("Postal address only")
        VIRTUAL = "virtual", _("Online or by phone")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        related_name="locations",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    location_type = models.CharField(_("type"), max_length=16, choices=Type, default=Type.PHYSICAL)
    name = models.CharField(_("name"), max_length=250, blank=True)
    description_ms = models.TextField(_("description (Malay)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    transportation_ms = models.TextField(_("how to get there (Malay)"), blank=True)
    transportation_en = models.TextField(_("how to get there (English)"), blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        related_name="locations",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Set from the coordinates when there are any."),
    )
    is_confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_("A shelter or safe house: never shown publicly, exported or printed."),
    )
    confidential_reason = models.CharField(
        _("reason for confidentiality"), max_length=250, blank=True
    )

    objects = LocationQuerySet.as_manager()

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(latitude__isnull=True) & models.Q(longitude__isnull=True))
                | (models.Q(latitude__isnull=False) & models.Q(longitude__isnull=False)),
                name="location_latitude_and_longitude_together",
            ),
        ]
        # "Near me" and HSDS proximity start with a bounding box on these two.
        indexes = [models.Index(fields=["latitude", "longitude"], name="location_position")]

    def __str__(self) -> str:
        return self.name or str(self.organization or self.pk)

    @property
    def description(self) -> str:
        return in_language(self.description_ms, self.description_en)

    @property
    def transportation(self) -> str:
        return in_language(self.transportation_ms, self.transportation_en)


class Address(ExchangedModel):
    class Type(models.TextChoices):
        PHYSICAL = "physical", _("Physical")
        POSTAL = "postal", _("Postal")
        VIRTUAL = "virtual", _("Virtual")

    location = models.ForeignKey(
        Location, verbose_name=_("location"), related_name="addresses", on_delete=models.CASCADE
    )
    address_type = models.CharField(_("type"), max_length=16, choices=Type, default=Type.PHYSICAL)
    attention = models.CharField(_("attention"), max_length=200, blank=True)
    address_1 = models.CharField(_("address"), max_length=250)
    address_2 = models.CharField(_("address (continued)"), max_length=250, blank=True)
    city = models.CharField(_("town"), max_length=120, blank=True)
    region = models.CharField(_("district"), max_length=120, blank=True)
    state_province = models.CharField(_("state"), max_length=120, blank=True)
    postal_code = models.CharField(
        _("postcode"), max_length=5, blank=True, validators=[postcode_validator]
    )
    country = models.CharField(_("country"), max_length=2, default="MY")

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["address_type"]
        indexes = [models.Index(fields=["postal_code"], name="address_postcode")]

    def __str__(self) -> str:
        return self.one_line()

    def lines(self) -> list[str]:
        town = " ".join(part for part in (self.postal_code, self.city) if part)
        return [
            part for part in (self.address_1, self.address_2, town, self.state_province) if part
        ]

    def one_line(self) -> str:
        return ", ".join(self.lines())


class ServiceAtLocation(ExchangedModel):
    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        related_name="service_at_locations",
        on_delete=models.CASCADE,
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        related_name="service_at_locations",
        on_delete=models.CASCADE,
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("service at a location")
        verbose_name_plural = _("services at locations")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "location"], name="service_at_location_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} @ {self.location}"


class Accessibility(ExchangedModel):
    location = models.ForeignKey(
        Location, verbose_name=_("location"), related_name="accessibility", on_delete=models.CASCADE
    )
    description_ms = models.CharField(_("description (Malay)"), max_length=250)
    description_en = models.CharField(_("description (English)"), max_length=250, blank=True)
    details = models.TextField(_("details"), blank=True)
    url = models.URLField(_("more information"), blank=True)

    class Meta:
        verbose_name = _("accessibility")
        verbose_name_plural = _("accessibility")

    def __str__(self) -> str:
        return self.description

    @property
    def description(self) -> str:
        return in_language(self.description_ms, self.description_en)
