"""CONTRACT commands: `create_user`, django-otp's `addstatictoken`, and seed_demo's accounts."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from direktori.accounts.models import Role, User
from direktori.accounts.testing import PASSWORD
from direktori.directory.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("create_user", *args, stdout=out)
    return out.getvalue()


def test_create_user_with_a_password(reference_areas: None) -> None:
    run("--username", "pegawai.sepang", "--role", "district_officer", "--area", "10_7",
        "--password", PASSWORD)  # fmt: skip
    user = User.objects.get(username="pegawai.sepang")
    assert (user.role, user.area.code, user.is_staff) == ("district_officer", "10_7", False)
    assert user.check_password(PASSWORD)


def test_create_user_without_a_password_prints_a_one_time_link(reference_areas: None) -> None:
    cbo = OrganizationFactory.create()
    output = run("--username", "ahli1", "--role", "cbo_member", "--area", "10_7",
                 "--organisation", str(cbo.pk))  # fmt: skip
    user = User.objects.get(username="ahli1")
    assert not user.has_usable_password() and user.organisation == cbo
    link = re.search(r"https?://\S+/akaun/tetapkan/\S+/", output)
    assert link is not None
    path = link.group(0).split("://", 1)[1].split("/", 1)[1]
    client = Client()
    form = client.get(f"/{path}", follow=True)
    assert form.status_code == 200 and b'name="new_password1"' in form.content
    chosen = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else f"/{path}",
        {"new_password1": "Pilihan-sendiri-2026", "new_password2": "Pilihan-sendiri-2026"},
    )
    assert chosen.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Pilihan-sendiri-2026")
    # The link works once.
    again = Client().get(f"/{path}", follow=True)
    assert b'name="new_password1"' not in again.content


def test_hq_administrator_covers_the_country_and_may_use_the_admin(reference_areas: None) -> None:
    run("--username", "hq", "--role", "hq_admin", "--password", PASSWORD)
    user = User.objects.get(username="hq")
    assert user.area.kind == "country" and user.is_staff and user.is_superuser


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "district_officer"], "needs --area"),
        (["--role", "district_officer", "--area", "99_9"], "No area has the code 99_9"),
        (["--role", "cbo_member", "--area", "10_7"], "belongs to a CBO"),
        (["--role", "cbo_member", "--area", "10_7", "--organisation", "nope"], "No organisation"),
        (["--role", "district_officer", "--area", "10_7", "--password", "short"], "password"),
    ],
)
def test_create_user_refuses_bad_input_and_saves_nothing(
    reference_areas: None, args: list[str], message: str
) -> None:
    with translation.override("en"), pytest.raises(CommandError, match=message):
        run("--username", "salah", *args)
    assert not User.objects.filter(username="salah").exists()


def test_create_user_refuses_an_unknown_role(reference_areas: None) -> None:
    with pytest.raises(CommandError):
        run("--username", "salah", "--role", "superhero", "--area", "10_7")


def test_addstatictoken_prints_a_code_that_passes_the_second_step(reference_areas: None) -> None:
    run("--username", "pegawai", "--role", "district_officer", "--area", "10_7",
        "--password", PASSWORD)  # fmt: skip
    out = StringIO()
    call_command("addstatictoken", "pegawai", stdout=out)
    code = out.getvalue().strip()
    client = Client()
    client.post("/akaun/masuk/", {"username": "pegawai", "password": PASSWORD})
    assert client.post("/akaun/pengesahan/", {"otp_token": code}).status_code == 302
    assert client.get("/akaun/").status_code == 200


def test_seed_demo_makes_one_account_per_role(reference_areas: None) -> None:
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # idempotent
    roles = dict(User.objects.filter(username__startswith="demo-").values_list("username", "role"))
    assert sorted(roles.values()) == sorted(Role.values)
    member = User.objects.get(role=Role.CBO_MEMBER, username__startswith="demo-")
    assert member.organisation is not None and member.organisation.is_demo
