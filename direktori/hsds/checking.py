"""Pass one of an import: read every table once, report every problem, remember only ids and the
little the second pass needs (where locations are, attributes, which services a location has)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext as _

from direktori.directory.models import (
    Accessibility,
    Contact,
    Location,
    Organization,
    Phone,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

from . import profile
from .attributes import AttributeIndex, check_attribute
from .findings import Findings, not_kept_reason
from .places import AreaIndex, Placement
from .reader import Package, RecordName, Row
from .rowchecks import ROW_CHECKS
from .validation import check_field, official_tables, parse_uuid

Progress = Callable[[str, int, int | None], None]
CHUNK = 1000

# Dependency order: a table comes after the tables it refers to (self-references and attributes
# are settled at the end).
TABLE_ORDER = [
    "taxonomy",
    "taxonomy_term",
    "organization",
    "organization_identifier",
    "program",
    "service",
    "location",
    "service_at_location",
    "contact",
    "phone",
    "language",
    "address",
    "accessibility",
    "schedule",
    "service_area",
    "funding",
    "cost_option",
    "required_document",
    "attribute",
    "metadata",
    "meta_table_description",
]
TABLES_NOT_KEPT = {
    "program",
    "funding",
    "cost_option",
    "required_document",
    "meta_table_description",
}

# HSDS fields the directory keeps (or reads to link records); a value in any other field is noted.
KEPT_FIELDS: dict[str, set[str]] = {
    "organization": {"id", "name", "alternate_name", "description", "email", "website"}
    | {"parent_organization_id"},
    "service": {"id", "organization_id", "name", "alternate_name", "description", "url", "email"}
    | {"status", "application_process", "fees_description", "eligibility_description"}
    | {"assured_date", "program_id", "last_modified", "assurer_email"},
    "location": {"id", "location_type", "organization_id", "name", "description", "transportation"}
    | {"latitude", "longitude"},
    "address": set(official_tables()["address"].fields),
    "phone": set(official_tables()["phone"].fields),
    "contact": {"id", "organization_id", "service_id", "service_at_location_id", "name", "title"}
    | {"department", "email"},
    "schedule": {"id", "service_id", "location_id", "service_at_location_id", "valid_from"}
    | {"valid_to", "freq", "byday", "opens_at", "closes_at"},
    "service_area": {"id", "service_id", "name", "description", "uri"},
    "language": set(official_tables()["language"].fields),
    "accessibility": set(official_tables()["accessibility"].fields),
    "service_at_location": set(official_tables()["service_at_location"].fields),
    "organization_identifier": set(official_tables()["organization_identifier"].fields),
    "taxonomy": set(official_tables()["taxonomy"].fields),
    "taxonomy_term": {"id", "code", "name", "description", "parent_id", "taxonomy", "language"}
    | {"taxonomy_id"},
    "attribute": set(official_tables()["attribute"].fields),
    "metadata": set(official_tables()["metadata"].fields),
}

# Records a reference may name that already live in the database.
MODELS: dict[str, type[models.Model]] = {
    "organization": Organization,
    "service": Service,
    "location": Location,
    "contact": Contact,
    "service_at_location": ServiceAtLocation,
    "phone": Phone,
    "accessibility": Accessibility,
    "taxonomy": Taxonomy,
    "taxonomy_term": TaxonomyTerm,
}
# References our models need that the official package does not declare as foreign keys.
EXTRA_REFERENCES = {
    "organization": {"parent_organization_id": "organization"},
    "taxonomy_term": {"parent_id": "taxonomy_term"},
}
KNOWN_OUTSIDE = {
    "taxonomy": {profile.PROFILE_TAXONOMY_ID},
    "taxonomy_term": set(profile.TERMS_BY_ID),
}

Place = tuple[str, RecordName, str]  # file, row, field


@dataclass
class Checked:
    """What pass one hands to pass two."""

    findings: Findings
    areas: AreaIndex
    rows: dict[str, int] = field(default_factory=dict)
    ids: dict[str, set[uuid.UUID]] = field(default_factory=dict)
    attributes: AttributeIndex = field(default_factory=AttributeIndex)
    placement: Placement = field(default_factory=Placement.empty)
    first_location: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)  # org -> location
    sal_service: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)
    taxonomy_code_hint: dict[uuid.UUID, str] = field(default_factory=dict)
    pairs: dict[str, dict[tuple[uuid.UUID, object], uuid.UUID]] = field(default_factory=dict)
    pending: dict[str, dict[uuid.UUID, list[Place]]] = field(default_factory=dict)
    pair_places: dict[str, dict[uuid.UUID, Place]] = field(default_factory=dict)

    def refer(self, target: str, value: uuid.UUID, place: Place) -> None:
        if value in self.ids.get(target, ()) or value in KNOWN_OUTSIDE.get(target, ()):
            return
        self.pending.setdefault(target, {}).setdefault(value, []).append(place)


def check_package(package: Package, *, progress: Progress | None = None) -> Checked:
    checked = Checked(findings=Findings(), areas=AreaIndex())
    for note in package.notes:
        checked.findings.note_text(note)
    for table in TABLE_ORDER:
        if table in package.tables():
            _check_table(package, table, checked, progress)
    _check_references(checked)
    _check_pairs_against_database(checked)
    for location_id, address in checked.attributes.postcode_less:
        if location_id in checked.placement.unplaced:
            area = checked.areas.from_address(
                address.get("region", ""), address.get("state_province", "")
            )
            if area is not None:
                checked.placement.address_area.setdefault(location_id, area.id)
    return checked


def _check_table(package: Package, table: str, checked: Checked, progress: Progress | None) -> None:
    spec = official_tables()[table]
    file = package.file_name(table)
    findings = checked.findings
    columns = package.columns(table)
    # A JSON file holds every table: its notes name the table with the field.
    prefix = f"{table}." if package.is_json else ""
    for column in columns:
        if column not in spec.fields:
            findings.note(
                file, None, prefix + column, _("not an HSDS field of this table; not kept")
            )
    missing_columns: set[str] = set()
    if not package.is_json:  # a CSV header names the columns: a missing one is one problem
        required = {name for name, field_spec in spec.fields.items() if field_spec.required}
        missing_columns = required - set(columns)
        for name in sorted(missing_columns):
            findings.problem(file, 1, name, _("the column is missing"))
    field_specs = [spec.fields[name] for name in spec.fields if name not in missing_columns]
    references = {**spec.foreign_keys, **EXTRA_REFERENCES.get(table, {})}
    kept = KEPT_FIELDS.get(table)
    ids = checked.ids.setdefault(table, set())
    row_check = ROW_CHECKS.get(table)
    count = 0
    for row_name, row in package.rows(table):
        count += 1
        if progress is not None and count % CHUNK == 0:
            progress(_("checking %(file)s") % {"file": file}, count, None)
        bad: set[str] = set()
        for field_spec in field_specs:
            reason = check_field(field_spec, row.get(field_spec.name, ""))
            if reason is not None:
                findings.problem(file, row_name, field_spec.name, reason)
                bad.add(field_spec.name)
        record_id = parse_uuid(row.get("id", ""))
        if record_id is not None:
            if record_id in ids:
                findings.problem(
                    file,
                    row_name,
                    "id",
                    _("%(id)s appears twice in this table") % {"id": record_id},
                )
            ids.add(record_id)
        for name, target in references.items():
            value = parse_uuid(row.get(name, "")) if name not in bad else None
            if value is not None:
                checked.refer(target, value, (file, row_name, name))
        if kept is not None:
            for name, text in row.items():
                if text and name in spec.fields and name not in kept:
                    findings.note(file, row_name, prefix + name, not_kept_reason())
        if table == "attribute":
            _check_attribute_row(checked, file, row_name, row, bad)
        elif row_check is not None and record_id is not None:
            row_check(checked, file, row_name, row, record_id, bad)
    checked.rows[table] = count
    if table in TABLES_NOT_KEPT and count:
        findings.note(file, None, table if package.is_json else "", not_kept_reason())
    if progress is not None:
        progress(_("checking %(file)s") % {"file": file}, count, count)


def _check_attribute_row(
    checked: Checked, file: str, row_name: RecordName, row: Row, bad: set[str]
) -> None:
    entity = row.get("link_entity", "")
    link_id = parse_uuid(row.get("link_id", ""))
    term_id = parse_uuid(row.get("taxonomy_term_id", ""))
    if not entity or link_id is None or term_id is None or bad:
        return
    if entity not in official_tables():
        checked.findings.problem(
            file,
            row_name,
            "link_entity",
            _("“%(value)s” is not the name of an HSDS table (organization, service, location, …)")
            % {"value": entity},
        )
        return
    if entity in MODELS:
        checked.refer(entity, link_id, (file, row_name, "link_id"))
    outcome = check_attribute(
        entity=entity,
        link_id=link_id,
        term_id=term_id,
        value=row.get("value", ""),
        areas=checked.areas,
        index=checked.attributes,
    )
    if outcome is None:
        return
    kind, reason = outcome
    if kind == "problem":
        checked.findings.problem(file, row_name, "value", reason)
    else:
        checked.findings.note(file, row_name, "taxonomy_term_id", reason)


def _check_references(checked: Checked) -> None:
    """Every reference the package did not satisfy must name a record already in the directory."""
    for target, wanted in checked.pending.items():
        unresolved = [value for value in wanted if value not in checked.ids.get(target, ())]
        found: set[uuid.UUID] = set()
        model = MODELS.get(target)
        if model is not None:
            for start in range(0, len(unresolved), CHUNK):
                chunk = unresolved[start : start + CHUNK]
                found.update(
                    model._default_manager.filter(pk__in=chunk).values_list("pk", flat=True)
                )
                if target == "service_at_location":
                    checked.sal_service.update(
                        ServiceAtLocation.objects.filter(pk__in=chunk).values_list(
                            "id", "service_id"
                        )
                    )
        for value in unresolved:
            if value in found:
                continue
            for file, row_name, name in wanted[value]:
                checked.findings.problem(
                    file,
                    row_name,
                    name,
                    _("refers to %(what)s %(id)s which is not in this package or in the directory")
                    % {"what": _describe(target), "id": value},
                )
    checked.pending.clear()


def _describe(table: str) -> str:
    names = {
        "organization": _("organisation"),
        "service": _("service"),
        "location": _("location"),
        "contact": _("contact"),
        "service_at_location": _("service at location"),
        "phone": _("phone"),
        "taxonomy": _("taxonomy"),
        "taxonomy_term": _("taxonomy term"),
        "program": _("programme"),
        "accessibility": _("accessibility record"),
    }
    return names.get(table, table)


def _check_pairs_against_database(checked: Checked) -> None:
    """A service at a location, or a service area, that the directory already has under another
    id would break a unique constraint while saving."""
    for table, model, second in (
        ("service_at_location", ServiceAtLocation, "location_id"),
        ("service_area", ServiceArea, "area_id"),
    ):
        pairs = checked.pairs.get(table, {})
        services = list({service for service, _second in pairs})
        for start in range(0, len(services), CHUNK):
            existing = model._default_manager.filter(
                service_id__in=services[start : start + CHUNK]
            ).values_list("id", "service_id", second)
            for record_id, service_id, other in existing:
                mine = pairs.get((service_id, other))
                if mine is not None and mine != record_id:
                    file, row_name, name = checked.pair_places[table][mine]
                    checked.findings.problem(
                        file,
                        row_name,
                        name,
                        _("the directory already has this under another id, %(id)s")
                        % {"id": record_id},
                    )
