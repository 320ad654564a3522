"""What a district booklet shows, read in a fixed number of queries (no query per organisation).

Only active records; never a confidential location, address or phone (`Location.objects.public()`,
`Phone.objects.public()`); committee members only when they consented (`Person.listed_publicly`).
The district's organisations are those whose area is the district or below it, plus those with a
public location in it; the national helplines are the active organisations whose area is the
country. Nothing from another district.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from direktori.areas.models import Area
from direktori.directory.models import (
    Address,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from direktori.directory.models.details import Weekday
from direktori.members.models import Membership
from direktori.members.templatetags.members import public_row

#: The categories of the emergency page's district contacts (data/taxonomies.csv).
EMERGENCY_CATEGORIES = ("police", "welfare", "crisis_centre")


@dataclass
class PhoneLine:
    display: str
    is_whatsapp: bool
    note: str = ""


@dataclass
class ServiceEntry:
    name: str
    eligibility: str
    fees: str
    hours: list[str]


@dataclass
class Entry:
    organization: Organization
    name: str
    kind: str
    description: str
    services: list[ServiceEntry]
    phones: list[PhoneLine]
    addresses: list[str]
    verified_on: datetime.date | None
    committee: list[dict[str, str]]
    target_groups: list[TaxonomyTerm]
    categories: list[TaxonomyTerm]
    place: str = ""
    qr: str = ""

    @property
    def anchor(self) -> str:
        return f"org-{self.organization.pk}"


@dataclass
class PlaceSection:
    title: str
    anchor: str
    entries: list[Entry] = field(default_factory=list)


@dataclass
class GroupSection:
    term: TaxonomyTerm
    anchor: str
    places: list[PlaceSection] = field(default_factory=list)


@dataclass
class Content:
    district: Area
    state: Area | None
    local: list[Entry]
    national: list[Entry]
    places: list[PlaceSection]
    groups: list[GroupSection]
    emergency: list[tuple[str, Entry]]
    categories: list[tuple[TaxonomyTerm, list[Entry]]]
    data_date: datetime.date | None

    @property
    def entries(self) -> list[Entry]:
        return self.local + self.national

    @property
    def a_to_z(self) -> list[Entry]:
        return sorted(self.entries, key=lambda entry: entry.name.casefold())


def local_organizations(district: Area) -> QuerySet[Organization]:
    public_here = Location.objects.public().in_area(district).values("organization_id")
    return Organization.objects.active().filter(
        Q(area__path__startswith=district.path) | Q(id__in=public_here)
    )


def national_organizations() -> QuerySet[Organization]:
    return Organization.objects.active().filter(area__kind=Area.Kind.COUNTRY)


def booklet_organizations(district: Area) -> QuerySet[Organization]:
    return Organization.objects.filter(
        Q(id__in=local_organizations(district).values("id"))
        | Q(id__in=national_organizations().values("id"))
    )


def _public_locations() -> QuerySet[Location]:
    return (
        Location.objects.public()
        .select_related("area")
        .prefetch_related(
            Prefetch("addresses", queryset=Address.objects.all()),
            Prefetch("phones", queryset=Phone.objects.public(), to_attr="public_phones"),
        )
    )


def _organizations(ids: QuerySet[Organization, Any]) -> list[Organization]:
    # Not `for_listing()`: its `with_contact` reads each service's organisation and its phones
    # again, which the booklet has already (a second copy of every organisation).
    services = (
        Service.objects.active()
        .with_details()
        .prefetch_related(
            Prefetch("phones", queryset=Phone.objects.public(), to_attr="public_phones"),
            Prefetch(
                "service_at_locations",
                queryset=ServiceAtLocation.objects.filter(location__is_confidential=False)
                .select_related("location")
                .prefetch_related("location__addresses"),
            ),
        )
        .order_by("name", "id")
    )
    return list(
        Organization.objects.filter(id__in=ids)
        .select_related("area")
        .prefetch_related(
            Prefetch("phones", queryset=Phone.objects.public(), to_attr="public_phones"),
            Prefetch("locations", queryset=_public_locations(), to_attr="public_locations"),
            Prefetch("services", queryset=services, to_attr="active_services"),
        )
    )


def _committees(organizations: Iterable[Organization]) -> dict[object, list[dict[str, str]]]:
    cbo_ids = [o.pk for o in organizations if o.kind == Organization.Kind.CBO]
    rows: dict[object, list[dict[str, str]]] = defaultdict(list)
    if not cbo_ids:
        return rows
    memberships = (
        Membership.objects.current()
        .committee()
        .filter(cbo_id__in=cbo_ids, person__listed_publicly=True)
        .select_related("person")
        .in_role_order()
    )
    for membership in memberships:
        rows[membership.cbo_id].append(public_row(membership))
    return rows


def hours_lines(schedules: Iterable[Schedule]) -> list[str]:
    """ "Monday–Friday 09:00–17:00": consecutive days with the same hours in one line."""
    by_day: dict[int, list[str]] = defaultdict(list)
    for schedule in sorted(schedules, key=lambda s: (s.weekday, s.opens_at or datetime.time())):
        if schedule.all_day:
            by_day[schedule.weekday].append(_("24 hours"))
        elif schedule.opens_at and schedule.closes_at:
            by_day[schedule.weekday].append(f"{schedule.opens_at:%H:%M}–{schedule.closes_at:%H:%M}")
    labels = dict(Weekday.choices)
    lines: list[str] = []
    runs: list[tuple[int, int, str]] = []
    for day in range(1, 8):
        text = ", ".join(by_day.get(day, []))
        if text and runs and runs[-1][1] == day - 1 and runs[-1][2] == text:
            runs[-1] = (runs[-1][0], day, text)
        elif text:
            runs.append((day, day, text))
    for first, last, text in runs:
        days = str(labels[first]) if first == last else f"{labels[first]}–{labels[last]}"
        lines.append(f"{days} {text}")
    return lines


def _phones(organization: Organization, services: list[Service]) -> list[PhoneLine]:
    seen: set[str] = set()
    lines: list[PhoneLine] = []
    sources: list[Phone] = list(getattr(organization, "public_phones", []))
    for service in services:
        sources += getattr(service, "public_phones", [])
    for location in getattr(organization, "public_locations", []):
        sources += location.public_phones
    for phone in sources:
        key = f"{phone.kind == Phone.Kind.WHATSAPP}:{phone.number}"
        if key in seen:
            continue
        seen.add(key)
        note = str(phone.get_kind_display()) if phone.kind == Phone.Kind.FAX else phone.description
        lines.append(PhoneLine(phone.display, phone.is_whatsapp, note))
    return lines


def _addresses(
    organization: Organization, services: list[Service]
) -> tuple[list[str], Area | None]:
    """Public addresses only; the first public place's area (to file the entry by mukim)."""
    locations: list[Location] = list(getattr(organization, "public_locations", []))
    for service in services:
        locations += [sal.location for sal in service.service_at_locations.all()]
    lines: list[str] = []
    area = None
    for location in locations:
        if location.is_confidential:  # belt and braces: the querysets already leave them out
            continue
        area = area or location.area
        for address in location.addresses.all():
            text = address.one_line()
            if text and text not in lines:
                lines.append(text)
    return lines, area


def _entry(organization: Organization, committee: list[dict[str, str]]) -> Entry:
    services: list[Service] = list(getattr(organization, "active_services", []))
    addresses, _area = _addresses(organization, services)
    verified = [d for d in [organization.verified_on, *(s.verified_on for s in services)] if d]
    groups: dict[object, TaxonomyTerm] = {}
    categories: dict[object, TaxonomyTerm] = {}
    for service in services:
        groups.update((t.pk, t) for t in service.target_groups())
        categories.update((t.pk, t) for t in service.categories())
    return Entry(
        organization=organization,
        name=organization.display_name,
        kind=str(organization.get_kind_display()),
        # The booklet lists services by name: their descriptions are on the live page (QR code).
        description=organization.description or (services[0].description if services else ""),
        services=[
            ServiceEntry(
                name=s.display_name if s.display_name != organization.display_name else "",
                eligibility=s.eligibility,
                fees=s.fees,
                hours=hours_lines(s.schedules.all()) or ([s.hours_note] if s.hours_note else []),
            )
            for s in services
        ],
        phones=_phones(organization, services),
        addresses=addresses,
        verified_on=max(verified) if verified else None,
        committee=committee,
        target_groups=sorted(groups.values(), key=lambda t: (t.position, t.code)),
        categories=sorted(categories.values(), key=lambda t: (t.position, t.code)),
    )


def _place_of(
    entry: Entry, district: Area, areas: dict[str, Area]
) -> tuple[Area | None, Area | None]:
    """(mukim, locality) of the entry's area, or of its first public place in the district."""
    area = entry.organization.area
    if not area.path.startswith(district.path):
        services: list[Service] = list(getattr(entry.organization, "active_services", []))
        _lines, located = _addresses(entry.organization, services)
        area = located if located and located.path.startswith(district.path) else district
    codes = [code for code in area.path.split("/") if code]
    chain = [areas[code] for code in codes if code in areas]
    mukim = next((a for a in chain if a.kind == Area.Kind.MUKIM), None)
    locality = next((a for a in chain if a.kind == Area.Kind.LOCALITY), None)
    return mukim, locality


def _by_place(entries: list[Entry], district: Area) -> list[PlaceSection]:
    """Sections by mukim (the district-wide ones first), entries by locality then name."""
    areas = {a.code: a for a in Area.objects.within(district)}
    sections: dict[str, PlaceSection] = {}
    for entry in entries:
        mukim, locality = _place_of(entry, district, areas)
        anchor = f"place-{mukim.pk}" if mukim else "place-district"
        title = (
            mukim.name if mukim else _("Elsewhere in %(district)s") % {"district": district.name}
        )
        sections.setdefault(anchor, PlaceSection(title=title, anchor=anchor)).entries.append(entry)
        entry.place = ", ".join(a.name for a in (locality, mukim) if a) or district.name
    for section in sections.values():
        section.entries.sort(key=lambda e: (e.place.casefold(), e.name.casefold()))
    return sorted(
        sections.values(), key=lambda s: (s.anchor != "place-district", s.title.casefold())
    )


def _by_group(places: list[PlaceSection]) -> list[GroupSection]:
    terms = list(TaxonomyTerm.objects.target_groups().order_by("position", "code"))
    groups = []
    for term in terms:
        section = GroupSection(term=term, anchor=f"group-{term.code}")
        for place in places:
            entries = [e for e in place.entries if any(t.pk == term.pk for t in e.target_groups)]
            if entries:
                section.places.append(
                    PlaceSection(title=place.title, anchor=place.anchor, entries=entries)
                )
        if section.places:
            groups.append(section)
    return groups


def _emergency(entries: list[Entry]) -> list[tuple[str, Entry]]:
    """The district's police, welfare office and crisis centres, as the directory has them."""
    found: list[tuple[str, Entry]] = []
    for code in EMERGENCY_CATEGORIES:
        for entry in entries:
            if entry.organization.kind != Organization.Kind.GOVERNMENT:
                continue
            listed = any(e is entry for _code, e in found)
            if not listed and any(t.code == code for t in entry.categories):
                found.append((code, entry))
    return found


def _by_category(entries: list[Entry]) -> list[tuple[TaxonomyTerm, list[Entry]]]:
    terms: dict[object, TaxonomyTerm] = {}
    members: dict[object, list[Entry]] = defaultdict(list)
    for entry in entries:
        for term in entry.categories:
            terms[term.pk] = term
            members[term.pk].append(entry)
    ordered = sorted(terms.values(), key=lambda t: t.name.casefold())
    return [(t, sorted(members[t.pk], key=lambda e: e.name.casefold())) for t in ordered]


def collect(district: Area) -> Content:
    local_ids = set(local_organizations(district).values_list("id", flat=True))
    organizations = _organizations(booklet_organizations(district).values("id"))
    committees = _committees(organizations)
    entries = [_entry(o, committees.get(o.pk, [])) for o in organizations]
    local = [e for e in entries if e.organization.pk in local_ids]
    national = sorted(
        (e for e in entries if e.organization.pk not in local_ids), key=lambda e: e.name.casefold()
    )
    places = _by_place(local, district)
    dates = [e.verified_on for e in entries if e.verified_on]
    dates += [
        e.organization.updated_at.date() for e in entries if e.organization.updated_at is not None
    ]
    state = next((a for a in Area.objects.containing(district) if a.kind == Area.Kind.STATE), None)
    return Content(
        district=district,
        state=state,
        local=[e for place in places for e in place.entries],
        national=national,
        places=places,
        groups=_by_group(places),
        emergency=_emergency([e for place in places for e in place.entries]),
        categories=_by_category(entries),
        data_date=max(dates) if dates else None,
    )
