"""Pass one of an import: read every table once, report every problem, remember only ids and the
little the second pass needs (where locations are, attributes, which services a location has).

What is remembered grows with the package, so ids are kept as 128-bit ints (`uuid.int`), not
UUID objects: a UUID object and the int inside it cost about 110 bytes, the int alone 48."""

from __future__ import annotations

import uuid
from array import array
from bisect import bisect_left
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
from .rowchecks import ROW_CHECKS, pair_key
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

# Tables a reference can name: only their ids are kept once the table has been read.
REFERENCED = (
    {target for spec in official_tables().values() for target in spec.foreign_keys.values()}
    | {target for extra in EXTRA_REFERENCES.values() for target in extra.values()}
    | set(MODELS)
)
LOW_BITS = (1 << 64) - 1


class Ids:
    """The ids of one table. While the table is read they are a set (to find an id that appears
    twice); once it is read they become two sorted arrays of the ids' halves, 16 bytes an id
    instead of about 100 for an int in a set, searched by bisection."""

    def __init__(self) -> None:
        self._reading: set[int] | None = set()
        self._high = array("Q")
        self._low = array("Q")

    def add(self, key: int) -> bool:
        """Add an id of the table being read; False when it was there already."""
        assert self._reading is not None  # noqa: S101 (narrows the type: set while a table is read)
        if key in self._reading:
            return False
        self._reading.add(key)
        return True

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, int):
            return False
        if self._reading is not None:
            return key in self._reading
        high, low = key >> 64, key & LOW_BITS
        index = bisect_left(self._high, high)
        while index < len(self._high) and self._high[index] == high:
            if self._low[index] == low:
                return True
            index += 1
        return False

    def freeze(self) -> None:
        if self._reading is None:
            return
        keys = sorted(self._reading)
        self._reading = None  # the set goes before the arrays grow
        self._high = array("Q", [key >> 64 for key in keys])
        self._low = array("Q", [key & LOW_BITS for key in keys])


@dataclass
class Checked:
    """What pass one hands to pass two."""

    findings: Findings
    areas: AreaIndex
    rows: dict[str, int] = field(default_factory=dict)
    # Ids as ints (uuid.int), see the module's docstring.
    ids: dict[str, Ids] = field(default_factory=dict)
    attributes: AttributeIndex = field(default_factory=AttributeIndex)
    placement: Placement = field(default_factory=Placement.empty)
    first_location: dict[int, int] = field(default_factory=dict)  # org -> location
    sal_service: dict[int, int] = field(default_factory=dict)  # service at location -> service
    taxonomy_code_hint: dict[int, str] = field(default_factory=dict)
    # table -> pair_key(service, other) -> id of the row linking them
    pairs: dict[str, dict[int, int]] = field(default_factory=dict)
    pair_fields: dict[str, str] = field(default_factory=dict)  # table -> field a clash names
    pending: dict[str, dict[uuid.UUID, list[Place]]] = field(default_factory=dict)

    def refer(self, target: str, value: uuid.UUID, place: Place) -> None:
        if value.int in self.ids.get(target, ()) or value in KNOWN_OUTSIDE.get(target, ()):
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
    checked.ids.clear()  # pass two needs none of them
    _check_pairs_against_database(package, checked)
    checked.pairs.clear()
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
    ids = checked.ids.setdefault(table, Ids())
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
        if record_id is not None and not ids.add(record_id.int):
            findings.problem(
                file, row_name, "id", _("%(id)s appears twice in this table") % {"id": record_id}
            )
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
    if table in REFERENCED:
        ids.freeze()
    else:  # no reference names a row of this table: its ids were needed only to find repeats
        del checked.ids[table]
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
        unresolved = [value for value in wanted if value.int not in checked.ids.get(target, ())]
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
                        (sal.int, service.int)
                        for sal, service in ServiceAtLocation.objects.filter(
                            pk__in=chunk
                        ).values_list("id", "service_id")
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


def _check_pairs_against_database(package: Package, checked: Checked) -> None:
    """A service at a location, or a service area, that the directory already has under another
    id would break a unique constraint while saving."""
    for table, model, second in (
        ("service_at_location", ServiceAtLocation, "location_id"),
        ("service_area", ServiceArea, "area_id"),
    ):
        pairs = checked.pairs.get(table, {})
        services = list({key >> 128 for key in pairs})
        clashes: list[tuple[int, uuid.UUID]] = []  # (our row's id, the directory's id)
        for start in range(0, len(services), CHUNK):
            existing = model._default_manager.filter(
                service_id__in=[uuid.UUID(int=key) for key in services[start : start + CHUNK]]
            ).values_list("id", "service_id", second)
            for record_id, service_id, other in existing:
                mine = pairs.get(pair_key(service_id, other))
                if mine is not None and mine != record_id.int:
                    clashes.append((mine, record_id))
        if clashes:
            _report_clashes(package, checked, table, clashes)


def _report_clashes(
    package: Package, checked: Checked, table: str, clashes: list[tuple[int, uuid.UUID]]
) -> None:
    """Clashes are rare: the rows they concern are found by reading the table again rather than
    by remembering the row of every pair."""
    wanted = {mine for mine, _theirs in clashes}
    rows: dict[int, RecordName] = {}
    for row_name, row in package.rows(table):
        record_id = parse_uuid(row.get("id", ""))
        if record_id is not None and record_id.int in wanted:
            rows.setdefault(record_id.int, row_name)
    file = package.file_name(table)
    for mine, theirs in clashes:
        checked.findings.problem(
            file,
            rows[mine],
            checked.pair_fields[table],
            _("the directory already has this under another id, %(id)s") % {"id": theirs},
        )
