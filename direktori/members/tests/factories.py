from __future__ import annotations

import datetime

import factory

from direktori.directory.tests.factories import CleanModelFactory, OrganizationFactory
from direktori.members.models import AppointingBody, MemberRole, Membership, Person


class PersonFactory(CleanModelFactory[Person]):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Ahli Ujian {n}")
    phone = factory.Sequence(lambda n: f"+6012{3000000 + n}")
    email = factory.Sequence(lambda n: f"ahli{n}@example.my")
    listed_publicly = False


class MembershipFactory(CleanModelFactory[Membership]):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    cbo = factory.SubFactory(OrganizationFactory)
    role = MemberRole.AHLI
    appointed_by = AppointingBody.KPWKM
    appointed_on = datetime.date(2025, 1, 1)
    term_ends_on = datetime.date(2027, 12, 31)
