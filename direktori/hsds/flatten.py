"""HSDS JSON (fully nested services or organisations, a list, a single object or an API page)
flattened into the rows of the tabular package, so that one validator and one importer read both.

A nested record gets its parent's id in the field the tabular package links them by
(a phone under a service gets `service_id`); each row is named by its place in the document,
`services[3].phones[0]`, for the report. A record nested in several places (the same phone under
a service and under its contact) becomes one row that keeps every link.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext as _

Row = dict[str, str]

# (table of the parent, key of the nested value) -> (child table, field of the child naming the
# parent). A field of None means the parent names the child instead (see PARENT_NAMES_CHILD).
CHILDREN: dict[str, dict[str, tuple[str, str | None]]] = {
    "service": {
        "phones": ("phone", "service_id"),
        "schedules": ("schedule", "service_id"),
        "service_areas": ("service_area", "service_id"),
        "service_at_locations": ("service_at_location", "service_id"),
        "languages": ("language", "service_id"),
        "organization": ("organization", None),
        "funding": ("funding", "service_id"),
        "cost_options": ("cost_option", "service_id"),
        "program": ("program", None),
        "required_documents": ("required_document", "service_id"),
        "contacts": ("contact", "service_id"),
    },
    "service_at_location": {
        "contacts": ("contact", "service_at_location_id"),
        "phones": ("phone", "service_at_location_id"),
        "schedules": ("schedule", "service_at_location_id"),
        "location": ("location", None),
    },
    "organization": {
        "funding": ("funding", "organization_id"),
        "contacts": ("contact", "organization_id"),
        "phones": ("phone", "organization_id"),
        "locations": ("location", "organization_id"),
        "programs": ("program", "organization_id"),
        "organization_identifiers": ("organization_identifier", "organization_id"),
        "services": ("service", "organization_id"),
    },
    "location": {
        "languages": ("language", "location_id"),
        "addresses": ("address", "location_id"),
        "contacts": ("contact", "location_id"),
        "accessibility": ("accessibility", "location_id"),
        "phones": ("phone", "location_id"),
        "schedules": ("schedule", "location_id"),
    },
    "contact": {"phones": ("phone", "contact_id")},
    "phone": {"languages": ("language", "phone_id")},
    "attribute": {"taxonomy_term": ("taxonomy_term", None)},
    "taxonomy_term": {"taxonomy_detail": ("taxonomy", None)},
}

# When the parent names the child (service.organization_id), the parent's field.
PARENT_NAMES_CHILD: dict[tuple[str, str], str] = {
    ("service", "organization"): "organization_id",
    ("service", "program"): "program_id",
    ("service_at_location", "location"): "location_id",
    ("attribute", "taxonomy_term"): "taxonomy_term_id",
    ("taxonomy_term", "taxonomy_detail"): "taxonomy_id",
}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return str(value).strip()
    return json.dumps(value, ensure_ascii=False)


def _root_kind(record: dict[str, Any]) -> str:
    service_keys = {"status", "organization_id", "service_at_locations", "program_id"}
    return "service" if service_keys & record.keys() else "organization"


class _Flattener:
    def __init__(self) -> None:
        self.tables: dict[str, list[tuple[str, Row]]] = {}
        self.index: dict[tuple[str, str], Row] = {}

    def add(self, table: str, record: dict[str, Any], name: str) -> Row:
        row: Row = {}
        nested: list[tuple[str, Any]] = []
        for key, value in record.items():
            if isinstance(value, (dict, list)) and (
                key in CHILDREN.get(table, {}) or key in ("attributes", "metadata")
            ):
                nested.append((key, value))
            else:
                row[key] = _text(value)
        row = self._merge(table, row, name)
        for key, value in nested:
            if key == "attributes":
                for position, item in enumerate(_records(value)):
                    link = {"link_id": row.get("id", ""), "link_entity": table}
                    self._child("attribute", item, f"{name}.attributes[{position}]", link)
            elif key == "metadata":
                for position, item in enumerate(_records(value)):
                    link = {"resource_id": row.get("id", ""), "resource_type": table}
                    self._child("metadata", item, f"{name}.metadata[{position}]", link)
            else:
                child_table, link_field = CHILDREN[table][key]
                if isinstance(value, dict):
                    child = self.add(child_table, value, f"{name}.{key}")
                    field_name = PARENT_NAMES_CHILD[(table, key)]
                    if not row.get(field_name):
                        row[field_name] = child.get("id", "")
                    continue
                for position, item in enumerate(_records(value)):
                    link = {link_field: row.get("id", "")} if link_field else {}
                    self._child(child_table, item, f"{name}.{key}[{position}]", link)
        return row

    def _child(self, table: str, item: dict[str, Any], name: str, link: dict[str, str]) -> None:
        filled = {key: value for key, value in link.items() if not _text(item.get(key))}
        self.add(table, {**item, **filled}, name)

    def _merge(self, table: str, row: Row, name: str) -> Row:
        record_id = row.get("id", "")
        known = self.index.get((table, record_id)) if record_id else None
        if known is None:
            self.tables.setdefault(table, []).append((name, row))
            if record_id:
                self.index[(table, record_id)] = row
            return row
        for key, value in row.items():
            if value and not known.get(key):
                known[key] = value
        return known


def _records(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, dict)]


def flatten_json(document: Any) -> dict[str, list[tuple[str, Row]]]:
    """Table name -> [(record name, row)] for a JSON document of services or organisations."""
    if isinstance(document, dict) and isinstance(document.get("contents"), list):
        document = document["contents"]  # an API page
    flattener = _Flattener()
    if isinstance(document, dict):
        kind = _root_kind(document)
        flattener.add(kind, document, kind)
    elif isinstance(document, list) and all(isinstance(item, dict) for item in document):
        for position, item in enumerate(document):
            kind = _root_kind(item)
            plural = "services" if kind == "service" else "organizations"
            flattener.add(kind, item, f"{plural}[{position}]")
    else:
        raise ValueError(
            _("The JSON file is neither a service or organisation nor a list of them.")
        )
    return flattener.tables
