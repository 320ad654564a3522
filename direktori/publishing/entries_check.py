"""Checking an uploaded file of directory entries: every problem of every row, by row number and
column, or what each row would change (`check`). Nothing here writes; `entries_save` does."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from direktori.accounts.bulk_invite import Problem, Row
from direktori.accounts.permissions import in_scope, is_officer
from direktori.areas.models import Area
from direktori.core.spreadsheets import date_cell
from direktori.directory import phones
from direktori.directory.models import (
    Address,
    Organization,
    Service,
    TaxonomyTerm,
)

from .entries import (
    ADDRESS_FIELDS,
    ID_COLUMNS,
    KEYS,
    NO,
    ORGANIZATION_FIELDS,
    SERVICE_FIELDS,
    TERM_COLUMNS,
    YES,
    Values,
    current_values,
    place_of,
    with_entry_data,
)

Add = Callable[[str, str], None]
SPLIT = re.compile(r"[;,\n]")
FLAGS = {YES: True, "yes": True, NO: False, "no": False, "": False}
#: Columns an organisation's rows must agree on.
SHARED = ("organization_name", "organization_kind", "area")
REQUIRED = ("organization_name", "organization_kind", "service_name", "area")


@dataclass
class Plan:
    row: int
    values: Values
    service: Service | None  # None: a new service
    changes: list[str] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        if self.service is None:
            return "new"
        return "changed" if self.changes else "unchanged"

    @property
    def name(self) -> str:
        return str(self.values["service_name"])


@dataclass
class Known:
    """What the rows refer to, fetched once for the whole file."""

    services: dict[str, Service]
    organizations: dict[str, Organization]
    areas: dict[str, Area]
    area_names: dict[str, list[Area]]
    terms: dict[str, dict[str, TaxonomyTerm]]


def check(rows: list[Row], *, actor: Any = None) -> tuple[list[Plan], list[Problem]]:
    """Every problem of every row; the plan of each row when there are none. Without `actor`
    (the command line) every area may be loaded."""
    known = _known(rows)
    plans: list[Plan] = []
    problems: list[Problem] = []
    for row in rows:
        found: list[Problem] = []

        def add(column: str, message: str, row: Row = row, found: list[Problem] = found) -> None:
            found.append(Problem(row=row.number, column=column, message=message))

        plan = _plan(row, known, actor, add)
        if plan is not None and not found:
            plans.append(plan)
        problems += found
    problems += _clashes(rows, known)
    problems.sort(key=lambda problem: (problem.row, KEYS.index(problem.column)))
    return (plans if not problems else []), problems


def _uuid(text: str) -> str | None:
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return None


def _known(rows: list[Row]) -> Known:
    ids = {key: {pk for row in rows if (pk := _uuid(row.values[key]))} for key in ID_COLUMNS}
    services = with_entry_data(Service.objects.filter(pk__in=ids["service_id"]), public=False)
    organizations = Organization.objects.filter(pk__in=ids["organization_id"])
    areas = {area.code: area for area in Area.objects.all()}
    names: dict[str, list[Area]] = {}
    for area in areas.values():
        for name in {area.name_ms.casefold(), area.name_en.casefold()} - {""}:
            names.setdefault(name, []).append(area)
    terms: dict[str, dict[str, TaxonomyTerm]] = {taxonomy: {} for taxonomy in TERM_COLUMNS.values()}
    for term in TaxonomyTerm.objects.filter(taxonomy__code__in=terms).select_related("taxonomy"):
        for name in {term.code, term.name_ms, term.name_en} - {""}:
            terms[term.taxonomy.code][name.casefold()] = term
    return Known(
        services={str(s.pk): s for s in services},
        organizations={str(o.pk): o for o in organizations.select_related("area")},
        areas=areas,
        area_names=names,
        terms=terms,
    )


def _may_load(actor: Any, area: Area | None) -> bool:
    if actor is None:
        return True
    return is_officer(actor) and in_scope(actor, area, with_grants=False)


def _plan(row: Row, known: Known, actor: Any, add: Add) -> Plan | None:
    cells = row.values
    service = _service(cells["service_id"], known, actor, add)
    organization = _organization(cells["organization_id"], service, known, actor, add)
    values = parse_row(cells, known, actor, add)
    if (cells["service_id"] and service is None) or (cells["organization_id"] and not organization):
        return None
    values["service_id"] = str(service.pk) if service else ""
    values["organization_id"] = str(organization.pk) if organization else ""
    if service is None:
        return Plan(row=row.number, values=values, service=None, changes=list(KEYS))
    current = current_values(service)
    changes = [key for key in KEYS if values[key] != current[key]]
    return Plan(row=row.number, values=values, service=service, changes=changes)


def _service(text: str, known: Known, actor: Any, add: Add) -> Service | None:
    if not text:
        return None
    key = _uuid(text)
    service = known.services.get(key) if key else None
    if service is None:
        add("service_id", _("No service has this id. Leave it empty for a new service."))
    elif not _may_load(actor, service.organization.area):
        add("service_id", _("This service is outside your area."))
    else:
        return service
    return None


def _organization(
    text: str, service: Service | None, known: Known, actor: Any, add: Add
) -> Organization | None:
    if not text:
        return service.organization if service else None
    key = _uuid(text)
    organization = known.organizations.get(key) if key else None
    if organization is None:
        add("organization_id", _("No organisation has this id."))
    elif service is not None and service.organization_id != organization.pk:
        add("organization_id", _("This service belongs to another organisation."))
    elif not _may_load(actor, organization.area):
        add("organization_id", _("This organisation is outside your area."))
    else:
        return organization
    return None


def parse_row(cells: dict[str, str], known: Known, actor: Any, add: Add) -> Values:
    """The cells as the canonical values of `entries.current_values`; each problem told."""
    values: Values = {key: cells[key] for key in KEYS}
    _model_fields(cells, values, add)
    for key in REQUIRED:
        if not cells[key]:
            add(key, _("This is required."))
    values["area"] = _area(cells["area"], known, actor, add) if cells["area"] else ""
    for key, taxonomy in TERM_COLUMNS.items():
        values[key] = _terms(key, cells[key], known.terms[taxonomy], add)
    values["phones"] = _numbers("phones", cells["phones"], add)
    values["whatsapp"] = _numbers("whatsapp", cells["whatsapp"], add)
    confidential = cells["confidential"].lower()
    if confidential not in FLAGS:
        add("confidential", _("Give ya or tidak."))
    values["confidential"] = FLAGS.get(confidential, False)
    if (cells["address_2"] or cells["city"] or cells["postcode"]) and not cells["address_1"]:
        add("address_1", _("Give the first line of the address."))
    verified_on = date_cell(cells, "verified_on", add)
    if verified_on and verified_on > timezone.localdate():
        add("verified_on", _("This date is in the future."))
    values["verified_on"] = verified_on
    return values


def _model_fields(cells: dict[str, str], values: Values, add: Add) -> None:
    """Lengths, choices and formats as the models check them."""
    for fields, model in (
        (SERVICE_FIELDS, Service),
        (ORGANIZATION_FIELDS, Organization),
        (ADDRESS_FIELDS, Address),
    ):
        for key, name in fields.items():
            if key in ("verified_on", "organization_kind") or not cells[key]:
                continue
            model_field: Any = model._meta.get_field(name)
            try:
                values[key] = model_field.clean(cells[key], None)
            except ValidationError as error:
                add(key, " ".join(error.messages))
    kind = cells["organization_kind"].lower()
    values["organization_kind"] = kind
    if kind and kind not in Organization.Kind.values:
        add(
            "organization_kind",
            _("Give one of: %(values)s.") % {"values": ", ".join(Organization.Kind.values)},
        )


def _area(text: str, known: Known, actor: Any, add: Add) -> str:
    area = known.areas.get(text)
    if area is None:
        matches = known.area_names.get(text.casefold(), [])
        if len(matches) > 1:
            add("area", _("Several areas have this name: give its code from the list sheet."))
            return ""
        area = matches[0] if matches else None
    if area is None:
        add("area", _("No area has this code or name."))
        return ""
    if not _may_load(actor, area):
        add("area", _("The area given is outside your area."))
        return ""
    return area.code


def _terms(key: str, text: str, terms: dict[str, TaxonomyTerm], add: Add) -> tuple[str, ...]:
    codes = set()
    for name in (part.strip() for part in SPLIT.split(text)):
        if not name:
            continue
        term = terms.get(name.casefold())
        if term is None:
            add(key, _("“%(name)s” is not in the list sheet.") % {"name": name})
        else:
            codes.add(term.code)
    return tuple(sorted(codes))


def _numbers(key: str, text: str, add: Add) -> tuple[str, ...]:
    numbers: list[str] = []
    for raw in (part.strip() for part in SPLIT.split(text)):
        if not raw:
            continue
        try:
            short = bool(phones.SHORT_CODE.match(re.sub(r"[\s-]", "", raw)))
            number = phones.normalise(raw, short_code=short)
        except ValidationError as error:
            add(key, " ".join(error.messages))
            continue
        if number not in numbers:
            numbers.append(number)
    return tuple(numbers)


def _clashes(rows: list[Row], known: Known) -> list[Problem]:
    """The same service twice; one organisation given two names, kinds or areas; one place given
    two addresses."""
    problems: list[Problem] = []
    first: dict[tuple[str, ...], tuple[int, tuple[str, ...]]] = {}

    def same(key: tuple[str, ...], row: Row, columns: tuple[str, ...]) -> None:
        given = tuple(row.values[column] for column in columns)
        if key not in first:
            first[key] = (row.number, given)
            return
        number, earlier = first[key]
        for column, value, other in zip(columns, given, earlier, strict=True):
            if value != other or key[0] in ("service", "new"):
                message = _("Row %(row)d gives another value for the same entry.")
                if key[0] in ("service", "new"):
                    message = _("The same service is also in row %(row)d.")
                problems.append(Problem(row.number, column, message % {"row": number}))
                return

    for row in rows:
        cells = row.values
        service = known.services.get(_uuid(cells["service_id"]) or "")
        organization = cells["organization_id"] or (
            str(service.organization_id) if service else "name:" + cells["organization_name"]
        )
        if service is not None:
            same(("service", str(service.pk)), row, ("service_id",))
            place = place_of(service)
            if place is not None:
                same(("place", str(place.pk)), row, (*ADDRESS_FIELDS, "confidential"))
        elif not cells["service_id"]:
            name = cells["service_name"].casefold()
            same(("new", organization.casefold(), name), row, ("service_name",))
        same(("organization", organization.casefold()), row, SHARED)
    return problems
