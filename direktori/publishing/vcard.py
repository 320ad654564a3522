"""An organisation's public contacts as a vCard 3.0 (RFC 2426, text rules of RFC 6350): UTF-8,
CRLF line ends, values escaped, lines folded at 75 octets without splitting a character. Only
public data: public phones, and the address of a public place (never a confidential one)."""

from __future__ import annotations

import uuid

from django.db.models import Prefetch

from direktori.directory import phones
from direktori.directory.models import Address, Location, Organization, Phone, Service

LINE_OCTETS = 75
TEL_TYPES: dict[str, str] = {
    Phone.Kind.VOICE: "WORK,VOICE",
    Phone.Kind.CELL: "CELL,VOICE",
    Phone.Kind.SHORT_CODE: "WORK,VOICE",
    Phone.Kind.WHATSAPP: "CELL,VOICE",
    Phone.Kind.TEXT: "CELL,MSG",
    Phone.Kind.FAX: "WORK,FAX",
}


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """The line cut into pieces of at most 75 octets, each after the first starting with a space."""
    pieces: list[str] = []
    current, size, limit = "", 0, LINE_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            pieces.append(current)
            current, size, limit = "", 0, LINE_OCTETS - 1  # the space counts
        current += char
        size += octets
    pieces.append(current)
    return "\r\n ".join(pieces)


def public_contacts(pk: uuid.UUID | str) -> Organization | None:
    """An active organisation with its public phones (or, when it has none, its active services'),
    and its public places with their addresses."""
    public = Phone.objects.public()
    return (
        Organization.objects.active()
        .prefetch_related(
            Prefetch("phones", queryset=public, to_attr="public_phones"),
            Prefetch(
                "services",
                queryset=Service.objects.active().prefetch_related(
                    Prefetch("phones", queryset=public, to_attr="public_phones")
                ),
                to_attr="active_services",
            ),
            Prefetch(
                "locations",
                queryset=Location.objects.public().prefetch_related("addresses"),
                to_attr="public_places",
            ),
        )
        .filter(pk=pk)
        .first()
    )


def _numbers(organization: Organization) -> list[Phone]:
    numbers: list[Phone] = list(getattr(organization, "public_phones", []))
    if not numbers:
        for service in getattr(organization, "active_services", []):
            numbers += getattr(service, "public_phones", [])
    seen: dict[tuple[str, str], Phone] = {}
    for phone in numbers:
        seen.setdefault((phone.kind, phone.number), phone)
    return list(seen.values())


def _address(organization: Organization) -> Address | None:
    for place in sorted(getattr(organization, "public_places", []), key=lambda p: p.name):
        addresses = list(place.addresses.all())
        if addresses:
            return addresses[0]
    return None


def vcard(organization: Organization, *, page_url: str) -> str:
    name = organization.display_name
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"FN:{escape(name)}", f"N:{escape(name)};;;;"]
    lines.append(f"ORG:{escape(name)}")
    if organization.alternate_name:
        lines.append(f"NICKNAME:{escape(organization.alternate_name)}")
    for phone in _numbers(organization):
        label = phones.display(phone.number)
        lines.append(f"TEL;TYPE={TEL_TYPES.get(phone.kind, 'VOICE')}:{escape(label)}")
        if phone.is_whatsapp:
            lines.append(f"URL;TYPE=WhatsApp:{phone.whatsapp_url}")
    if organization.email:
        lines.append(f"EMAIL;TYPE=INTERNET,WORK:{escape(organization.email)}")
    if organization.website:
        lines.append(f"URL;TYPE=WORK:{organization.website}")
    lines.append(f"URL:{page_url}")
    address = _address(organization)
    if address is not None:
        street = ", ".join(part for part in (address.address_1, address.address_2) if part)
        parts = ["", "", street, address.city, address.state_province, address.postal_code]
        lines.append("ADR;TYPE=WORK:" + ";".join(escape(part) for part in [*parts, "Malaysia"]))
    lines.append(f"UID:urn:uuid:{organization.pk}")
    lines.append("END:VCARD")
    return "".join(fold(line) + "\r\n" for line in lines)
