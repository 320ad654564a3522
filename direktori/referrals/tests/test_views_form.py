"""The referral form (/akaun/rujukan/baru/) and the confirmation page: who may use them, what a
submit makes (one referral per client_token), the errors, the places of a district without
JavaScript, the hourly limit, and no personal data in URLs, redirects or the audit."""

from __future__ import annotations

import datetime
import json
import re
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from direktori.accounts.models import User
from direktori.accounts.testing import signed_in
from direktori.audit.models import AuditEvent
from direktori.referrals.models import Referral

from .conftest import People
from .factories import SECRET_ADDRESS, SECRET_CONCERN, SECRET_MYKAD, SECRET_NAME, submit
from .test_api import body, call

pytestmark = pytest.mark.django_db

CREATE = "/akaun/rujukan/baru/"
SECRETS = (SECRET_NAME, SECRET_CONCERN, SECRET_MYKAD, SECRET_ADDRESS, "0123456789", "+60123456789")


def client(user: User | None) -> Client:
    return signed_in(Client(), user) if user is not None else Client()


def form_data(**fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "client_token": str(uuid.uuid4()),
        "urgency": "urgent",
        "target_group": "children",
        "concern": SECRET_CONCERN,
        "district": "10_7",
        "mukim": "",
        "locality": "",
        "address_or_landmark": SECRET_ADDRESS,
        "subject_description": SECRET_NAME,
        "subject_age": "7",
        "subject_age_band": "",
        "subject_sex": "female",
        "subject_mykad": "900101-10-5678",
        "consent": "guardian",
        "consent_reason": "",
        "reporter_phone": "012-345 6789",
    }
    data.update(fields)
    return data


def test_anonymous_visitors_are_sent_to_sign_in(people: People) -> None:
    for url in (CREATE, "/akaun/rujukan/", "/en/akaun/rujukan/baru/"):
        response = Client().get(url)
        assert response.status_code == 302 and "/akaun/masuk/" in response["Location"], url
    response = Client().post(CREATE, form_data())
    assert response.status_code == 302 and not Referral.objects.exists()


def test_an_account_without_a_role_gets_404(people: People) -> None:
    assert client(people.no_role).get(CREATE).status_code == 404
    assert client(people.no_role).post(CREATE, form_data()).status_code == 404
    assert client(people.no_role).get("/akaun/rujukan/").status_code == 404
    assert not Referral.objects.exists()


def test_the_form_for_a_member_of_a_sepang_cbo(people: People) -> None:
    response = client(people.reporter).get(CREATE)
    assert response.status_code == 200
    assert response["Cache-Control"].count("no-store") == 1
    html = response.content.decode()
    token = re.search(r'name="client_token" value="([0-9a-f-]{36})"', html)
    assert token and uuid.UUID(token.group(1))
    assert 'href="tel:999"' in html and 'href="tel:15999"' in html
    # Beside the "immediate danger" choice, before the rest of the form (without JavaScript).
    assert (
        html.index('value="immediate"') < html.index('id="danger-now"') < html.index("id_concern")
    )
    form = response.context["form"]
    assert form["district"].value() == "10_7"  # the reporter's CBO's district
    assert "Dengkil" in dict(form.fields["mukim"].choices).values()
    assert "Pekan Dengkil" in dict(form.fields["locality"].choices).values()
    assert html.count("<fieldset") >= 7 and html.count("<legend") >= 7
    # A new token each time the form is shown.
    again = re.search(
        r'name="client_token" value="([0-9a-f-]{36})"',
        client(people.reporter).get(CREATE).content.decode(),
    )
    assert again and again.group(1) != token.group(1)


def test_the_form_in_english(people: People) -> None:
    response = client(people.chair).get("/en/akaun/rujukan/baru/")
    html = response.content.decode()
    assert response.status_code == 200 and '<html lang="en">' in html
    assert "Refer a person to the welfare office" in html and "Send the referral" in html
    assert 'action="/en/akaun/rujukan/baru/"' in html


def test_a_submit_makes_one_referral_and_shows_its_reference(people: People) -> None:
    data = form_data(mukim=people.dengkil.code, locality=people.pekan_dengkil.code)
    response = client(people.reporter).post(CREATE, data)
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/akaun/rujukan/{referral.pk}/dihantar/"
    assert referral.reporter == people.reporter and referral.area == people.pekan_dengkil
    assert (
        referral.assigned_office == people.sepang
        and str(referral.client_token) == data["client_token"]
    )
    assert (referral.consent_given, referral.consent_by) == (True, "guardian")
    assert referral.subject_mykad == "900101105678" and referral.subject_age_band == "6_12"
    assert referral.reporter_phone == "+60123456789"
    sent = client(people.reporter).get(response["Location"])
    html = sent.content.decode()
    assert sent.status_code == 200 and referral.reference in html
    with translation.override("en"):
        english = client(people.reporter).get(f"/en/akaun/rujukan/{referral.pk}/dihantar/")
    assert "within 1 working day" in english.content.decode()
    for secret in SECRETS:
        assert secret not in html


def test_a_double_submit_makes_one_referral(people: People) -> None:
    data = form_data()
    browser = client(people.reporter)
    first = browser.post(CREATE, data)
    second = browser.post(CREATE, data)
    third = browser.post(CREATE, {**data, "concern": "Sesuatu yang lain"})
    assert Referral.objects.count() == 1
    assert first["Location"] == second["Location"] == third["Location"]


def test_the_script_gets_json_instead_of_a_redirect(people: People) -> None:
    response = client(people.reporter).post(
        CREATE, form_data(), headers={"X-Referral-Form": "fetch"}
    )
    referral = Referral.objects.get()
    assert response.status_code == 200
    assert response.json() == {"location": f"/akaun/rujukan/{referral.pk}/dihantar/"}


def test_problems_are_listed_linked_and_the_form_stays_filled(people: People) -> None:
    data = form_data(urgency="", subject_mykad="123", concern=SECRET_CONCERN, subject_age="200")
    response = client(people.reporter).post(CREATE, data)
    html = response.content.decode()
    assert response.status_code == 200 and not Referral.objects.exists()
    opening = re.search(r'<div[^>]*id="form-errors"[^>]*>', html)
    assert opening and "autofocus" in opening.group(0) and 'role="alert"' in opening.group(0)
    summary = html[opening.start() : html.index("</div>", opening.start())]
    assert 'href="#id_urgency_0"' in summary and 'href="#id_subject_age"' in summary
    assert 'aria-describedby="id_urgency_error"' in html
    assert re.search(
        r'<input[^>]*aria-describedby="id_subject_age_error"[^>]*id="id_subject_age"', html
    )
    assert SECRET_CONCERN in html and SECRET_NAME in html  # nothing typed is lost
    assert f'value="{data["client_token"]}"' in html  # the same referral when sent again


def test_the_services_rules_show_on_their_fields(people: People) -> None:
    data = form_data(
        target_group="elderly", urgency="routine", consent="none", subject_mykad="991399-10-5678"
    )
    response = client(people.reporter).post(CREATE, data)
    form = response.context["form"]
    assert set(form.errors) == {"consent", "subject_mykad"}
    assert not Referral.objects.exists()
    child = form_data(consent="none", consent_reason="Ibu bapa tidak dapat dihubungi langsung.")
    assert client(people.reporter).post(CREATE, child).status_code == 302
    referral = Referral.objects.get()
    assert not referral.consent_given and referral.consent_reason.startswith("Ibu bapa")


def test_a_mukim_of_another_district_is_refused(people: People) -> None:
    response = client(people.reporter).post(
        CREATE, form_data(district="10_5", mukim=people.dengkil.code)
    )
    assert set(response.context["form"].errors) == {"mukim"}
    assert not Referral.objects.exists()


def test_without_javascript_another_districts_places_are_shown_and_nothing_is_sent(
    people: People,
) -> None:
    # A member of a Petaling CBO refers someone in Sepang: the form starts in Petaling.
    petaling_member = User.objects.get(pk=people.reporter.pk)
    petaling_member.organisation.area = people.petaling
    petaling_member.organisation.save()
    start = client(petaling_member).get(CREATE).context["form"]
    assert start["district"].value() == "10_5"
    assert "Dengkil" not in dict(start.fields["mukim"].choices).values()
    data = form_data(show_places="1", district="10_7")
    response = client(petaling_member).post(CREATE, data)
    form = response.context["form"]
    assert response.status_code == 200 and not form.errors and not Referral.objects.exists()
    assert "Dengkil" in dict(form.fields["mukim"].choices).values()
    html = response.content.decode()
    assert SECRET_CONCERN in html and f'value="{data["client_token"]}"' in html
    assert re.search(r'<select name="mukim"[^>]*autofocus', html)
    with_script = client(petaling_member).get(CREATE, {"district": "10_7"}).context["form"]
    assert "Dengkil" in dict(with_script.fields["mukim"].choices).values()


def test_the_hourly_limit(people: People, settings: Any) -> None:
    settings.REFERRAL_SUBMISSIONS_PER_HOUR = 2
    browser = client(people.reporter)
    first = form_data()
    assert browser.post(CREATE, first).status_code == 302
    assert browser.post(CREATE, form_data()).status_code == 302
    refused = browser.post(CREATE, form_data())
    assert refused.status_code == 200 and Referral.objects.count() == 2
    assert "999" in " ".join(refused.context["form"].non_field_errors())
    # A retry of a referral already made is never refused.
    assert browser.post(CREATE, first).status_code == 302
    api = call("post", "/api/v1/referrals", people.reporter, body())
    assert api.status_code == 429 and "999" in api.json()["detail"]
    # Another account has its own limit.
    assert client(people.other_member).post(CREATE, form_data()).status_code == 302
    # An hour later, the reporter may send again.
    Referral.objects.filter(reporter=people.reporter).update(
        created_at=timezone.now() - datetime.timedelta(minutes=61)
    )
    assert browser.post(CREATE, form_data()).status_code == 302
    settings.REFERRAL_SUBMISSIONS_PER_HOUR = 0  # no limit
    for _number in range(3):
        submit(people.reporter)


def test_the_confirmation_page_is_the_reporters_only(people: People) -> None:
    referral = submit(people.reporter)
    url = reverse("referrals:sent", args=[referral.pk])
    assert client(people.reporter).get(url).status_code == 200
    for name in ("other_member", "chair", "sepang_officer", "petaling_officer", "no_role"):
        assert client(getattr(people, name)).get(url).status_code == 404, name
    assert "/akaun/masuk/" in Client().get(url)["Location"]


def test_nothing_personal_in_urls_redirects_or_the_audit(people: People) -> None:
    browser = client(people.reporter)
    response = browser.post(CREATE, form_data())
    referral = Referral.objects.get()
    browser.get(response["Location"])
    browser.get("/akaun/rujukan/")
    browser.get(f"/akaun/rujukan/{referral.pk}/")
    events = AuditEvent.objects.filter(object_type="referrals.referral")
    dump = json.dumps([[e.detail, e.reason, e.object_id] for e in events], default=str)
    urls = response["Location"] + "".join(
        reverse(name, args=[referral.pk]) for name in ("referrals:detail", "referrals:sent")
    )
    for secret in (*SECRETS, referral.reference):
        assert secret not in urls
    for secret in SECRETS:
        assert secret not in dump
    reads = [e.detail for e in events.filter(action="record_viewed").order_by("when", "pk")]
    assert reads == [
        {"what": "confirmation", "via": "page"},
        {"what": "mine", "via": "page", "shown": 1},
        {"what": "detail", "via": "page"},
    ]
