"""The Sepang demo's Programme Pemerkasaan (`seed_demo`): three fictional sessions, marked
"(Demo)", attended by the demo CBOs' fictional members (`members.demo`), with certificates.

The dates are fixed, like the demo register's, and each record has a stable id, so running
`seed_demo` again changes nothing. The first session covers topics the demo member
(`demo-ahli`) then has; the third is still ahead on the demo's launch (2026-11-26), so the
"upcoming" list and the training needs have something to show.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from direktori.areas.models import Area
from direktori.directory.reference import stable_id
from direktori.members.models import Membership, Person

from .models import Attendance, Organiser, Topic, TrainingSession
from .services import certificate_number_unused

SESSIONS = (
    # (key, title, starts_on, place, locality code, topics, trainer, organiser, attended, absent)
    (
        "child-protection-2026",
        "Asas perlindungan kanak-kanak untuk ahli CBO (Demo)",
        datetime.date(2026, 8, 22),
        "Dewan Orang Ramai Dengkil (Demo)",
        "10_7:dengkil:pekan-dengkil",
        ("child-protection", "referral-system"),
        "Pegawai Pelindung, Pejabat Kebajikan Masyarakat Daerah Sepang (Demo)",
        Organiser.JKM,
        6,
        1,
    ),
    (
        "domestic-violence-2026",
        "Mengenali keganasan rumah tangga dan merujuk kepada JKM (Demo)",
        datetime.date(2026, 10, 10),
        "Bilik Mesyuarat Majlis Perbandaran Sepang, Salak Tinggi (Demo)",
        "10_7:sepang:bandar-baru-salak-tinggi",
        ("domestic-violence", "psychological-first-aid"),
        "Kaunselor KPWKM Negeri Selangor (Demo)",
        Organiser.KPWKM,
        4,
        1,
    ),
    (
        "elderly-disability-2026",
        "Penjagaan warga emas dan kesedaran OKU (Demo)",
        datetime.date(2026, 12, 12),
        "Dewan Serbaguna Sungai Pelek (Demo)",
        "10_7:sepang:pekan-sungai-pelek",
        ("elderly-care", "disability-awareness"),
        "Pegawai Pemulihan Dalam Komuniti (PDK) Sepang (Demo)",
        Organiser.KPWKM,
        0,
        0,
    ),
)  # fmt: skip
#: How many of the demo members each session registers.
REGISTERED = 8


@dataclass(frozen=True)
class TrainingSummary:
    sessions: int
    certificates: int


@transaction.atomic
def demo_training_ensure() -> TrainingSummary:
    """The demo sessions exist with their registrations and attendance; nothing is changed
    when they already do."""
    sepang = Area.objects.get(code="10_7")
    members = (
        Membership.objects.current()
        .filter(cbo__is_demo=True, cbo__area__path__startswith=sepang.path)
        .select_related("person")
        .order_by("cbo__name", "person__full_name")
    )
    # The people of the demo accounts (demo-ahli, demo-pengerusi) first: their own record
    # then shows certificates.
    ordered = sorted(members, key=lambda m: m.person.user_id is None)
    people = list(dict.fromkeys(m.person for m in ordered))[:REGISTERED]
    sessions = [_session(sepang, row) for row in SESSIONS]
    for session, row in zip(sessions, SESSIONS, strict=True):
        attended, absent = row[8], row[9]
        for index, person in enumerate(people):
            if index < attended:
                status = Attendance.Status.ATTENDED
            elif index < attended + absent:
                status = Attendance.Status.ABSENT
            else:
                status = Attendance.Status.REGISTERED
            _attendance(session, person, status)
    certificates = Attendance.objects.filter(session__in=sessions).attended().count()
    return TrainingSummary(len(sessions), certificates)


def _session(sepang: Area, row: tuple[Any, ...]) -> TrainingSession:
    key, title, starts_on, place, locality, topics, trainer, organiser = row[:8]
    session = TrainingSession.objects.filter(pk=stable_id(f"training-session:{key}")).first()
    if session is not None:
        return session
    session = TrainingSession(
        id=stable_id(f"training-session:{key}"),
        title=title,
        starts_on=starts_on,
        place=place,
        locality=Area.objects.filter(code=locality).first(),
        district=sepang,
        trainer=trainer,
        organiser=organiser,
        notes="Data demo: sesi rekaan untuk menunjukkan Program Pemerkasaan.",
    )
    session.full_clean()
    session.save()
    session.topics.set(Topic.objects.filter(code__in=topics))
    return session


def _attendance(session: TrainingSession, person: Person, status: str) -> None:
    key = f"training-attendance:{session.pk}:{person.pk}"
    if Attendance.objects.filter(pk=stable_id(key)).exists():
        return
    if Attendance.objects.filter(session=session, person=person).exists():
        return
    number = certificate_number_unused(session) if status == Attendance.Status.ATTENDED else None
    Attendance.objects.create(
        id=stable_id(key), session=session, person=person, status=status, certificate_number=number
    )
