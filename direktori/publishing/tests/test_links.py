"""Where people find the booklets and the spreadsheets: every public page's footer links the
published booklets; an officer's account page links the booklet request and the entries
spreadsheets, a CBO member's does not."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from direktori.accounts.models import Role
from direktori.accounts.testing import account, signed_in
from direktori.areas.models import Area
from direktori.directory.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_the_footer_links_the_published_booklets(reference_areas: None) -> None:
    page = Client().get(reverse("directory:home")).content.decode()
    assert f'href="{reverse("publishing:booklet_list")}"' in page


@pytest.mark.parametrize(("role", "shown"), [("officer", True), ("member", False)])
def test_the_account_page_links_booklets_and_spreadsheets_for_officers(
    reference_areas: None, role: str, shown: bool
) -> None:
    if role == "officer":
        user = account(Role.DISTRICT_OFFICER, "10_7")
    else:
        cbo = OrganizationFactory.create(area=Area.objects.get(code="10_7"))
        user = account(Role.CBO_MEMBER, organisation=cbo)
    page = signed_in(Client(), user).get(reverse("accounts:home")).content.decode()
    for name in ("publishing:booklet_request", "publishing:entries_import"):
        assert (f'href="{reverse(name)}"' in page) is shown
