"""Saving a checked file of directory entries: every row or none, in one transaction
(`import_all`). Writes go through the ORM, one record at a time and validated, so that the search
index's signals (`direktori/search/signals.py`) re-index each changed service after commit; each
new or changed service is recorded in the audit log."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from direktori.accounts.bulk_invite import Problem, Refused, Row, dump_rows, load_rows
from direktori.areas.models import Area
from direktori.audit.models import Action
from direktori.audit.services import audit_record
from direktori.directory.models import (
    Address,
    Location,
    Organization,
    Phone,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)

from .entries import (
    ADDRESS_FIELDS,
    ORGANIZATION_FIELDS,
    PLACE_COLUMNS,
    SERVICE_FIELDS,
    TERM_COLUMNS,
    Values,
    own_phones,
    place_of,
)
from .entries_check import Plan, check

SALT = "direktori.publishing.entries"
COLUMN_OF = {
    name: key
    for fields in (SERVICE_FIELDS, ORGANIZATION_FIELDS, ADDRESS_FIELDS)
    for key, name in fields.items()
}
MAX_AGE = 30 * 60


def dump(rows: list[Row], *, actor: Any) -> str:
    return dump_rows(rows, actor=actor, salt=SALT)


def load(token: str, *, actor: Any) -> list[Row]:
    return load_rows(token, actor=actor, salt=SALT, max_age=MAX_AGE)[0]


def import_all(rows: list[Row], *, actor: Any = None, dry_run: bool = False) -> list[Plan]:
    """Saves every row or none (checked again: the database may have changed since a preview).
    Raises `Refused` with the problems."""
    with transaction.atomic():
        plans, problems = check(rows, actor=actor)
        if problems:
            raise Refused(problems)
        if not dry_run:
            new_organizations: dict[str, Organization] = {}
            for plan in plans:
                if plan.changes:
                    _save_or_refuse(plan, actor, new_organizations)
    return plans


def _save_or_refuse(plan: Plan, actor: Any, new_organizations: dict[str, Organization]) -> None:
    """A value the models refuse (an entry already out of order before the file) refuses the
    whole file, named by row and column, like the problems `check` finds."""
    try:
        entry_save(plan=plan, actor=actor, new_organizations=new_organizations)
    except ValidationError as error:
        problems = (
            [
                Problem(plan.row, COLUMN_OF.get(name, "service_name"), message)
                for name, messages in error.message_dict.items()
                for message in messages
            ]
            if hasattr(error, "error_dict")
            else [Problem(plan.row, "service_name", m) for m in error.messages]
        )
        raise Refused(problems) from error


def entry_save(*, plan: Plan, actor: Any, new_organizations: dict[str, Organization]) -> Service:
    """One row's changes. New organisations are made once per name (`new_organizations`)."""
    values, changes = plan.values, set(plan.changes)
    organization = _organization(values, changes, new_organizations)
    service = plan.service or Service(organization=organization)
    for key, name in SERVICE_FIELDS.items():
        if key in changes:
            setattr(service, name, values[key] if values[key] is not None else _blank(name))
    if "verified_on" in changes:
        service.verified_by = actor if values["verified_on"] else None
    service.full_clean()
    service.save()
    for key, taxonomy in TERM_COLUMNS.items():
        if key in changes:
            kept = service.terms.exclude(taxonomy__code=taxonomy)
            chosen = TaxonomyTerm.objects.filter(taxonomy__code=taxonomy, code__in=values[key])
            service.terms.set([*kept, *chosen])
    if "phones" in changes or "whatsapp" in changes:
        _phones_save(service, values)
    if changes & set(PLACE_COLUMNS) and (plan.service or any(values[k] for k in ADDRESS_FIELDS)):
        _place_save(service, organization, values)
    audit_record(
        action=Action.RECORD_CREATED if plan.service is None else Action.RECORD_CHANGED,
        actor=actor,
        target=service,
        area=organization.area,
        detail={"source": "spreadsheet", "row": plan.row, "fields": sorted(changes)},
    )
    return service


def _blank(name: str) -> Any:
    return None if name == "verified_on" else ""


def _organization(
    values: Values, changes: set[str], new_organizations: dict[str, Organization]
) -> Organization:
    if values["organization_id"]:
        organization = Organization.objects.get(pk=values["organization_id"])
    else:
        key = values["organization_name"].casefold()
        if key in new_organizations:
            return new_organizations[key]
        organization = new_organizations[key] = Organization()
    area = Area.objects.get(code=values["area"])
    if (
        organization.pk is None
        or organization.area_id != area.pk
        or changes & set(ORGANIZATION_FIELDS)
    ):
        organization.area = area
        for key, name in ORGANIZATION_FIELDS.items():
            setattr(organization, name, values[key])
        organization.full_clean()
        organization.save()
    return organization


def _phones_save(service: Service, values: Values) -> None:
    """The service's own public numbers become those of the row, in its order; a number already
    there keeps its record (kind, description); confidential numbers are left alone."""
    existing = {
        (p.kind == Phone.Kind.WHATSAPP, p.number): p for p in own_phones().filter(service=service)
    }
    wanted = [(False, n) for n in values["phones"]] + [(True, n) for n in values["whatsapp"]]
    for key, phone in existing.items():
        if key not in wanted:
            phone.delete()
    for position, (whatsapp, number) in enumerate(wanted):
        phone = existing.get((whatsapp, number)) or Phone(service=service, number=number)
        if phone._state.adding:
            phone.kind = _kind(number, whatsapp=whatsapp)
        phone.position = position
        phone.full_clean()
        phone.save()


def _kind(number: str, *, whatsapp: bool) -> str:
    if whatsapp:
        return Phone.Kind.WHATSAPP
    if not number.startswith("+"):
        return Phone.Kind.SHORT_CODE
    return Phone.Kind.CELL if number.startswith("+601") else Phone.Kind.VOICE


def _place_save(service: Service, organization: Organization, values: Values) -> None:
    place = place_of(service) if service.pk and hasattr(service, "own_phones") else None
    if place is None:
        place = Location(
            organization=organization,
            area=Area.objects.get(code=values["area"]),
            name=service.name[: Location._meta.get_field("name").max_length],
        )
    new = place._state.adding
    place.is_confidential = values["confidential"]
    place.full_clean()
    place.save()
    if new:
        ServiceAtLocation.objects.create(service=service, location=place)
    address = place.addresses.first()
    if not values["address_1"]:
        if address is not None:
            address.delete()
        return
    address = address or Address(location=place)
    for key, name in ADDRESS_FIELDS.items():
        setattr(address, name, values[key])
    area = Area.objects.get(code=values["area"])
    chain = [*area.ancestors(), area]
    address.region = next((a.name_ms for a in chain if a.kind == Area.Kind.DISTRICT), "")
    address.state_province = next((a.name_ms for a in chain if a.kind == Area.Kind.STATE), "")
    address.full_clean()
    address.save()
