"""factory-boy factories for the directory. Each saves a valid row: it runs full_clean first.

Defaults, so that a bare `ServiceFactory()` is enough in most tests:
- organisations are active, non-demo CBOs in Sepang (`10_7`; the area chain MY → 10 → 10_7 is
  created when missing, so the `reference_areas` fixture is optional);
- services belong to a new organisation, with no terms unless given: `ServiceFactory(terms=[term])`;
- locations are physical and public, in Bandar Baru Salak Tinggi's coordinates, area Sepang;
- phones are fictional mobiles from the block 010-200 NNNN and belong to a new service;
- schedules are Monday 09:00–17:00 of a new service; service areas are Sepang.
Call `reference_terms()` for the real target groups and service categories, by code.
`ServiceFactory.create(...)` is typed as returning a Service (mypy cannot see through the
`ServiceFactory(...)` shorthand).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, TypeVar

import factory
from django.db import models

from direktori.areas.models import Area
from direktori.areas.services import area_save
from direktori.directory.models import (
    Address,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    Taxonomy,
    TaxonomyTerm,
)
from direktori.directory.reference import taxonomies_load_reference

SEPANG_CHAIN = (
    ("MY", Area.Kind.COUNTRY, "Malaysia"),
    ("10", Area.Kind.STATE, "Selangor"),
    ("10_7", Area.Kind.DISTRICT, "Sepang"),
)


def sepang_area() -> Area:
    """Sepang district; created with its parents, without boundaries, if the reference is absent."""
    parent = None
    for code, kind, name in SEPANG_CHAIN:
        area = Area.objects.filter(code=code).first()
        if area is None:
            area = area_save(
                Area(
                    code=code,
                    kind=kind,
                    name_ms=name,
                    name_en=name,
                    slug=name.lower(),
                    parent=parent,
                )
            )
        parent = area
    assert parent is not None
    return parent


def reference_terms() -> dict[str, TaxonomyTerm]:
    """The target groups and service categories of `data/taxonomies.csv`, by term code."""
    taxonomies_load_reference()
    return {term.code: term for term in TaxonomyTerm.objects.select_related("taxonomy")}


M = TypeVar("M", bound=models.Model)


class CleanModelFactory(factory.django.DjangoModelFactory[M]):
    """Validates like the services do, so that factories never make rows the app would refuse."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class: type[M], *args: Any, **kwargs: Any) -> M:
        record = model_class(*args, **kwargs)
        record.full_clean()
        record.save()
        return record


class TaxonomyFactory(CleanModelFactory[Taxonomy]):
    class Meta:
        model = Taxonomy

    code = factory.Sequence(lambda n: f"taxonomy-{n}")
    name_ms = factory.Sequence(lambda n: f"Taksonomi {n}")
    name_en = factory.Sequence(lambda n: f"Taxonomy {n}")


class TaxonomyTermFactory(CleanModelFactory[TaxonomyTerm]):
    class Meta:
        model = TaxonomyTerm

    taxonomy = factory.SubFactory(TaxonomyFactory)
    code = factory.Sequence(lambda n: f"term_{n}")
    name_ms = factory.Sequence(lambda n: f"Istilah {n}")
    name_en = factory.Sequence(lambda n: f"Term {n}")
    position = factory.Sequence(lambda n: n)


class OrganizationFactory(CleanModelFactory[Organization]):
    class Meta:
        model = Organization

    kind = Organization.Kind.CBO
    name = factory.Sequence(lambda n: f"Organisasi Ujian {n}")
    name_en = factory.Sequence(lambda n: f"Test Organisation {n}")
    description_ms = "Organisasi untuk ujian."
    description_en = "An organisation for tests."
    area = factory.LazyFunction(sepang_area)
    is_demo = False
    verified_on = None


class ServiceFactory(CleanModelFactory[Service]):
    class Meta:
        model = Service
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Perkhidmatan Ujian {n}")
    name_en = factory.Sequence(lambda n: f"Test Service {n}")
    description_ms = "Perkhidmatan untuk ujian."
    description_en = "A service for tests."

    @factory.post_generation
    def terms(
        service: Service, create: bool, extracted: list[TaxonomyTerm] | None, **_: Any
    ) -> None:
        if create and extracted:
            service.terms.set(extracted)


class LocationFactory(CleanModelFactory[Location]):
    class Meta:
        model = Location

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Lokasi Ujian {n}")
    latitude = Decimal("2.816000")
    longitude = Decimal("101.733000")
    area = factory.LazyFunction(sepang_area)
    is_confidential = False


class AddressFactory(CleanModelFactory[Address]):
    class Meta:
        model = Address

    location = factory.SubFactory(LocationFactory)
    address_1 = "No. 1, Jalan Ujian"
    city = "Bandar Baru Salak Tinggi"
    region = "Sepang"
    state_province = "Selangor"
    postal_code = "43900"


class PhoneFactory(CleanModelFactory[Phone]):
    class Meta:
        model = Phone

    service = factory.SubFactory(ServiceFactory)
    kind = Phone.Kind.CELL
    number = factory.Sequence(lambda n: f"010-200 {n % 10000:04d}")
    is_confidential = False


class ScheduleFactory(CleanModelFactory[Schedule]):
    class Meta:
        model = Schedule

    service = factory.SubFactory(ServiceFactory)
    weekday = 1
    all_day = False
    opens_at = datetime.time(9, 0)
    closes_at = datetime.time(17, 0)


class ServiceAreaFactory(CleanModelFactory[ServiceArea]):
    class Meta:
        model = ServiceArea

    service = factory.SubFactory(ServiceFactory)
    area = factory.LazyFunction(sepang_area)
