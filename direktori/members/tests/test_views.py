"""Who sees what of the register (issue 6, "Done means"; docs/security.md)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from direktori.accounts.testing import signed_in
from direktori.audit.models import Action, AuditEvent
from direktori.members.models import ConsentSource, Person

from .conftest import PUBLIC_PHONE, SECRET_EMAIL, SECRET_PHONE, Register

pytestmark = pytest.mark.django_db


def members_page(register: Register) -> str:
    return reverse("members:cbo_members", kwargs={"pk": register.cbo.pk})


@pytest.mark.parametrize("who", ["chair_user", "member_user", "officer"])
def test_those_allowed_see_the_members_and_their_contacts(register: Register, who: str) -> None:
    response = signed_in(Client(), getattr(register, who)).get(members_page(register))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Siti Pengerusi" in page and "Ahmad Setiausaha" in page
    assert SECRET_PHONE in page and SECRET_EMAIL in page


def test_an_officers_read_is_audited_a_members_is_not(register: Register) -> None:
    signed_in(Client(), register.member_user).get(members_page(register))
    assert not AuditEvent.objects.filter(object_type="members.membership").exists()
    signed_in(Client(), register.officer).get(members_page(register))
    event = AuditEvent.objects.get(object_type="members.membership")
    assert event.action == Action.RECORD_VIEWED and event.actor == register.officer


@pytest.mark.parametrize("who", ["other_officer", "other_cbo_member"])
def test_outside_the_area_or_cbo_is_404(register: Register, who: str) -> None:
    response = signed_in(Client(), getattr(register, who)).get(members_page(register))
    assert response.status_code == 404


def test_anonymous_is_sent_to_sign_in(register: Register) -> None:
    response = Client().get(members_page(register))
    assert response.status_code == 302 and "/akaun/masuk/" in response["Location"]


def test_public_page_shows_names_and_only_consented_contacts(register: Register) -> None:
    for client in (Client(), signed_in(Client(), register.officer)):
        url = reverse("directory:organization_detail", kwargs={"pk": register.cbo.pk})
        page = client.get(url).content.decode()
        assert "Siti Pengerusi" in page and "Ahmad Setiausaha" in page
        assert PUBLIC_PHONE in page
        assert SECRET_PHONE not in page and SECRET_EMAIL not in page


def test_english_pages(register: Register) -> None:
    url = "/en" + members_page(register)
    page = signed_in(Client(), register.chair_user).get(url).content.decode()
    assert "Chair (Pengerusi)" in page


def test_attention_lists_cbos_without_chair_for_officers_only(register: Register) -> None:
    url = reverse("members:attention")
    page = signed_in(Client(), register.officer).get(url).content.decode()
    assert register.cbo.name not in page  # it has a chair and current terms
    register.chair.role = "ajk"
    register.chair.save()
    page = signed_in(Client(), register.officer).get(url).content.decode()
    assert register.cbo.name in page
    assert register.other_cbo.name not in page  # another district
    assert signed_in(Client(), register.chair_user).get(url).status_code == 404


def test_a_member_updates_their_own_contact_and_consent(register: Register) -> None:
    client = signed_in(Client(), register.chair_user)
    url = reverse("members:me")
    assert SECRET_PHONE in client.get(url).content.decode()
    response = client.post(
        url, {"phone": "019-261 5999", "email": "baru@example.my", "listed_publicly": "on"}
    )
    assert response.status_code == 302
    person = Person.objects.get(pk=register.chair.person.pk)
    assert person.phone == "+60192615999" and person.email == "baru@example.my"
    assert person.listed_publicly and person.consent_source == ConsentSource.MEMBER
    assert AuditEvent.objects.filter(action=Action.RECORD_CHANGED, object_id=str(person.pk))


def test_an_invalid_phone_is_refused_on_my_page(register: Register) -> None:
    client = signed_in(Client(), register.chair_user)
    response = client.post(reverse("members:me"), {"phone": "12", "email": ""})
    assert response.status_code == 200
    assert Person.objects.get(pk=register.chair.person.pk).phone == SECRET_PHONE


def test_my_page_without_a_register_entry(register: Register) -> None:
    response = signed_in(Client(), register.officer).get(reverse("members:me"))
    assert response.status_code == 200
