"""The world the access matrix runs in (tests/test_access_matrix.py): a user of each role around
one Sepang CBO, and the URL arguments and bodies (`SAMPLES`) of the routes that need them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any

import pytest
from django.test import Client

from direktori.accounts.models import AccessGrant, Role, User
from direktori.accounts.testing import account, signed_in
from direktori.areas.models import Area

# The world every request runs in --------------------------------------------------------------


@dataclass
class World:
    users: dict[str, User]
    sepang: Area
    service: Any
    organisation: Any
    clients: dict[str, Client] = field(default_factory=dict)

    def client(self, role: str, *, fresh: bool) -> Client:
        """A client of this role; `fresh` for requests that may sign it out or change it."""
        if role == "anonymous":
            return Client()
        if fresh or role not in self.clients:
            client = signed_in(Client(), self.users[role])
            if fresh:
                return client
            self.clients[role] = client
        return self.clients[role]

    def forget_sessions(self) -> None:
        """After a request that may have ended sessions ("sign out everywhere"): fresh users and
        clients for the next ones."""
        for user in self.users.values():
            user.refresh_from_db()
        self.clients.clear()

    def sepang_member(self) -> User:
        """A fresh CBO member in Sepang: the target of account management."""
        return account(Role.CBO_MEMBER, organisation=self.organisation)

    def grant(self) -> AccessGrant:
        """The district officer's break-the-glass access to Johor."""
        from django.utils import timezone

        return AccessGrant.objects.create(
            user=self.users[Role.DISTRICT_OFFICER],
            area=Area.objects.get(code="1"),
            reason="Kes rujukan dari daerah jiran, disahkan oleh penyelia.",
            ends_at=timezone.now() + timedelta(hours=1),
        )


@pytest.fixture
def world(reference_areas: None) -> World:
    from direktori.directory.models import ServiceAtLocation
    from direktori.directory.reference import taxonomies_load_reference
    from direktori.directory.tests.factories import (
        LocationFactory,
        OrganizationFactory,
        ServiceFactory,
    )

    taxonomies_load_reference()
    sepang = Area.objects.get(code="10_7")
    organisation = OrganizationFactory.create(area=sepang)
    users = {
        Role.CBO_MEMBER: account(Role.CBO_MEMBER, organisation=organisation),
        Role.CBO_CHAIR: account(Role.CBO_CHAIR, organisation=organisation),
        Role.DISTRICT_OFFICER: account(Role.DISTRICT_OFFICER, "10_7"),
        Role.STATE_OFFICER: account(Role.STATE_OFFICER, "10"),
        Role.HQ_ADMIN: account(Role.HQ_ADMIN, "MY"),
    }
    service = ServiceFactory.create(organization=organisation)
    ServiceAtLocation.objects.create(
        service=service, location=LocationFactory.create(organization=organisation)
    )
    return World(
        users={str(role): user for role, user in users.items()},
        sepang=sepang,
        service=service,
        organisation=organisation,
    )


@dataclass
class Sample:
    """How to call a route: its URL arguments (made fresh for each request) and body."""

    kwargs: Callable[[World], dict[str, Any]] = lambda world: {}
    data: dict[str, Any] = field(default_factory=dict)
    json: bool = False


SAMPLES: dict[str, Sample] = {
    "directory:area_detail": Sample(lambda w: {"slugs": w.sepang.slug_path()}),
    "directory:target_group_detail": Sample(lambda w: {"code": "elderly"}),
    "directory:organization_detail": Sample(lambda w: {"pk": w.organisation.pk}),
    "directory:service_detail": Sample(lambda w: {"pk": w.service.pk}),
    "hsds:service_detail": Sample(lambda w: {"id": w.service.pk}),
    "hsds:organization_detail": Sample(lambda w: {"id": w.organisation.pk}),
    "accounts:set_password": Sample(lambda w: {"uidb64": "MA", "token": "set-password"}),
    "api-v1:token_create": Sample(data={"username": "nobody", "password": "wrong"}, json=True),
    "members:cbo_members": Sample(lambda w: {"pk": w.organisation.pk}),
    "api-v1:cbo_members_list": Sample(lambda w: {"cbo_id": w.organisation.pk}),
    "api-v1:statistics": Sample(data={"category": "child_protection"}),
}
for _name in (
    "manage_detail",
    "manage_unlock",
    "manage_reset_second_factor",
    "manage_password_link",
):
    SAMPLES[f"accounts:{_name}"] = Sample(lambda w: {"pk": w.sepang_member().pk})
SAMPLES["accounts:manage_set_active"] = Sample(
    lambda w: {"pk": w.sepang_member().pk}, data={"active": "0"}
)
SAMPLES["audit:break_glass_end"] = Sample(lambda w: {"pk": w.grant().pk})
SAMPLES["publishing:organization_vcard"] = Sample(lambda w: {"pk": w.organisation.pk})
SAMPLES["verification:verify"] = Sample(lambda w: {"kind": "service", "pk": w.service.pk})
SAMPLES["api-v1:verification_verify"] = Sample(lambda w: {"kind": "service", "id": w.service.pk})
SAMPLES["api-v1:proposal_create"] = Sample(
    data={"kind": "service", "id": "00000000-0000-4000-8000-000000000000", "changes": {}},
    json=True,
)


def _sepang_referral(w: World) -> dict[str, Any]:
    """A new referral in Sepang, reported by the world's CBO member."""
    from direktori.referrals.services import referral_submit
    from direktori.referrals.submission import Submission

    referral, _created = referral_submit(
        reporter=w.users[Role.CBO_MEMBER],
        submission=Submission(
            target_group="elderly",
            concern="Warga emas tinggal seorang, tidak makan dua hari.",
            urgency="urgent",
            area=w.sepang,
            consent_given=True,
            consent_by="subject",
        ),
    )
    # Made "two hours ago", so that the samples do not use up the member's hourly limit of
    # submissions (REFERRAL_SUBMISSIONS_PER_HOUR), which POST /api/v1/referrals needs.
    from django.utils import timezone

    type(referral).objects.filter(pk=referral.pk).update(
        created_at=timezone.now() - timedelta(hours=2)
    )
    return {"id": referral.pk}


for _name in ("api-v1:referral_detail", "api-v1:referral_events"):
    SAMPLES[_name] = Sample(_sepang_referral)
SAMPLES["api-v1:referral_transition"] = Sample(
    _sepang_referral, data={"action": "acknowledge"}, json=True
)
for _name in ("referrals:detail", "referrals:sent", "referrals:summary_pdf"):
    SAMPLES[_name] = Sample(lambda w: {"pk": _sepang_referral(w)["id"]})
SAMPLES["referrals:act"] = Sample(
    lambda w: {"pk": _sepang_referral(w)["id"]}, data={"action": "acknowledge"}
)
SAMPLES["api-v1:referral_create"] = Sample(
    data={
        "target_group": "elderly",
        "district": "10_7",
        "urgency": "routine",
        "summary": "Warga emas tinggal seorang.",
        "consent": {"given": True, "by": "subject"},
    },
    json=True,
)


def _fresh_proposal(world: World, *, key: str) -> dict[str, Any]:
    proposals = world.organisation.change_proposals
    return {key: proposals.create(changes={"description_ms": f"Baharu {proposals.count()}"}).pk}


for _name, _key, _data, _json in (
    ("verification:accept", "pk", {}, False),
    ("verification:reject", "pk", {"reason": "Tidak tepat."}, False),
    ("api-v1:proposal_accept", "id", {}, False),
    ("api-v1:proposal_reject", "id", {"reason": "Tidak tepat."}, True),
):
    SAMPLES[_name] = Sample(  # a fresh proposal each time, with a value not yet used
        partial(_fresh_proposal, key=_key),
        data=_data,
        json=_json,
    )


#: The CBO a member moves to: made once, in Sepang (the move API's sample body names it).
MOVE_TARGET = "00000000-0000-4000-8000-00000000a0a0"


def _sepang_membership(w: World, *, key: str) -> dict[str, Any]:
    """A new, active membership of the Sepang CBO (each request may end or move one)."""
    from direktori.directory.models import Organization
    from direktori.directory.tests.factories import OrganizationFactory
    from direktori.members.tests.factories import MembershipFactory

    if not Organization.objects.filter(pk=MOVE_TARGET).exists():
        OrganizationFactory.create(pk=MOVE_TARGET, area=w.sepang)
    return {key: MembershipFactory.create(cbo=w.organisation).pk}


for _name in ("members:reappoint", "members:move", "members:end"):
    SAMPLES[_name] = Sample(partial(_sepang_membership, key="pk"))
SAMPLES["members:appoint"] = Sample(lambda w: {"pk": w.organisation.pk})
SAMPLES["api-v1:cbo_member_appoint"] = Sample(
    lambda w: {"cbo_id": w.organisation.pk},
    data={
        "full_name": "Ahli Matriks",
        "role": "ahli",
        "appointed_by": "KPWKM",
        "appointed_on": "2026-01-05",
    },
    json=True,
)
SAMPLES["api-v1:membership_end"] = Sample(
    partial(_sepang_membership, key="membership_id"), data={}, json=True
)
SAMPLES["api-v1:membership_move"] = Sample(
    partial(_sepang_membership, key="membership_id"), data={"cbo": MOVE_TARGET}, json=True
)


def _outreach_activity(w: World) -> dict[str, Any]:
    from django.utils import timezone

    from direktori.directory.models import TaxonomyTerm
    from direktori.outreach.models import Activity

    activity = Activity.objects.create(
        cbo=w.organisation,
        target_group=TaxonomyTerm.objects.target_groups().get(code="elderly"),
        kind=Activity.Kind.HOME_VISIT,
        date=timezone.localdate(),
        locality=w.sepang,
        people_reached=5,
    )
    return {"pk": activity.pk}


SAMPLES["outreach:edit"] = Sample(_outreach_activity)
SAMPLES["outreach:delete"] = Sample(_outreach_activity)
SAMPLES["api-v1:activity_create"] = Sample(
    data={
        "cbo": "00000000-0000-4000-8000-000000000000",
        "target_group": "elderly",
        "kind": "home_visit",
        "date": "2026-01-05",
        "locality": "10_7",
        "people_reached": 5,
    },
    json=True,
)


def _training_session(w: World) -> Any:
    """A Sepang training session on a required topic; with `certificate`, a member of the
    Sepang CBO (not one of the world's accounts) who attended it and has a certificate."""
    import datetime

    from direktori.training.models import Topic, TrainingSession

    topic, _created = Topic.objects.get_or_create(
        code="matrix-topic", defaults={"name_ms": "Topik ujian", "required": True}
    )
    session = TrainingSession.objects.create(
        title="Sesi ujian",
        starts_on=datetime.date(2026, 1, 10),
        place="Dewan Orang Ramai Dengkil",
        district=w.sepang,
        trainer="Pegawai JKM Sepang",
        organiser="KPWKM",
    )
    session.topics.add(topic)
    return session


def _training_certificate(w: World) -> Any:
    import datetime

    from direktori.members.models import Membership, Person
    from direktori.training.models import Attendance, certificate_number_new

    person = Person.objects.create(full_name="Ahli Ujian Matriks")
    Membership.objects.create(
        person=person,
        cbo=w.organisation,
        role="ahli",
        appointed_by="KPWKM",
        appointed_on=datetime.date(2025, 1, 1),
    )
    return Attendance.objects.create(
        session=_training_session(w),
        person=person,
        status="attended",
        certificate_number=certificate_number_new(2026),
    )


def _training_topic(w: World) -> dict[str, Any]:
    _training_session(w)
    return {}


for _name in ("training:detail", "training:edit", "training:attendance"):
    SAMPLES[_name] = Sample(lambda w: {"pk": _training_session(w).pk})
SAMPLES["training:person"] = Sample(lambda w: {"pk": _training_certificate(w).person_id})
for _name in ("training:certificate", "certificates:check"):
    SAMPLES[_name] = Sample(lambda w: {"number": _training_certificate(w).certificate_number})
SAMPLES["api-v1:training_session_detail"] = Sample(
    lambda w: {"session_id": _training_session(w).pk}
)
SAMPLES["api-v1:training_attendance_record"] = Sample(
    lambda w: {"session_id": _training_session(w).pk}, data={"attendance": []}, json=True
)
SAMPLES["api-v1:training_session_create"] = Sample(
    _training_topic,
    data={
        "title": "Asas perlindungan kanak-kanak",
        "starts_on": "2026-12-05",
        "place": "Dewan Orang Ramai Salak Tinggi",
        "district": "10_7",
        "topics": ["matrix-topic"],
        "trainer": "Pegawai JKM Sepang",
        "organiser": "KPWKM",
    },
    json=True,
)


def _sepang_booklet(w: World) -> Any:
    """A Sepang booklet, made (a tiny PDF in the default storage) or, with `done=False`, queued."""
    from django.core.files.base import ContentFile

    from direktori.publishing.models import BookletBuild

    build = BookletBuild(district=w.sepang, language="ms", paper="a5", status="done")
    build.pdf.save("sample.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"), save=False)
    build.save()
    return build


SAMPLES["publishing:booklet_download"] = Sample(
    lambda w: {"code": _sepang_booklet(w).district.code, "language": "ms", "paper": "a5"}
)
SAMPLES["publishing:booklet_status"] = Sample(lambda w: {"pk": _sepang_booklet(w).pk})
