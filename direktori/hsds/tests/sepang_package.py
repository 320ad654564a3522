"""A small, realistic HSDS package of Sepang records for the import tests, written as CSV."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from direktori.hsds import profile
from direktori.hsds.profile import Term
from direktori.hsds.validation import official_tables

Tables = dict[str, list[dict[str, Any]]]

TAXONOMY = "7b0c6a52-0a41-4d1e-9a43-1f7e1c1e0001"
TERM_ELDERLY = "7b0c6a52-0a41-4d1e-9a43-1f7e1c1e0002"
TERM_CHILDREN = "7b0c6a52-0a41-4d1e-9a43-1f7e1c1e0003"
ORG_CBO = "0a000000-0000-4000-8000-000000000001"
ORG_JKM = "0a000000-0000-4000-8000-000000000002"
ORG_NGO = "0a000000-0000-4000-8000-000000000003"
SVC_ELDERLY = "0b000000-0000-4000-8000-000000000001"
SVC_WELFARE = "0b000000-0000-4000-8000-000000000002"
SVC_HELPLINE = "0b000000-0000-4000-8000-000000000003"
LOC_DENGKIL = "0c000000-0000-4000-8000-000000000001"
LOC_SALAK = "0c000000-0000-4000-8000-000000000002"
LOC_ADDRESS_ONLY = "0c000000-0000-4000-8000-000000000003"
LOC_SERVICE_AREA = "0c000000-0000-4000-8000-000000000004"
LOC_NOWHERE = "0c000000-0000-4000-8000-000000000005"
PHONE_OFFICE = "0d000000-0000-4000-8000-000000000001"
PHONE_SHORT = "0d000000-0000-4000-8000-000000000002"
PHONE_WHATSAPP = "0d000000-0000-4000-8000-000000000003"
SCHEDULE_WEEKDAYS = "0e000000-0000-4000-8000-000000000001"
SCHEDULE_MONDAY = "0e000000-0000-4000-8000-000000000002"
SCHEDULE_MONTHLY = "0e000000-0000-4000-8000-000000000003"
CONTACT = "0f000000-0000-4000-8000-000000000001"


def attribute(entity: str, link_id: str, term: Term | str, value: object = None) -> dict:
    term_id = str(profile.TERM_IDS[term]) if isinstance(term, Term) else term
    if isinstance(value, dict):
        value = json.dumps(value)
    return {
        "id": str(profile.attribute_id(link_id, term_id)),
        "link_id": link_id,
        "taxonomy_term_id": term_id,
        "link_type": term.value if isinstance(term, Term) else "kumpulan-sasar",
        "link_entity": entity,
        "value": value,
    }


def sepang_tables() -> Tables:
    return {
        "taxonomy": [
            {"id": TAXONOMY, "name": "Kumpulan sasar ujian", "description": "Untuk ujian"},
        ],
        "taxonomy_term": [
            {
                "id": TERM_ELDERLY,
                "code": "warga-emas",
                "name": "Warga emas",
                "description": "Warga emas",
                "taxonomy": "kumpulan-ujian",
                "taxonomy_id": TAXONOMY,
            },
            {
                "id": TERM_CHILDREN,
                "code": "kanak-kanak",
                "name": "Kanak-kanak",
                "description": "Kanak-kanak",
                "taxonomy": "kumpulan-ujian",
                "taxonomy_id": TAXONOMY,
            },
        ],
        "organization": [
            {
                "id": ORG_CBO,
                "name": "Pertubuhan Komuniti Dengkil",
                "description": "CBO kampung untuk warga emas dan keluarga di Dengkil.",
            },
            {
                "id": ORG_JKM,
                "name": "Pejabat Kebajikan Masyarakat Daerah Sepang",
                "description": "Pejabat Kebajikan Masyarakat Daerah Sepang",
                "website": "https://www.jkm.gov.my",
            },
            {
                "id": ORG_NGO,
                "name": "Persatuan Sokongan Keluarga Sepang",
                "description": "Persatuan Sokongan Keluarga Sepang",
                "email": "info@example.org",
            },
        ],
        "service": [
            {
                "id": SVC_ELDERLY,
                "organization_id": ORG_CBO,
                "name": "Ziarah Warga Emas",
                "description": "Lawatan mingguan ke rumah warga emas.",
                "status": "active",
                "assured_date": "2025-06-01",
            },
            {
                "id": SVC_WELFARE,
                "organization_id": ORG_JKM,
                "name": "Bantuan Kanak-kanak",
                "status": "active",
                "eligibility_description": "Isi rumah berpendapatan rendah",
            },
            {
                "id": SVC_HELPLINE,
                "organization_id": ORG_NGO,
                "name": "Talian Kasih",
                "status": "active",
            },
        ],
        "location": [
            {
                "id": LOC_DENGKIL,
                "location_type": "physical",
                "organization_id": ORG_CBO,
                "name": "Balai Raya Dengkil",
                "latitude": "2.86",
                "longitude": "101.68",
            },
            {
                "id": LOC_SALAK,
                "location_type": "physical",
                "organization_id": ORG_JKM,
                "name": "JKM Sepang, Salak Tinggi",
                "latitude": "2.82",
                "longitude": "101.73",
            },
            {
                "id": LOC_ADDRESS_ONLY,
                "location_type": "physical",
                "organization_id": ORG_NGO,
                "name": "Pejabat persatuan",
            },
            {
                "id": LOC_SERVICE_AREA,
                "location_type": "virtual",
                "organization_id": ORG_NGO,
                "name": "Talian",
            },
            {
                "id": LOC_NOWHERE,
                "location_type": "physical",
                "organization_id": ORG_NGO,
                "name": "Stor",
            },
        ],
        "address": [
            {
                "id": "10000000-0000-4000-8000-000000000001",
                "location_id": LOC_DENGKIL,
                "address_1": "Jalan Besar",
                "city": "Dengkil",
                "region": "Sepang",
                "state_province": "Selangor",
                "postal_code": "43800",
                "country": "MY",
                "address_type": "physical",
            },
            {
                "id": "10000000-0000-4000-8000-000000000003",
                "location_id": LOC_ADDRESS_ONLY,
                "address_1": "No. 5, Jalan Seroja",
                "city": "Salak Tinggi",
                "region": "SEPANG",
                "state_province": "selangor",
                "postal_code": "43900",
                "country": "MY",
                "address_type": "physical",
            },
        ],
        "service_at_location": [
            {
                "id": "11000000-0000-4000-8000-000000000001",
                "service_id": SVC_ELDERLY,
                "location_id": LOC_DENGKIL,
            },
            {
                "id": "11000000-0000-4000-8000-000000000002",
                "service_id": SVC_WELFARE,
                "location_id": LOC_SALAK,
            },
            {
                "id": "11000000-0000-4000-8000-000000000003",
                "service_id": SVC_HELPLINE,
                "location_id": LOC_SERVICE_AREA,
            },
        ],
        "phone": [
            {
                "id": PHONE_OFFICE,
                "service_id": SVC_WELFARE,
                "number": "03-8706 4000",
                "type": "voice",
            },
            {
                "id": PHONE_SHORT,
                "service_id": SVC_HELPLINE,
                "number": "15999",
                "type": "short_code",
                "description": "Talian Kasih 24 jam",
            },
            {
                "id": PHONE_WHATSAPP,
                "organization_id": ORG_NGO,
                "number": "019-261 5999",
                "type": "whatsapp",
            },
        ],
        "contact": [
            {
                "id": CONTACT,
                "organization_id": ORG_CBO,
                "name": "Puan Aminah binti Ali",
                "title": "Pengerusi",
            },
        ],
        "schedule": [
            {
                "id": SCHEDULE_WEEKDAYS,
                "service_id": SVC_ELDERLY,
                "freq": "WEEKLY",
                "byday": "MO,TU,WE",
                "opens_at": "08:00:00",
                "closes_at": "17:00:00",
            },
            {
                "id": SCHEDULE_MONDAY,
                "service_id": SVC_HELPLINE,
                "freq": "WEEKLY",
                "byday": "MO",
                "opens_at": "00:00:00",
                "closes_at": "23:59:59",
            },
            {
                "id": SCHEDULE_MONTHLY,
                "service_id": SVC_WELFARE,
                "freq": "MONTHLY",
                "bymonthday": "1",
                "opens_at": "09:00:00",
                "closes_at": "12:00:00",
            },
        ],
        "service_area": [
            {
                "id": "12000000-0000-4000-8000-000000000001",
                "service_id": SVC_HELPLINE,
                "name": "Sepang",
                "uri": profile.area_urn("10_7"),
            },
            {
                "id": "12000000-0000-4000-8000-000000000002",
                "service_id": SVC_WELFARE,
                "name": "Selangor",
            },
        ],
        "attribute": [
            attribute("organization", ORG_CBO, Term.ORGANIZATION_KIND, "cbo"),
            attribute("organization", ORG_CBO, Term.ORGANIZATION_STATUS, "active"),
            attribute("organization", ORG_CBO, Term.AREA, "10_7:dengkil"),
            attribute("organization", ORG_CBO, Term.SOURCE, "Senarai CBO KPWKM 2025"),
            attribute("organization", ORG_CBO, Term.VERIFIED_ON, "2025-06-01"),
            attribute(
                "organization",
                ORG_CBO,
                Term.TRANSLATION_EN,
                {"name": "Dengkil Community Association"},
            ),
            attribute("organization", ORG_JKM, Term.ORGANIZATION_KIND, "government"),
            attribute("organization", ORG_JKM, Term.AREA, "10_7"),
            attribute(
                "service",
                SVC_ELDERLY,
                Term.TRANSLATION_EN,
                {"name": "Visits to the elderly", "description": "Weekly home visits."},
            ),
            attribute("service", SVC_ELDERLY, Term.HOURS_NOTE, "Kecuali cuti umum"),
            attribute("service", SVC_ELDERLY, TERM_ELDERLY),
            attribute("service", SVC_WELFARE, TERM_CHILDREN),
            attribute("location", LOC_DENGKIL, Term.AREA, "10_7:dengkil"),
            attribute("contact", CONTACT, Term.LISTED_PUBLICLY, "true"),
        ],
    }


def write_tables(folder: Path, tables: Tables, *, descriptor: bool = True) -> Path:
    """Write the tables as the CSV files of a tabular package, with the official datapackage."""
    folder.mkdir(parents=True, exist_ok=True)
    specs = official_tables()
    for table, rows in tables.items():
        names = list(specs[table].fields)
        with (folder / specs[table].path).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=names)
            writer.writeheader()
            for row in rows:
                writer.writerow(
                    {name: "" if row.get(name) is None else row[name] for name in names}
                )
    if descriptor:
        from direktori.hsds.validation import SPEC_PATH

        (folder / "datapackage.json").write_bytes(SPEC_PATH.read_bytes())
    return folder
