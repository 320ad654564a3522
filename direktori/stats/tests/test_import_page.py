"""The HQ administrators' upload of official figures: preview, refusal by row and column,
confirmation, who may use it; and the demo's sample of the press release."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from direktori.accounts.models import Role, User
from direktori.accounts.testing import account, signed_in
from direktori.audit.models import AuditEvent
from direktori.stats.demo import demo_statistics_ensure
from direktori.stats.models import StatisticImport, StatisticRecord

pytestmark = pytest.mark.django_db

URL = "/en/akaun/statistik/import/"
HEADER = "period_start,period_end,state,district,category,count,source\n"
GOOD = HEADER + (
    "2023-01-01,2023-01-31,Selangor,Sepang,elderly,12,JKM\n"
    "2023-01-01,2023-01-31,Selangor,,elderly,3,JKM\n"
)
BAD = HEADER + (
    "2023-01-01,2023-01-31,Selangor,Sepang,elderly,12,JKM\n"
    "2023-01-01,2023-01-31,Selangor,Atlantis,elderly,3,JKM\n"
    "2023-02-01,2023-02-28,Selangor,Sepang,elderly,-4,JKM\n"
)


def upload(client: Client, text: str, name: str = "angka.csv") -> str:
    response = client.post(URL, {"file": SimpleUploadedFile(name, text.encode(), "text/csv")})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def hq(reference_areas: None) -> Client:
    return signed_in(Client(), account(Role.HQ_ADMIN, "MY"))


def test_a_bad_file_is_refused_naming_row_and_column(hq: Client) -> None:
    html = upload(hq, BAD)
    problems = re.findall(
        r'<tr><th scope="row">(\d+)</th><td translate="no">([^<]+)</td><td>([^<]+)</td></tr>', html
    )
    assert [(row, column) for row, column, _message in problems] == [
        ("3", "district"),
        ("4", "count"),
    ]
    assert "Atlantis" in problems[0][2] and "negative" in problems[1][2]
    assert 'name="token"' not in html
    assert not StatisticRecord.objects.exists() and not StatisticImport.objects.exists()


def test_preview_then_confirm_saves_and_is_audited(hq: Client) -> None:
    html = upload(hq, GOOD)
    assert "Check before saving" in html and not StatisticRecord.objects.exists()
    token = re.search(r'name="token" value="([^"]+)"', html)
    assert token is not None
    response = hq.post(URL, {"token": token[1]})
    assert response.status_code == 200 and "Saved" in response.content.decode()
    assert sorted(StatisticRecord.objects.values_list("count", flat=True)) == [3, 12]
    batch = StatisticImport.objects.get()
    assert (batch.file_name, batch.created) == ("angka.csv", 2)
    assert AuditEvent.objects.filter(object_id=str(batch.pk)).exists()
    # The same file again replaces nothing and adds nothing; a changed count is listed.
    html = upload(hq, GOOD)
    assert re.search(r"<dt>Unchanged</dt><dd>2</dd>", html)
    assert 'id="replaced-caption"' not in html
    html = upload(hq, GOOD.replace(",12,JKM", ",14,JKM"))
    assert re.search(r"<dt>Will replace an earlier count</dt><dd>1</dd>", html)
    assert re.search(r"<th scope=\"row\">2</th>.*<td>Sepang</td>.*<td>12</td><td>14</td>", html)


def test_a_token_is_bound_to_its_administrator(hq: Client) -> None:
    token = re.search(r'name="token" value="([^"]+)"', upload(hq, GOOD))
    assert token is not None
    other = signed_in(Client(), account(Role.HQ_ADMIN, "MY"))
    response = other.post(URL, {"token": token[1]})
    assert "has expired or was changed" in response.content.decode()
    assert not StatisticRecord.objects.exists()


def test_only_hq_administrators_may_upload(reference_areas: None) -> None:
    assert Client().get(URL).status_code == 302  # to sign in
    for role, area in (
        (Role.CBO_MEMBER, "10_7"),
        (Role.CBO_CHAIR, "10_7"),
        (Role.DISTRICT_OFFICER, "10_7"),
        (Role.STATE_OFFICER, "10"),
    ):
        client = signed_in(Client(), account(role, area))
        assert client.get(URL).status_code == 404
        response = client.post(URL, {"file": SimpleUploadedFile("a.csv", GOOD.encode())})
        assert response.status_code == 404
    assert not StatisticRecord.objects.exists()
    assert signed_in(Client(), account(Role.HQ_ADMIN, "MY")).get(URL).status_code == 200


def test_the_home_page_links_hq_administrators_to_the_upload(reference_areas: None) -> None:
    hq_admin: User = account(Role.HQ_ADMIN, "MY")
    assert (
        "/akaun/statistik/import/" in signed_in(Client(), hq_admin).get("/akaun/").content.decode()
    )
    officer = account(Role.STATE_OFFICER, "10")
    home = signed_in(Client(), officer).get("/akaun/").content.decode()
    assert "/akaun/statistik/import/" not in home and "/statistik/?area=10" in home


def test_the_demo_sample_holds_the_press_release_only(
    reference_areas: None, client: Client
) -> None:
    assert demo_statistics_ensure().created == 6
    assert demo_statistics_ensure().created == 0  # idempotent
    assert StatisticImport.objects.count() == 1
    assert set(StatisticRecord.objects.values_list("source", flat=True)) == {
        "KPWKM press release (JKM figures), Jan–Jun 2023"
    }
    for category, figures in {
        "child_protection": ("3767", "794", "58"),
        "domestic_violence": ("402", "83", "7"),
    }.items():
        found = []
        for area in ("", "10", "10_7"):
            params = {"category": category, "from": "2023-01-01", "to": "2023-06-30"}
            params |= {"district": area} if "_" in area else {"state": area} if area else {}
            found.append(str(client.get("/api/v1/statistics", params).json()["total"]))
        assert tuple(found) == figures
    html = client.get("/en/statistik/").content.decode()  # the default range is the half year
    assert 'name="start" value="2023-01"' in html and 'data-key="total">3767<' in html


def test_seed_demo_imports_the_sample(db: None) -> None:
    call_command("seed_demo", verbosity=0)
    assert StatisticRecord.objects.count() == 6
    assert StatisticRecord.objects.filter(area__code="10_7").count() == 2
