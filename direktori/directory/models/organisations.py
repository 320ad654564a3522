from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from direktori.areas.models import Area
from direktori.core.models import ExchangedModel, in_language

from .taxonomy import SERVICE_CATEGORIES, TARGET_GROUPS, TaxonomyTerm

REVERIFY_AFTER_DAYS = 365


class Status(models.TextChoices):
    """HSDS status of organisations and services."""

    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    DEFUNCT = "defunct", _("Defunct")
    TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")


class Verified(models.Model):
    """When and by whom an entry was last confirmed true. Editing is not verifying."""

    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )

    class Meta:
        abstract = True

    @property
    def needs_reverification(self) -> bool:
        """Never verified, or last verified more than a year ago (the 211 practice)."""
        if self.verified_on is None:
            return True
        return (timezone.localdate() - self.verified_on).days > REVERIFY_AFTER_DAYS


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def active(self) -> OrganizationQuerySet:
        return self.filter(status=Status.ACTIVE)

    def in_area(self, area: Area) -> OrganizationQuerySet:
        return self.filter(area__path__startswith=area.path)


class Organization(ExchangedModel, Verified):
    class Kind(models.TextChoices):
        CBO = "cbo", _("Community Based Organisation (CBO)")
        GOVERNMENT = "government", _("Government agency")
        NGO = "ngo", _("Non-governmental organisation")
        HOTLINE = "hotline", _("Helpline")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    name = models.CharField(_("name"), max_length=250)
    name_en = models.CharField(_("name (English)"), max_length=250, blank=True)
    alternate_name = models.CharField(_("other name or abbreviation"), max_length=250, blank=True)
    description_ms = models.TextField(_("description (Malay)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        related_name="organizations",
        on_delete=models.PROTECT,
        help_text=_("The area the organisation belongs to: the country for national bodies."),
    )
    parent_organization = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        related_name="branches",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.ACTIVE)
    is_demo = models.BooleanField(
        _("demo data"), default=False, help_text=_("Fictional entry for demonstration.")
    )
    source = models.CharField(_("source of the information"), max_length=400, blank=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "status"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:organization_detail", kwargs={"pk": self.pk})

    @property
    def display_name(self) -> str:
        return in_language(self.name, self.name_en)

    @property
    def description(self) -> str:
        return in_language(self.description_ms, self.description_en)


class ServiceQuerySet(models.QuerySet["Service"]):
    def active(self) -> ServiceQuerySet:
        return self.filter(status=Status.ACTIVE, organization__status=Status.ACTIVE)

    def in_area(self, area: Area) -> ServiceQuerySet:
        """Services of organisations in the area, or serving it or a larger area around it."""
        return self.filter(
            models.Q(organization__area__path__startswith=area.path)
            | models.Q(service_areas__area__path__startswith=area.path)
            | models.Q(service_areas__area__in=Area.objects.containing(area))
        ).distinct()

    def for_term(self, term: TaxonomyTerm) -> ServiceQuerySet:
        return self.filter(terms=term)

    def local_first(self, area: Area) -> ServiceQuerySet:
        """Services of organisations in the area before those that serve it from further away."""
        return self.annotate(
            is_local=models.Case(
                models.When(organization__area__path__startswith=area.path, then=models.Value(0)),
                default=models.Value(1),
                output_field=models.IntegerField(),
            )
        ).order_by("is_local", "name", "id")

    def with_contact(self) -> ServiceQuerySet:
        """Each service with its organisation, area and public phones (`public_phones` on both),
        in a fixed number of queries; no confidential phone."""
        from .details import Phone

        return self.select_related("organization", "organization__area").prefetch_related(
            models.Prefetch("phones", queryset=Phone.objects.public(), to_attr="public_phones"),
            models.Prefetch(
                "organization__phones", queryset=Phone.objects.public(), to_attr="public_phones"
            ),
        )

    def with_details(self) -> ServiceQuerySet:
        """Each service's terms (with their taxonomy) and opening hours, in two queries."""
        from .details import Schedule

        return self.prefetch_related(
            models.Prefetch("terms", queryset=TaxonomyTerm.objects.select_related("taxonomy")),
            models.Prefetch("schedules", queryset=Schedule.objects.all()),
        )

    def for_listing(self) -> ServiceQuerySet:
        """What a list of services shows: `with_contact`, the terms and the opening hours."""
        return self.with_contact().with_details()

    def matching(self, text: str) -> ServiceQuerySet:
        """A plain name and description match; the real search engine is its own module."""
        query = models.Q()
        for word in text.split():
            query &= (
                models.Q(name__icontains=word)
                | models.Q(name_en__icontains=word)
                | models.Q(alternate_name__icontains=word)
                | models.Q(description_ms__icontains=word)
                | models.Q(description_en__icontains=word)
                | models.Q(organization__name__icontains=word)
                | models.Q(organization__name_en__icontains=word)
                | models.Q(organization__alternate_name__icontains=word)
            )
        return self.filter(query)


class Service(ExchangedModel, Verified):
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        related_name="services",
        on_delete=models.CASCADE,
    )
    name = models.CharField(_("name"), max_length=250)
    name_en = models.CharField(_("name (English)"), max_length=250, blank=True)
    alternate_name = models.CharField(_("other name or abbreviation"), max_length=250, blank=True)
    description_ms = models.TextField(_("description (Malay)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    eligibility_ms = models.TextField(_("who may use it (Malay)"), blank=True)
    eligibility_en = models.TextField(_("who may use it (English)"), blank=True)
    application_process_ms = models.TextField(_("how to get it (Malay)"), blank=True)
    application_process_en = models.TextField(_("how to get it (English)"), blank=True)
    fees_ms = models.CharField(_("fees (Malay)"), max_length=250, blank=True)
    fees_en = models.CharField(_("fees (English)"), max_length=250, blank=True)
    hours_note_ms = models.CharField(_("opening hours note (Malay)"), max_length=250, blank=True)
    hours_note_en = models.CharField(_("opening hours note (English)"), max_length=250, blank=True)
    email = models.EmailField(_("email"), blank=True)
    url = models.URLField(_("website"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.ACTIVE)
    terms = models.ManyToManyField(
        TaxonomyTerm,
        verbose_name=_("target groups and categories"),
        related_name="services",
        blank=True,
    )

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:service_detail", kwargs={"pk": self.pk})

    @property
    def is_active(self) -> bool:
        """What `ServiceQuerySet.active()` selects, for a service loaded with its organisation."""
        return self.status == Status.ACTIVE and self.organization.status == Status.ACTIVE

    @property
    def display_name(self) -> str:
        return in_language(self.name, self.name_en)

    @property
    def description(self) -> str:
        return in_language(self.description_ms, self.description_en)

    @property
    def eligibility(self) -> str:
        return in_language(self.eligibility_ms, self.eligibility_en)

    @property
    def application_process(self) -> str:
        return in_language(self.application_process_ms, self.application_process_en)

    @property
    def fees(self) -> str:
        return in_language(self.fees_ms, self.fees_en)

    @property
    def hours_note(self) -> str:
        return in_language(self.hours_note_ms, self.hours_note_en)

    def target_groups(self) -> list[TaxonomyTerm]:
        return [term for term in self.terms.all() if term.taxonomy.code == TARGET_GROUPS]

    def categories(self) -> list[TaxonomyTerm]:
        return [term for term in self.terms.all() if term.taxonomy.code == SERVICE_CATEGORIES]


class Contact(ExchangedModel):
    """A named person or desk to ask for at an organisation, service or location."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        related_name="contacts",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        related_name="contacts",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    department = models.CharField(_("department"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_public = models.BooleanField(
        _("shown publicly"), default=False, help_text=_("Only with the person's consent.")
    )

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
