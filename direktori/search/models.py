"""The search index: one row per service, kept in step with every change (`indexing`). Search
shows the active ones (`SearchDocument.active`); the HSDS API's `search` filters any status.

`SearchDocument` holds the normalised text of a service by field; the database's full-text index
over it (SQLite FTS5 or PostgreSQL tsvector, added by migration 0002 for the database in use) is
maintained by the database itself. Filters read `SearchFacet` (area and taxonomy keys),
`SearchPlace` (public coordinates) and `SearchHours` (weekly opening minutes); typo correction reads
`SearchWord`. None of this is ever published: it is derived from public fields only.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from direktori.directory.models import Service

FIELDS = ("name", "organisation", "keywords", "places", "body", "phones")


class SearchDocument(models.Model):
    service = models.OneToOneField(Service, on_delete=models.CASCADE, related_name="+")
    name = models.TextField(blank=True)
    organisation = models.TextField(blank=True)
    keywords = models.TextField(blank=True)  # target groups and categories, both languages
    places = models.TextField(blank=True)  # area names, localities, postcodes
    body = models.TextField(blank=True)  # descriptions, eligibility, how to apply
    phones = models.TextField(blank=True)  # public numbers as digits
    title = models.CharField(max_length=250)  # folded name, for a stable order among equals
    heading = models.TextField(blank=True)  # the words of the service's names, in order
    subtitle = models.TextField(blank=True)  # the words of the organisation's names, in order
    base_path = models.CharField(max_length=255)  # the organisation's area path
    verified_on = models.DateField(null=True)
    active = models.BooleanField(default=True)  # the service and its organisation are active
    facets = models.TextField(blank=True)  # the filters as words, for SQLite's FTS (tokens.py)

    class Meta:
        indexes = [models.Index(fields=["title"])]

    def __str__(self) -> str:
        return self.title


class SearchFacet(models.Model):
    """`a:<area code>` where the service is based or which it serves; `t:<term uuid>` per term."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "service"], name="search_facet_key_service")
        ]

    def __str__(self) -> str:
        return self.key


class SearchPlace(models.Model):
    """A public place where the service is given (never a confidential location)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    latitude = models.FloatField()
    longitude = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["latitude", "longitude"])]

    def __str__(self) -> str:
        return f"{self.latitude}, {self.longitude}"


class SearchHours(models.Model):
    """A weekly opening period in minutes after midnight; periods past midnight are split."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    weekday = models.PositiveSmallIntegerField()  # 1 = Monday … 7 = Sunday
    opens = models.PositiveSmallIntegerField()
    closes = models.PositiveSmallIntegerField()  # exclusive; 1440 = midnight
    valid_from = models.DateField(null=True)
    valid_to = models.DateField(null=True)

    class Meta:
        indexes = [models.Index(fields=["weekday", "opens"])]

    def __str__(self) -> str:
        return f"{self.weekday} {self.opens}–{self.closes}"


class SearchWord(models.Model):
    """Every indexed word (`surface`) and stem: what a typo may be corrected to."""

    word = models.CharField(max_length=64, unique=True)
    surface = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.word


class SearchGeneration(models.Model):
    """One row whose token changes with every change to the index (`bump`, in the indexing
    transaction): what a process's cache of matches is valid for. A token, not a counter, so that
    a rolled-back change cannot give a number back to a different state of the index."""

    token = models.UUIDField(default=uuid.uuid4)

    def __str__(self) -> str:
        return str(self.token)

    @classmethod
    def bump(cls) -> None:
        cls.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4()})

    @classmethod
    def current(cls) -> uuid.UUID | None:
        return cls.objects.filter(pk=1).values_list("token", flat=True).first()


class Synonym(models.Model):
    """Phrases that mean the same to the people searching, added by an administrator."""

    phrases = models.TextField(
        _("phrases"),
        help_text=_(
            "Words or phrases that mean the same, separated by commas, for example: "
            "warga emas, orang tua, elderly. Any of them then finds the others."
        ),
    )
    note = models.CharField(_("note"), max_length=250, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym groups")
        ordering = ["phrases"]

    def __str__(self) -> str:
        return self.phrases[:80]

    def phrase_list(self) -> list[str]:
        return [phrase.strip() for phrase in self.phrases.split(",") if phrase.strip()]
