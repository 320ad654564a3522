"""The real agencies beside the Sepang demo: national hotlines and services, and the government
hospitals and clinics of Sepang district.

Their public contacts are taken exactly as the source lists give them (`data/national_services.csv`,
`data/moh_facilities.csv`). Nothing is invented: where a list has no phone number, address or hours,
the entry has none, and the district office completes it later.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import phonenumbers

from direktori.areas.geo import DistrictLocator
from direktori.areas.models import Area
from direktori.areas.services import COUNTRY_CODE

from .models import Address, Location, Organization, Phone, Service, ServiceArea, ServiceAtLocation
from .reference import DATA_DIR
from .seeding import ALL_WEEK, Seeder, coordinate

NATIONAL_SERVICES_CSV = DATA_DIR / "national_services.csv"
MOH_FACILITIES_CSV = DATA_DIR / "moh_facilities.csv"
MOH_SOURCE = "MOH facilities list 2024-09"
SEPANG_CODE = "10_7"
ALL_DAY_HOURS = "24 jam"

TARGET_GROUPS = {
    "kanak-kanak": "children",
    "oku": "disability",
    "warga-emas": "elderly",
    "keganasan-rumah-tangga": "domestic_violence",
    "keluarga": "family",
    "wanita": "women",
}
EVERYONE = "semua"

KINDS = {
    "hotline": Organization.Kind.HOTLINE,
    "ngo": Organization.Kind.NGO,
    "crisis_centre": Organization.Kind.GOVERNMENT,
    "welfare_office": Organization.Kind.GOVERNMENT,
    "police": Organization.Kind.GOVERNMENT,
}
CATEGORIES_BY_KIND = {
    "hotline": ("helpline",),
    "ngo": ("helpline", "counselling"),
    "crisis_centre": ("crisis_centre", "emergency", "health"),
    "welfare_office": ("welfare", "financial_aid"),
    "police": ("police", "emergency"),
}
CATEGORIES_BY_NAME = {
    "Talian Kasih": ("helpline", "counselling", "welfare"),
    "Talian Kecemasan 999": ("emergency", "police", "health"),
    "Women's Aid Organisation (WAO)": ("helpline", "counselling", "shelter"),
}

# What each agency is, in a sentence. Descriptions only: contacts and hours come from the CSV.
DESCRIPTIONS = {
    "Talian Kasih": (
        "Talian bantuan Kementerian Pembangunan Wanita, Keluarga dan Masyarakat (KPWKM) untuk "
        "melaporkan penderaan dan keganasan rumah tangga serta mendapatkan sokongan.",
        "The helpline of the Ministry of Women, Family and Community Development (KPWKM) to report "
        "abuse and domestic violence and to get support.",
    ),
    "Talian Kecemasan 999": (
        "Talian kecemasan kebangsaan untuk polis, ambulans dan bomba.",
        "The national emergency number for the police, ambulances and the fire brigade.",
    ),
    "Women's Aid Organisation (WAO)": (
        "Pertubuhan bukan kerajaan yang membantu mangsa keganasan rumah tangga.",
        "A non-governmental organisation that helps survivors of domestic violence.",
    ),
    "crisis_centre": (
        "Pusat Krisis Sehenti (OSCC) di Jabatan Kecemasan hospital untuk mangsa keganasan rumah "
        "tangga, rogol dan penderaan kanak-kanak.",
        "The One Stop Crisis Centre (OSCC) at the hospital's Emergency Department for survivors of "
        "domestic violence, rape and child abuse.",
    ),
    "welfare_office": (
        "Pejabat Kebajikan Masyarakat Daerah (JKM): laporan dan bantuan untuk kanak-kanak, OKU, "
        "warga emas, keluarga dan mangsa keganasan rumah tangga.",
        "The district social welfare office (JKM): reports and help for children, persons with "
        "disabilities, older people, families and survivors of domestic violence.",
    ),
    "police": (
        "Ibu pejabat polis daerah: laporan polis, termasuk laporan keganasan rumah tangga.",
        "The district police headquarters: police reports, including reports of domestic violence.",
    ),
}
HOURS_IN_ENGLISH = {
    "24 jam (Jabatan Kecemasan)": "24 hours (Emergency Department)",
    "Isnin-Jumaat waktu pejabat": "Monday to Friday, office hours",
}

# The MOH list and the SDDSA place list spell some places differently, and shorten others.
PLACE_ALIASES = {"dato abu bakar baginda": "dato bakar baginda"}
ABBREVIATIONS = {"sg": "sungai", "kg": "kampung"}
TOWN_PREFIXES = ("pekan ", "bandar ")


@dataclass(frozen=True)
class Facility:
    name: str
    type: str
    address: str
    phone: str
    latitude: float
    longitude: float


def real_directory_seed(*, seeder: Seeder) -> list[Organization]:
    country = Area.objects.get(code=COUNTRY_CODE)
    sepang = Area.objects.get(code=SEPANG_CODE)
    locator = DistrictLocator.from_database()
    localities = list(Area.objects.within(sepang).of_kind(Area.Kind.LOCALITY))
    hospitals: dict[str, tuple[Organization, Location]] = {}
    organizations = []
    for facility in sepang_facilities():
        organization, location = _facility_seed(
            seeder=seeder, facility=facility, locator=locator, localities=localities
        )
        organizations.append(organization)
        hospitals[facility.name] = (organization, location)
    with NATIONAL_SERVICES_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            organizations.append(
                _national_seed(seeder=seeder, row=row, country=country, hospitals=hospitals)
            )
    return organizations


def sepang_facilities(path: Path = MOH_FACILITIES_CSV) -> list[Facility]:
    with path.open(encoding="utf-8") as handle:
        return [
            Facility(
                name=row["name"].strip(),
                type=row["type"],
                address=row["address"].strip(),
                phone=row["phone"],
                latitude=float(row["lat"]),
                longitude=float(row["lon"]),
            )
            for row in csv.DictReader(handle)
            if row["state"] == "Selangor" and row["district"] == "Sepang"
        ]


def split_numbers(text: str) -> list[str]:
    """The MOH list puts several numbers in one field: "06-3573201 / 0122936098"."""
    return [part.strip() for part in re.split(r"[/,;]", text) if part.strip()]


def _national_seed(
    *,
    seeder: Seeder,
    row: dict[str, str],
    country: Area,
    hospitals: dict[str, tuple[Organization, Location]],
) -> Organization:
    kind = row["kind"]
    key = f"real:national:{row['name_ms']}"
    hospital = _hospital_of(row["name_ms"], hospitals) if kind == "crisis_centre" else None
    if hospital is not None:
        area = hospital[0].area
    elif row["district"]:
        area = _district(row)
    else:
        area = country
    description_ms, description_en = DESCRIPTIONS.get(row["name_ms"]) or DESCRIPTIONS.get(
        kind, ("", "")
    )
    organization = seeder.upsert(
        Organization,
        key=key,
        kind=KINDS[kind],
        name=row["name_ms"],
        name_en=row["name_en"],
        description_ms=description_ms,
        description_en=description_en,
        area=area,
        parent_organization=hospital[0] if hospital else None,
        is_demo=False,
        source=f"{row['source']} ({row['status']})",
        verified_on=None,
        verified_by=None,
    )
    hours = row["hours"].strip()
    note_ms = "" if hours == ALL_DAY_HOURS else hours
    service = seeder.upsert(
        Service,
        key=f"{key}/service",
        organization=organization,
        name=row["name_ms"],
        name_en=row["name_en"],
        description_ms=description_ms,
        description_en=description_en,
        hours_note_ms=note_ms,
        hours_note_en=HOURS_IN_ENGLISH.get(note_ms, ""),
        verified_on=None,
        verified_by=None,
    )
    groups = row["target_groups"].split(";")
    seeder.terms_set(
        service,
        [
            *(TARGET_GROUPS.values() if EVERYONE in groups else (TARGET_GROUPS[g] for g in groups)),
            *CATEGORIES_BY_NAME.get(row["name_ms"], CATEGORIES_BY_KIND[kind]),
        ],
    )
    seeder.upsert(ServiceArea, key=f"{key}/serves", service=service, area=area)
    if hospital is not None:
        seeder.upsert(ServiceAtLocation, key=f"{key}/at", service=service, location=hospital[1])
    if hours.startswith(ALL_DAY_HOURS):
        seeder.hours_upsert(key=key, service=service, days=ALL_WEEK)
    if row["phone"]:
        short_code = kind == "hotline" and row["phone"].isdigit()
        seeder.phone_upsert(
            key=f"{key}/phone",
            service=service,
            kind=Phone.Kind.SHORT_CODE if short_code else Phone.Kind.VOICE,
            number=row["phone"],
        )
    if row["whatsapp"]:
        seeder.phone_upsert(
            key=f"{key}/whatsapp",
            service=service,
            kind=Phone.Kind.WHATSAPP,
            number=row["whatsapp"],
            position=1,
        )
    return organization


def _hospital_of(
    name: str, hospitals: dict[str, tuple[Organization, Location]]
) -> tuple[Organization, Location] | None:
    match = re.search(r"\b(Hospital .+)$", name)
    return hospitals.get(match.group(1)) if match else None


def _district(row: dict[str, str]) -> Area:
    state = Area.objects.states().by_code_or_name(row["state"]).get()
    return Area.objects.districts().within(state).by_code_or_name(row["district"]).get()


def _facility_seed(
    *, seeder: Seeder, facility: Facility, locator: DistrictLocator, localities: list[Area]
) -> tuple[Organization, Location]:
    key = f"real:moh:{facility.name}"
    district = locator.district_at(facility.latitude, facility.longitude)
    if district is None:
        raise ValueError(f"{facility.name} lies outside every district: check its coordinates.")
    locality = locality_named_in(
        name=facility.name, address=facility.address, localities=localities
    )
    area = locality if locality and locality.path.startswith(district.path) else district
    is_hospital = facility.type == "hospital"
    description_ms, description_en = (
        ("Hospital kerajaan (Kementerian Kesihatan Malaysia).",
         "Government hospital (Ministry of Health Malaysia).")
        if is_hospital
        else ("Klinik kesihatan kerajaan (Kementerian Kesihatan Malaysia).",
              "Government health clinic (Ministry of Health Malaysia).")
    )  # fmt: skip
    organization = seeder.upsert(
        Organization,
        key=key,
        kind=Organization.Kind.GOVERNMENT,
        name=facility.name,
        alternate_name=_abbreviated(facility.name),
        description_ms=description_ms,
        description_en=description_en,
        area=area,
        is_demo=False,
        source=MOH_SOURCE,
        verified_on=None,
        verified_by=None,
    )
    location = seeder.upsert(
        Location,
        key=f"{key}/location",
        organization=organization,
        name=facility.name,
        latitude=coordinate(facility.latitude),
        longitude=coordinate(facility.longitude),
        area=area,
    )
    street, postcode, town = _address_parts(facility.address)
    seeder.upsert(
        Address,
        key=f"{key}/address",
        location=location,
        address_1=street,
        postal_code=postcode,
        city=town,
        region=district.name_ms,
        state_province=district.parent.name_ms if district.parent else "",
    )
    service = seeder.upsert(
        Service,
        key=f"{key}/service",
        organization=organization,
        name=facility.name,
        alternate_name=_abbreviated(facility.name),
        description_ms=description_ms,
        description_en=description_en,
        verified_on=None,
        verified_by=None,
    )
    seeder.terms_set(
        service,
        ("children", "disability", "elderly", "domestic_violence", "family", "women",
         "health", "emergency")
        if is_hospital
        else ("children", "elderly", "family", "women", "health"),
    )  # fmt: skip
    seeder.upsert(ServiceAtLocation, key=f"{key}/at", service=service, location=location)
    seeder.upsert(
        ServiceArea, key=f"{key}/serves", service=service, area=district if is_hospital else area
    )
    for position, number in enumerate(split_numbers(facility.phone)):
        seeder.phone_upsert(
            key=f"{key}/phone/{position}",
            service=service,
            kind=_voice_or_cell(number),
            number=number,
            position=position,
        )
    return organization, location


def locality_named_in(*, name: str, address: str, localities: list[Area]) -> Area | None:
    """The locality a facility's name or address names, the longest name winning.

    A town is also recognised without its "Pekan"/"Bandar" prefix, but only in the facility's own
    name: "KK Dengkil" is in Pekan Dengkil, whereas "…, Dengkil" in an address is the postal town.
    """
    name_text, address_text = _words(name), _words(address)
    found: list[tuple[int, Area]] = []
    for locality in localities:
        full = _words(locality.name_ms).strip()
        short = [full.removeprefix(p) for p in TOWN_PREFIXES if full.startswith(p)]
        found += [(len(n), locality) for n in (full, *short) if f" {n} " in name_text]
        if f" {full} " in address_text:
            found.append((len(full), locality))
    return max(found, key=lambda pair: pair[0])[1] if found else None


def _words(text: str) -> str:
    words = [ABBREVIATIONS.get(word, word) for word in re.findall(r"[a-z0-9]+", text.lower())]
    joined = " ".join(words)
    for spelling, canonical in PLACE_ALIASES.items():
        joined = joined.replace(spelling, canonical)
    return f" {joined} "


def _abbreviated(name: str) -> str:
    """The short name people use: "KD Geching" for "Klinik Desa (KD) Geching"."""
    match = re.match(r"^.*?\((\w+)\)\s*(.+)$", name)
    return f"{match.group(1)} {match.group(2)}" if match else ""


def _address_parts(address: str) -> tuple[str, str, str]:
    """Street, postcode and town when the address ends like "63000 Cyberjaya"; else the text."""
    match = re.match(r"^(.*?),?\s*(\d{5})\s+([^,\d]+)$", address)
    if match:
        return match.group(1).strip(), match.group(2), match.group(3).strip()
    return address, "", ""


def _voice_or_cell(number: str) -> str:
    parsed = phonenumbers.parse(number, "MY")
    if phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.MOBILE:
        return Phone.Kind.CELL
    return Phone.Kind.VOICE
