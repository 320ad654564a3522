"""The nested HSDS documents of the API, assembled from the flat rows of rows.py.

The querysets here extend the published ones (published.py) with the prefetches a document reads,
so that a page of fully nested services costs the same number of queries for 1 or 1,000 records.
The compiled HSDS schemas type their fields without null, so a document leaves unknown fields out
where a CSV row leaves them empty.
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from direktori.directory.models import (
    Contact,
    Location,
    Organization,
    Phone,
    Service,
    ServiceAtLocation,
)
from direktori.directory.models.organisations import ServiceQuerySet

from . import published, rows

Document = dict[str, Any]

# Tables the directory never fills: a full document still carries them, empty, as the examples do.
EMPTY_SERVICE_ARRAYS = ("funding", "cost_options", "required_documents")


def compact(row: rows.Row) -> Document:
    return {field: value for field, value in row.items() if value is not None}


def _attributes(entity_name: str, obj: Any) -> list[Document]:
    return [compact(row) for row in rows.attribute_rows_for(entity_name, obj)]


# Querysets ------------------------------------------------------------------------------------


def _phones() -> QuerySet[Phone]:
    return published.phones().prefetch_related(Prefetch("languages", published.languages()))


def _contacts() -> QuerySet[Contact]:
    return published.contacts().prefetch_related(Prefetch("phones", _phones()))


def _location_prefetches(prefix: str = "") -> list[Prefetch]:
    # published.locations() brings the addresses without postcode; a related location does not.
    reached = [published.addresses_without_postcode(prefix)] if prefix else []
    return [
        *reached,
        Prefetch(f"{prefix}addresses", published.addresses()),
        Prefetch(f"{prefix}phones", _phones()),
        Prefetch(f"{prefix}schedules", published.schedules()),
        Prefetch(f"{prefix}accessibility", published.accessibility()),
        Prefetch(f"{prefix}languages", published.languages()),
    ]


def full_locations() -> QuerySet[Location]:
    return (
        published.locations()
        .select_related(published.AREA_CHAIN)
        .prefetch_related(*_location_prefetches())
    )


def _service_at_locations_with_location() -> QuerySet[ServiceAtLocation]:
    return (
        published.service_at_locations()
        .select_related(f"location__{published.AREA_CHAIN}")
        .prefetch_related(*_location_prefetches("location__"))
    )


def list_services() -> ServiceQuerySet:
    # A list item has no terms: drop the prefetch the rows of the export need.
    return published.services().prefetch_related(None).select_related("organization")


def full_services() -> ServiceQuerySet:
    return (
        published.services()
        .select_related("organization__area")
        .prefetch_related(
            Prefetch("phones", _phones()),
            Prefetch("schedules", published.schedules()),
            Prefetch("service_areas", published.service_areas()),
            Prefetch("service_at_locations", _service_at_locations_with_location()),
            Prefetch("languages", published.languages()),
            Prefetch("contacts", _contacts()),
        )
    )


def full_organizations(*, full_service: bool) -> QuerySet[Organization]:
    services = full_services() if full_service else published.services()
    return published.organizations().prefetch_related(
        Prefetch("identifiers", published.organization_identifiers()),
        Prefetch("phones", _phones()),
        Prefetch("contacts", _contacts()),
        Prefetch("locations", full_locations()),
        Prefetch("services", services),
    )


def list_service_at_locations() -> QuerySet[ServiceAtLocation]:
    return published.service_at_locations().select_related("service__organization", "location")


def full_service_at_locations() -> QuerySet[ServiceAtLocation]:
    return _service_at_locations_with_location().prefetch_related(
        Prefetch("service", full_services())
    )


def metadata_by_resource(ids: Iterable[uuid.UUID]) -> dict[str, list[Document]]:
    """The change history of the given records, in one query."""
    history: dict[str, list[Document]] = defaultdict(list)
    for record in published.metadata(list(ids)):
        history[str(record.resource_id)].append(compact(rows.metadata_row(record)))
    return history


# Documents ------------------------------------------------------------------------------------


def _phone(phone: Phone) -> Document:
    return {
        **compact(rows.phone_row(phone)),
        "languages": [compact(rows.language_row(language)) for language in phone.languages.all()],
        "attributes": _attributes("phone", phone),
    }


def _contact(contact: Contact) -> Document:
    return {
        **compact(rows.contact_row(contact)),
        "phones": [_phone(phone) for phone in contact.phones.all()],
        "attributes": _attributes("contact", contact),
    }


def location_document(location: Location) -> Document:
    addresses = (rows.address_row(address) for address in location.addresses.all())
    return {
        **compact(rows.location_row(location)),
        "addresses": [compact(row) for row in addresses if row is not None],
        "phones": [_phone(phone) for phone in location.phones.all()],
        "schedules": [compact(rows.schedule_row(s)) for s in location.schedules.all()],
        "accessibility": [
            {
                **compact(rows.accessibility_row(item)),
                "attributes": _attributes("accessibility", item),
            }
            for item in location.accessibility.all()
        ],
        "languages": [
            compact(rows.language_row(language)) for language in location.languages.all()
        ],
        "contacts": [],
        "attributes": _attributes("location", location),
    }


def organization_summary(organization: Organization) -> Document:
    return compact(rows.organization_row(organization))


def service_list_item(service: Service) -> Document:
    return {
        **compact(rows.service_row(service)),
        "organization": organization_summary(service.organization),
    }


def service_minimal(service_id: uuid.UUID, last_modified: datetime.datetime) -> Document:
    return {"id": str(service_id), "last_modified": timezone.localtime(last_modified).isoformat()}


def service_document(
    service: Service,
    metadata: dict[str, list[Document]],
    *,
    with_organization: bool = True,
) -> Document:
    document: Document = {
        **compact(rows.service_row(service)),
        "phones": [_phone(phone) for phone in service.phones.all()],
        "schedules": [compact(rows.schedule_row(s)) for s in service.schedules.all()],
        "service_areas": [compact(rows.service_area_row(a)) for a in service.service_areas.all()],
        "service_at_locations": [
            {
                **compact(rows.service_at_location_row(link)),
                "location": location_document(link.location),
            }
            for link in service.service_at_locations.all()
        ],
        "languages": [compact(rows.language_row(language)) for language in service.languages.all()],
        "contacts": [_contact(contact) for contact in service.contacts.all()],
        "attributes": _attributes("service", service),
        "metadata": metadata.get(str(service.id), []),
    }
    document.update({name: [] for name in EMPTY_SERVICE_ARRAYS})
    if with_organization:
        organization = service.organization
        document["organization"] = {
            **organization_summary(organization),
            "attributes": _attributes("organization", organization),
        }
    return document


def organization_document(
    organization: Organization, metadata: dict[str, list[Document]], *, full_service: bool
) -> Document:
    if full_service:
        services = [
            service_document(service, metadata, with_organization=False)
            for service in organization.services.all()
        ]
    else:
        # The least a service may be in HSDS: compiled/organization.json requires these three.
        services = [
            {"id": str(service.id), "name": service.name, "status": service.status}
            for service in organization.services.all()
        ]
    return {
        **organization_summary(organization),
        "organization_identifiers": [
            compact(rows.organization_identifier_row(identifier))
            for identifier in organization.identifiers.all()
        ],
        "phones": [_phone(phone) for phone in organization.phones.all()],
        "contacts": [_contact(contact) for contact in organization.contacts.all()],
        "locations": [location_document(location) for location in organization.locations.all()],
        "services": services,
        "funding": [],
        "programs": [],
        "attributes": _attributes("organization", organization),
        "metadata": metadata.get(str(organization.id), []),
    }


def service_at_location_list_item(link: ServiceAtLocation) -> Document:
    return {
        **compact(rows.service_at_location_row(link)),
        "service": service_list_item(link.service),
        "location": compact(rows.location_row(link.location)),
    }


def service_at_location_document(
    link: ServiceAtLocation, metadata: dict[str, list[Document]]
) -> Document:
    return {
        **compact(rows.service_at_location_row(link)),
        "service": service_document(link.service, metadata),
        "location": location_document(link.location),
        "contacts": [],
        "phones": [],
        "schedules": [],
        "attributes": [],
        "metadata": metadata.get(str(link.id), []),
    }
