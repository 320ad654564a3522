"""Reads that put people, memberships, sessions and topics together: a person's training record
and a district's training needs."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from direktori.areas.models import Area
from direktori.directory.models import Organization
from direktori.members.models import Membership, Person

from .models import Attendance, Topic, TrainingSession


def _topics_prefetch() -> Prefetch[Any]:
    return Prefetch("session__topics", queryset=Topic.objects.order_by("position", "code"))


@dataclass
class TrainingRecord:
    person: Person
    attended: list[Attendance]
    upcoming: list[Attendance]
    topics_covered: list[Topic]
    missing_required: list[Topic]


def training_record(*, person: Person, viewer: Any) -> TrainingRecord:
    """What `viewer` may see of the person's training (`Attendance.objects.visible_to`)."""
    attendances = list(
        Attendance.objects.visible_to(viewer)
        .filter(person=person)
        .select_related("session__district")
        .prefetch_related(_topics_prefetch())
        .order_by("-session__starts_on")
    )
    attended = [a for a in attendances if a.status == Attendance.Status.ATTENDED]
    upcoming = [
        a
        for a in attendances
        if a.status == Attendance.Status.REGISTERED and not a.session.has_started
    ]
    covered: dict[Any, Topic] = {}
    for attendance in attended:
        for topic in attendance.session.topics.all():
            covered.setdefault(topic.pk, topic)
    topics = sorted(covered.values(), key=lambda t: (t.position, t.code))
    missing = [t for t in Topic.objects.required() if t.pk not in covered]
    return TrainingRecord(person, attended, upcoming, topics, missing)


@dataclass
class MemberNeeds:
    membership: Membership
    missing: list[bool]  # one per required topic, in the order of `Needs.topics`

    @property
    def missing_count(self) -> int:
        return sum(self.missing)


@dataclass
class CboNeeds:
    cbo: Organization
    members: list[MemberNeeds] = field(default_factory=list)
    per_topic: list[int] = field(default_factory=list)

    @property
    def members_needing(self) -> int:
        return sum(1 for member in self.members if member.missing_count)


@dataclass
class Needs:
    topics: list[Topic]
    cbos: list[CboNeeds]
    #: people (each counted once, whatever their number of CBOs) still needing each topic
    per_topic: list[int]
    people: int
    people_needing: int

    @property
    def topic_totals(self) -> list[tuple[Topic, int]]:
        return list(zip(self.topics, self.per_topic, strict=True))


def training_needs(*, user: Any, district: Area | None = None) -> Needs:
    """Every current member of the CBOs in the user's scope (or in `district`), and which
    required topics they have not attended a session on."""
    topics = list(Topic.objects.required())
    memberships = (
        Membership.objects.visible_to(user)
        .current()
        .filter(cbo__in=Organization.objects.filter(kind=Organization.Kind.CBO).active())
        .select_related("person", "cbo__area")
        .order_by("cbo__area__path", "cbo__name", "person__full_name")
    )
    if district is not None:
        memberships = memberships.filter(cbo__area__path__startswith=district.path)
    memberships_list = list(memberships)
    people = {m.person_id for m in memberships_list}
    covered: defaultdict[Any, set[Any]] = defaultdict(set)
    pairs = (
        Attendance.objects.visible_to(user)
        .attended()
        .filter(person_id__in=people, session__topics__in=topics)
        .values_list("person_id", "session__topics")
    )
    for person_id, topic_id in pairs:
        covered[person_id].add(topic_id)
    cbos: dict[Any, CboNeeds] = {}
    for membership in memberships_list:
        row = cbos.setdefault(
            membership.cbo_id, CboNeeds(cbo=membership.cbo, per_topic=[0] * len(topics))
        )
        missing = [topic.pk not in covered[membership.person_id] for topic in topics]
        row.members.append(MemberNeeds(membership, missing))
        for index, needed in enumerate(missing):
            row.per_topic[index] += needed
    per_topic = [sum(1 for p in people if t.pk not in covered[p]) for t in topics]
    needing = sum(1 for p in people if any(t.pk not in covered[p] for t in topics))
    return Needs(topics, list(cbos.values()), per_topic, len(people), needing)


def needs_csv_rows(needs: Needs) -> list[list[Any]]:
    """One row per member of each CBO: 1 under a topic they still need, 0 when done."""
    rows: list[list[Any]] = [
        [
            "cbo_id",
            "cbo",
            "area",
            "person_id",
            "member",
            "role",
            *(f"needs_{topic.code}" for topic in needs.topics),
            "topics_needed",
        ]
    ]
    for row in needs.cbos:
        for member in row.members:
            membership = member.membership
            rows.append(
                [
                    row.cbo.pk,
                    row.cbo.name,
                    row.cbo.area.name,
                    membership.person_id,
                    membership.person.full_name,
                    membership.get_role_display(),
                    *(int(needed) for needed in member.missing),
                    member.missing_count,
                ]
            )
    rows.append(["", _("People needing each topic"), "", "", "", "", *needs.per_topic, ""])
    return rows


def sessions_annotated(sessions: QuerySet[TrainingSession]) -> QuerySet[TrainingSession]:
    """The sessions with their places, topics, and how many people were registered and came
    (counts only: no names)."""
    return (
        sessions.select_related("district", "locality")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("position", "code")))
        .annotate(
            attended_count=Count(
                "attendances", filter=Q(attendances__status=Attendance.Status.ATTENDED)
            ),
            registered_count=Count("attendances"),
        )
    )
