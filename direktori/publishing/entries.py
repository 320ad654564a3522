"""Directory entries as spreadsheet rows: one row per service with its organisation
(docs/how-to/spreadsheets.md).

The same columns serve the template, both exports and the import, so that an exported file
imports back as "unchanged". `current_values` reads a service as the canonical value of every
column (numbers in E.164, term codes sorted, the area's code, dates); `cell_texts` writes those
values as cells; `entries_check.parse_row` reads cells back into the same canonical values, and
a row changes exactly the columns whose values differ.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from direktori.accounts.bulk_invite import Row
from direktori.core.spreadsheets import FORMULA_STARTS, read_upload, rows_below_header
from direktori.directory import phones
from direktori.directory.models import (
    Location,
    Phone,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from direktori.directory.models.taxonomy import SERVICE_CATEGORIES, TARGET_GROUPS

MAX_ROWS = 2000
YES, NO = "ya", "tidak"
LIST_SEPARATOR = "; "


@dataclass(frozen=True)
class Column:
    key: str
    label_ms: str
    label_en: str

    @property
    def header(self) -> str:
        # Bilingual on purpose: the same file goes to Malay and English speakers.
        return f"{self.key} ({self.label_ms} / {self.label_en})"


COLUMNS = (
    Column("service_id", "ID perkhidmatan, kosong jika baharu", "service id, empty if new"),
    Column("organization_id", "ID organisasi", "organisation id"),
    Column("organization_name", "Nama organisasi", "organisation name"),
    Column("organization_kind", "Jenis organisasi", "organisation kind"),
    Column("service_name", "Nama perkhidmatan", "service name"),
    Column("service_name_en", "Nama perkhidmatan (Inggeris)", "service name in English"),
    Column("description_ms", "Keterangan", "description in Malay"),
    Column("description_en", "Keterangan (Inggeris)", "description in English"),
    Column("eligibility_ms", "Kelayakan", "eligibility in Malay"),
    Column("eligibility_en", "Kelayakan (Inggeris)", "eligibility in English"),
    Column("target_groups", "Kumpulan sasar", "target groups"),
    Column("categories", "Kategori", "categories"),
    Column("area", "Kawasan (kod DOSM atau nama)", "area (DOSM code or name)"),
    Column("address_1", "Alamat", "address"),
    Column("address_2", "Alamat (sambungan)", "address continued"),
    Column("city", "Bandar", "town"),
    Column("postcode", "Poskod", "postcode"),
    Column("confidential", "Sulit (ya/tidak)", "confidential (ya/tidak)"),
    Column("phones", "Telefon", "phones"),
    Column("whatsapp", "WhatsApp", "WhatsApp"),
    Column("email", "E-mel", "email"),
    Column("website", "Laman web", "website"),
    Column("hours_note_ms", "Waktu operasi", "opening hours note in Malay"),
    Column("hours_note_en", "Waktu operasi (Inggeris)", "opening hours note in English"),
    Column("verified_on", "Disahkan pada (YYYY-MM-DD)", "verified on (YYYY-MM-DD)"),
)
KEYS = tuple(column.key for column in COLUMNS)
#: Columns read from and written to a model field of the same meaning.
SERVICE_FIELDS = {
    "service_name": "name",
    "service_name_en": "name_en",
    "description_ms": "description_ms",
    "description_en": "description_en",
    "eligibility_ms": "eligibility_ms",
    "eligibility_en": "eligibility_en",
    "email": "email",
    "website": "url",
    "hours_note_ms": "hours_note_ms",
    "hours_note_en": "hours_note_en",
    "verified_on": "verified_on",
}
ORGANIZATION_FIELDS = {"organization_name": "name", "organization_kind": "kind"}
ADDRESS_FIELDS = {
    "address_1": "address_1",
    "address_2": "address_2",
    "city": "city",
    "postcode": "postal_code",
}
PLACE_COLUMNS = (*ADDRESS_FIELDS, "confidential")
TERM_COLUMNS = {"target_groups": TARGET_GROUPS, "categories": SERVICE_CATEGORIES}
PHONE_COLUMNS = ("phones", "whatsapp")
ID_COLUMNS = ("service_id", "organization_id")

Values = dict[str, Any]


# Reading a service -------------------------------------------------------------------------------


def with_entry_data(services: QuerySet[Service], *, public: bool) -> QuerySet[Service]:
    """What `current_values` reads, in a fixed number of queries. `public`: only public places
    (never a confidential location or its address); phones are always the public ones of the
    service itself (a confidential phone has no column, and an import leaves it alone)."""
    places = Location.objects.public() if public else Location.objects.all()
    at = ServiceAtLocation.objects.filter(location__in=places).select_related("location")
    return services.select_related("organization", "organization__area").prefetch_related(
        Prefetch("terms", queryset=TaxonomyTerm.objects.select_related("taxonomy")),
        Prefetch("phones", queryset=own_phones(), to_attr="own_phones"),
        Prefetch("service_at_locations", queryset=at.prefetch_related("location__addresses")),
        Prefetch(
            "organization__locations",
            queryset=places.prefetch_related("addresses"),
            to_attr="entry_places",
        ),
    )


def own_phones() -> QuerySet[Phone]:
    """The service's own public numbers: not a location's, a contact's or a confidential one."""
    return (
        Phone.objects.public()
        .filter(location__isnull=True, contact__isnull=True)
        .order_by("position", "pk")
    )


def place_of(service: Service) -> Location | None:
    """Where the service is given, or else where its organisation is (as its page shows)."""
    own = sorted(
        (at.location for at in service.service_at_locations.all()),
        key=lambda place: (place.name, str(place.pk)),
    )
    if own:
        return own[0]
    places = sorted(
        getattr(service.organization, "entry_places", []),
        key=lambda place: (place.name, str(place.pk)),
    )
    return places[0] if places else None


def current_values(service: Service) -> Values:
    organization = service.organization
    values: Values = {
        "service_id": str(service.pk),
        "organization_id": str(organization.pk),
        "organization_name": organization.name.strip(),
        "organization_kind": organization.kind,
        "area": organization.area.code,
    }
    for key, name in SERVICE_FIELDS.items():
        value = getattr(service, name)
        values[key] = value.strip() if isinstance(value, str) else value
    for key, taxonomy in TERM_COLUMNS.items():
        values[key] = tuple(
            sorted(term.code for term in service.terms.all() if term.taxonomy.code == taxonomy)
        )
    numbers = getattr(service, "own_phones", [])
    values["whatsapp"] = tuple(p.number for p in numbers if p.kind == Phone.Kind.WHATSAPP)
    values["phones"] = tuple(p.number for p in numbers if p.kind != Phone.Kind.WHATSAPP)
    values.update(place_values(place_of(service)))
    return values


def place_values(place: Location | None) -> Values:
    address = place.addresses.all()[0] if place is not None and place.addresses.all() else None
    values: Values = {
        key: getattr(address, name).strip() if address else ""
        for key, name in ADDRESS_FIELDS.items()
    }
    values["confidential"] = bool(place and place.is_confidential)
    return values


# Writing cells -----------------------------------------------------------------------------------


def cell_texts(values: Values) -> list[str]:
    """A row's cells, in the order of COLUMNS."""
    return [cell_text(key, values.get(key)) for key in KEYS]


def cell_text(key: str, value: Any) -> str:
    if key in PHONE_COLUMNS:
        return LIST_SEPARATOR.join(phones.display(number) for number in value or ())
    if key in TERM_COLUMNS:
        return LIST_SEPARATOR.join(value or ())
    if key == "confidential":
        return YES if value else NO
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)


def rows_of(services: Iterable[Service]) -> list[list[str]]:
    return [cell_texts(current_values(service)) for service in services]


# Reading a file ----------------------------------------------------------------------------------


def read(upload: Any) -> list[Row]:
    return table_rows(read_upload(upload, max_rows=MAX_ROWS, max_columns=len(COLUMNS) + 10))


def unguarded(text: str) -> str:
    """A cell as it was before the export's formula guard put a quote before it."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def table_rows(table: Iterable[list[str]]) -> list[Row]:
    return rows_below_header(
        table,
        columns=KEYS,
        max_rows=MAX_ROWS,
        too_many=_("A file may hold at most %(count)d rows."),
        none_below=_("The file has no entries below its first row."),
        cell=unguarded,
    )
