"""The Sepang demo directory (`manage.py seed_demo`): the fictional organisations of `demo_data`
beside the real agencies of `demo_real`, and a demo administrator. Safe to run again: every record
has a stable id, and a second run changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from direktori.areas.geo import DistrictLocator
from direktori.areas.models import Area

from .demo_data import ALL_DAY, DEMO_ORGANIZATIONS, DemoOrganization
from .demo_real import SEPANG_CODE, real_directory_seed
from .models import (
    Address,
    Location,
    Organization,
    Phone,
    Service,
    ServiceArea,
    ServiceAtLocation,
)
from .models.organisations import Status
from .seeding import ALL_WEEK, Seeder, SeedReport, coordinate

DEMO_ADMIN_USERNAME = "demo-admin"
DEMO_ADMIN_DEFAULT_PASSWORD = "Demo-Sepang-2026!"  # noqa: S105 (demo only, printed by the command)
DEMO_SOURCE = "Data demo rekaan / fictional demo data (Direktori CBO)"
DEMO_PHONE_NOTE = ("Nombor demo (rekaan)", "Demo number (fictional)")


def demo_number(index: int) -> str:
    """010-200 0NNN: one made-up block for every demo phone.

    The block 010-000 0NNN would look even more fake, but no Malaysian mobile number starts with
    010-0 and phone validation rightly refuses it.
    """
    if not 0 <= index <= 999:
        raise ValueError(f"Demo phone index {index} is outside 0–999.")
    return f"010-200 0{index:03d}"


@dataclass
class DemoSummary:
    real_organizations: int
    demo_organizations: int
    report: SeedReport


@transaction.atomic
def demo_directory_seed(*, today: datetime.date | None = None) -> DemoSummary:
    """Needs the reference data (areas and taxonomies) loaded first."""
    seeder = Seeder()
    real = real_directory_seed(seeder=seeder)
    # Verification dates count back from the first of the month, so that running the command again
    # in the same month changes nothing while the demo keeps both fresh and overdue entries.
    anchor = (today or timezone.localdate()).replace(day=1)
    sepang = Area.objects.get(code=SEPANG_CODE)
    areas = {area.code: area for area in Area.objects.within(sepang)}
    locator = DistrictLocator.from_database()
    for number, spec in enumerate(DEMO_ORGANIZATIONS, start=1):
        _demo_organization_seed(
            seeder=seeder, spec=spec, number=number, areas=areas, locator=locator, anchor=anchor
        )
    return DemoSummary(
        real_organizations=len(real),
        demo_organizations=len(DEMO_ORGANIZATIONS),
        report=seeder.report,
    )


def _demo_organization_seed(
    *,
    seeder: Seeder,
    spec: DemoOrganization,
    number: int,
    areas: dict[str, Area],
    locator: DistrictLocator,
    anchor: datetime.date,
) -> Organization:
    key = f"demo:{spec.key}"
    locality = areas[spec.locality]
    if locator.district_code_at(spec.latitude, spec.longitude) != SEPANG_CODE:
        raise ValueError(f"{spec.name}: ({spec.latitude}, {spec.longitude}) is not in Sepang.")
    if not locality.postcode:
        raise ValueError(f"{spec.name}: {locality.code} has no known postcode.")
    verified_on = anchor - datetime.timedelta(days=spec.verified_days_ago)
    is_confidential = bool(spec.confidential_reason)
    organization = seeder.upsert(
        Organization,
        key=key,
        kind=spec.kind,
        name=spec.name,
        name_en=spec.name_en,
        description_ms=spec.description_ms,
        description_en=spec.description_en,
        # A shelter shows only its district publicly, never the locality it is in.
        area=areas[SEPANG_CODE] if is_confidential else locality,
        status=Status.ACTIVE,
        is_demo=True,
        source=DEMO_SOURCE,
        verified_on=verified_on,
        verified_by=None,
    )
    location = seeder.upsert(
        Location,
        key=f"{key}/location",
        organization=organization,
        name=spec.name,
        latitude=coordinate(spec.latitude),
        longitude=coordinate(spec.longitude),
        area=locality,
        is_confidential=is_confidential,
        confidential_reason=spec.confidential_reason,
    )
    seeder.upsert(
        Address,
        key=f"{key}/address",
        location=location,
        address_1=spec.street,
        city=locality.name_ms.removeprefix("Pekan "),
        region="Sepang",
        state_province="Selangor",
        postal_code=locality.postcode,
    )
    for index in range(len(spec.services)):
        _demo_service_seed(
            seeder=seeder,
            key=f"{key}/service/{index}",
            organization=organization,
            location=location,
            spec=spec,
            index=index,
            areas=areas,
            verified_on=verified_on,
        )
    note_ms, note_en = DEMO_PHONE_NOTE
    # A CBO's or centre's own line is the organisation's: every service of it is reached there.
    seeder.phone_upsert(
        key=f"{key}/phone",
        organization=organization,
        service=None,
        kind=Phone.Kind.CELL,
        number=demo_number(number * 10),
        description_ms=f"Talian pertanyaan. {note_ms}",
        description_en=f"Enquiries. {note_en}",
    )
    if spec.kind == Organization.Kind.CBO:
        seeder.phone_upsert(
            key=f"{key}/whatsapp",
            organization=organization,
            service=None,
            kind=Phone.Kind.WHATSAPP,
            number=demo_number(number * 10 + 1),
            description_ms=note_ms,
            description_en=note_en,
            position=1,
        )
    if is_confidential:
        seeder.phone_upsert(
            key=f"{key}/direct-line",
            location=location,
            kind=Phone.Kind.CELL,
            number=demo_number(number * 10 + 2),
            description_ms=f"Talian terus rumah perlindungan (sulit). {note_ms}",
            description_en=f"The shelter's direct line (confidential). {note_en}",
            is_confidential=True,
            position=1,
        )
    return organization


def _demo_service_seed(
    *,
    seeder: Seeder,
    key: str,
    organization: Organization,
    location: Location,
    spec: DemoOrganization,
    index: int,
    areas: dict[str, Area],
    verified_on: datetime.date,
) -> Service:
    service_spec = spec.services[index]
    service = seeder.upsert(
        Service,
        key=key,
        organization=organization,
        name=service_spec.name,
        name_en=service_spec.name_en,
        description_ms=service_spec.description_ms,
        description_en=service_spec.description_en,
        status=Status.ACTIVE,
        verified_on=verified_on,
        verified_by=None,
    )
    seeder.terms_set(service, service_spec.terms)
    seeder.upsert(ServiceAtLocation, key=f"{key}/at", service=service, location=location)
    for code in spec.serves:
        seeder.upsert(ServiceArea, key=f"{key}/serves/{code}", service=service, area=areas[code])
    if service_spec.hours == ALL_DAY:
        seeder.hours_upsert(key=key, service=service, days=ALL_WEEK)
    for days, opens_at, closes_at in service_spec.hours:
        seeder.hours_upsert(
            key=key, service=service, days=days, opens_at=opens_at, closes_at=closes_at
        )
    return service


@transaction.atomic
def demo_admin_ensure(*, password: str) -> bool:
    """The demo superuser exists with this password. True when it had to be created."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=DEMO_ADMIN_USERNAME).first()
    if user is None:
        user_model.objects.create_superuser(username=DEMO_ADMIN_USERNAME, password=password)
        return True
    changed = not (user.is_superuser and user.is_staff and user.is_active)
    user.is_superuser = user.is_staff = user.is_active = True
    # Setting the same password again would still change its salted hash: check first.
    if not user.check_password(password):
        user.set_password(password)
        changed = True
    if changed:
        user.save()
    return False
