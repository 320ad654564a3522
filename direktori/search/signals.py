"""Every ORM change to what a service shows schedules its re-indexing after commit."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from direktori.directory.models import (
    Address,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)

from .indexing import schedule


def _services_of_location(location_id: Any) -> list[Any]:
    direct = ServiceAtLocation.objects.filter(location_id=location_id).values_list(
        "service_id", flat=True
    )
    owner = Location.objects.filter(pk=location_id).values_list("organization_id", flat=True)
    via_owner = Service.objects.filter(organization_id__in=list(owner)).values_list("pk", flat=True)
    return [*direct, *via_owner]


def _affected(instance: Any) -> list[Any]:
    if isinstance(instance, Service):
        return [instance.pk]
    if isinstance(instance, Organization):
        return list(Service.objects.filter(organization=instance).values_list("pk", flat=True))
    if isinstance(instance, Location):
        ids = _services_of_location(instance.pk)
        if instance.organization_id:
            ids += Service.objects.filter(organization_id=instance.organization_id).values_list(
                "pk", flat=True
            )
        return ids
    if isinstance(instance, Address):
        return _services_of_location(instance.location_id)
    if isinstance(instance, Phone | Schedule):
        found: list[Any] = []
        if instance.service_id:
            found.append(instance.service_id)
        organization_id: Any = getattr(instance, "organization_id", None)
        if organization_id:
            found += Service.objects.filter(organization_id=organization_id).values_list(
                "pk", flat=True
            )
        if instance.location_id:
            found += _services_of_location(instance.location_id)
        return found
    if isinstance(instance, ServiceArea | ServiceAtLocation):
        return [instance.service_id]
    if isinstance(instance, TaxonomyTerm):
        return list(instance.services.values_list("pk", flat=True))
    return []


WATCHED = (
    Service,
    Organization,
    Location,
    Address,
    Phone,
    Schedule,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)


@receiver(post_save)
def _saved(sender: type, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if sender in WATCHED and not raw:
        schedule(_affected(instance))


@receiver(post_delete)
def _deleted(sender: type, instance: Any, **kwargs: Any) -> None:
    if sender in WATCHED and sender is not Service:  # a deleted service's rows cascade away
        schedule(_affected(instance))


@receiver(m2m_changed, sender=Service.terms.through)
def _terms_changed(
    sender: type, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    if not action.startswith("post_"):
        return
    if reverse:  # term.services changed
        schedule(pk_set or [])
    else:
        schedule([instance.pk])
