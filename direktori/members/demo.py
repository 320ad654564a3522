"""The Sepang demo's membership register and outreach activity (`seed_demo`): fictional people,
marked "(Demo)", on the committees of the fictional demo CBOs, and counts of what those CBOs did.

The people have no phone numbers (an invented number could be someone's real one) and their
emails are at `contoh.invalid`, a name that can never receive mail. The dates are fixed, so that
running `seed_demo` again changes nothing; on 2026-11-26 one chair's term ends within two months
and one CBO's chair has lapsed, so the reminders and the "needs attention" list have something to
show.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from direktori.accounts.models import User
from direktori.areas.models import Area
from direktori.directory.models import Organization, TaxonomyTerm
from direktori.outreach.models import Activity

from .models import AppointingBody, MemberRole, Membership, Person
from .services import Appointment, membership_appoint

MALAY_WOMEN = (
    "Siti Aminah",
    "Rosnah",
    "Noraini",
    "Hasnah",
    "Faridah",
    "Salmah",
    "Azizah",
    "Rohani",
)
MALAY_MEN = ("Zainal Abidin", "Ahmad Fauzi", "Zulkifli", "Ismail", "Kamarudin", "Hamdan")
FATHERS = ("Hassan", "Yusof", "Ahmad", "Osman", "Ibrahim", "Salleh", "Daud")
CHINESE = (
    "Lim Mei Ling",
    "Tan Boon Huat",
    "Wong Siew Lan",
    "Chong Wei Ming",
    "Lee Poh Lin",
    "Ng Ah Kow",
    "Goh Swee Lan",
    "Teo Kah Seng",
)
INDIAN = (
    "Kamala a/p Raju",
    "Muthu a/l Subramaniam",
    "Letchumi a/p Muniandy",
    "Rajesh a/l Krishnan",
    "Saraswathy a/p Gopal",
    "Ganesan a/l Periasamy",
)
COMMITTEE = (
    MemberRole.PENGERUSI,
    MemberRole.SETIAUSAHA,
    MemberRole.BENDAHARI,
    MemberRole.AJK,
    MemberRole.AHLI,
    MemberRole.AHLI,
)
APPOINTED_ON = datetime.date(2025, 1, 15)
TERM_ENDS_ON = datetime.date(2027, 1, 14)
#: The second CBO's chair: a term that ends soon after the demo's launch (reminders).
ENDING_SOON = datetime.date(2026, 12, 31)
#: The third CBO's chair: a term that has ended and was not renewed ("needs attention").
LAPSED = datetime.date(2026, 6, 30)

ACTIVITIES = (
    # (target group, kind, month, day, people reached, volunteers, description)
    ("elderly", "home_visit", 9, 6, 12, 4, "Ziarah rumah warga emas yang tinggal bersendirian."),
    ("children", "programme", 9, 20, 45, 8, "Program membaca bersama kanak-kanak selepas sekolah."),
    ("disability", "home_visit", 10, 4, 6, 3, "Lawatan ke rumah keluarga yang menjaga anak OKU."),
    ("domestic_violence", "talk", 10, 18, 30, 5, "Ceramah: kenali tanda keganasan rumah tangga."),
    ("elderly", "programme", 11, 8, 25, 6, "Pemeriksaan kesihatan asas bersama klinik kesihatan."),
)  # fmt: skip


@dataclass(frozen=True)
class RegisterSummary:
    memberships: int
    activities: int


def demo_register_ensure() -> RegisterSummary:
    """Committees and members for every demo CBO in Sepang, and a few activities for each."""
    sepang = Area.objects.get(code="10_7")
    cbos = list(
        Organization.objects.filter(
            kind=Organization.Kind.CBO, is_demo=True, area__path__startswith=sepang.path
        )
        .select_related("area")
        .order_by("name")
    )
    names = iter(_names())
    for index, cbo in enumerate(cbos):
        for position, role in enumerate(COMMITTEE):
            membership_appoint(appointment=_appointment(cbo, next(names), role, index, position))
        _activities(cbo)
    _link_demo_accounts(cbos[0] if cbos else None)
    memberships = Membership.objects.filter(cbo__in=cbos).count()
    return RegisterSummary(memberships, Activity.objects.filter(cbo__in=cbos).count())


def _names() -> list[str]:
    """Distinct fictional names in the patterns of Sepang's communities, all "(Demo)"."""
    names: list[str] = []
    for i in range(len(MALAY_WOMEN) * len(FATHERS)):
        father = FATHERS[i % len(FATHERS)]
        names.append(f"{MALAY_WOMEN[i % len(MALAY_WOMEN)]} binti {father}")
        names.append(f"{MALAY_MEN[i % len(MALAY_MEN)]} bin {FATHERS[(i + 3) % len(FATHERS)]}")
        names.append(CHINESE[i % len(CHINESE)] if i < len(CHINESE) else "")
        names.append(INDIAN[i % len(INDIAN)] if i < len(INDIAN) else "")
    unique = list(dict.fromkeys(name for name in names if name))
    return [f"{name} (Demo)" for name in unique]


def _appointment(
    cbo: Organization, full_name: str, role: MemberRole, index: int, position: int
) -> Appointment:
    ends_on = TERM_ENDS_ON
    if role == MemberRole.PENGERUSI and index == 1:
        ends_on = ENDING_SOON
    elif role == MemberRole.PENGERUSI and index == 2:
        ends_on = LAPSED
    local = full_name.split(" (")[0].lower().replace("/", "").replace(" ", ".")
    return Appointment(
        cbo=cbo,
        full_name=full_name,
        phone="",
        email=f"{local}@contoh.invalid",
        role=role,
        appointed_by=AppointingBody.KPWKM if position < 3 else AppointingBody.MPKK,
        appointed_on=APPOINTED_ON,
        term_ends_on=ends_on,
        # The secretary agrees to be listed publicly: the CBO's page shows one contact.
        listed_publicly=role == MemberRole.SETIAUSAHA,
    )


def _activities(cbo: Organization) -> None:
    groups = {term.code: term for term in TaxonomyTerm.objects.target_groups()}
    for group, kind, month, day, reached, volunteers, description in ACTIVITIES:
        if group not in groups:
            continue
        activity = Activity(
            cbo=cbo,
            target_group=groups[group],
            kind=kind,
            date=datetime.date(2026, month, day),
            locality=cbo.area,
            people_reached=reached,
            volunteers=volunteers,
            description=description,
        )
        activity.full_clean()
        exists = Activity.objects.filter(
            cbo=cbo, target_group=activity.target_group, kind=kind, date=activity.date
        ).exists()
        if not exists:
            activity.save()


def _link_demo_accounts(cbo: Organization | None) -> None:
    """demo-pengerusi is the first CBO's chair and demo-ahli one of its members (their own page)."""
    if cbo is None:
        return
    for username, role in (
        ("demo-pengerusi", MemberRole.PENGERUSI),
        ("demo-ahli", MemberRole.AHLI),
    ):
        user = User.objects.filter(username=username).first()
        membership = (
            Membership.objects.filter(cbo=cbo, role=role, person__user__isnull=True)
            .select_related("person")
            .order_by("person__full_name")
            .first()
        )
        if user is None or membership is None or Person.objects.filter(user=user).exists():
            continue
        Person.objects.filter(pk=membership.person_id).update(user=user)
