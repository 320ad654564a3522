"""`selectors.referral_counts`: referrals made through the site, by the category their target
group counts under, kept apart from official figures and under the same disclosure control."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from direktori.accounts.models import Role, User
from direktori.accounts.testing import account
from direktori.areas.models import Area
from direktori.referrals.models import Referral
from direktori.referrals.services import referral_submit, referral_withdraw
from direktori.referrals.submission import Submission
from direktori.stats import places
from direktori.stats.selectors import GroupBy, StatisticsQuery, referral_counts, statistics


def submit(reporter: User, target_group: str, area: Area) -> Referral:
    referral, _created = referral_submit(
        reporter=reporter,
        submission=Submission(
            target_group=target_group,
            concern="Dilihat di kawasan kampung.",
            urgency="urgent",
            area=area,
            consent_given=True,
            consent_by="subject",
        ),
    )
    return referral


@pytest.mark.django_db
def test_referrals_are_counted_by_category_district_and_month(reference_areas: None) -> None:
    sepang = Area.objects.get(code="10_7")
    reporter = account(Role.CBO_MEMBER, "10_7")
    for _ in range(6):
        submit(reporter, "children", sepang)
    submit(reporter, "elderly", sepang)
    withdrawn = submit(reporter, "children", sepang)
    referral_withdraw(referral=withdrawn, actor=reporter)
    tree = places.tree()
    month = timezone.localdate().replace(day=1)
    last_day = (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)

    def ask(
        category: str, area: str, group_by: GroupBy = "", end: datetime.date = last_day
    ) -> StatisticsQuery:
        return StatisticsQuery(category, month, end, tree.by_code[area], group_by)

    exact = referral_counts(ask("child_protection", "10_7", "month"), exact=True)
    assert exact.total == 6
    assert [(row.key, row.count) for row in exact.rows] == [(f"{month:%Y-%m}", 6)]
    assert referral_counts(ask("child_protection", "10"), exact=True).total == 6
    # A range that ends before the month does is not the whole month.
    if last_day.day > 1:
        short = ask("child_protection", "MY", end=last_day - datetime.timedelta(days=1))
        assert referral_counts(short, exact=True).total == 0
    # The public: one elderly referral is a count from 1 to 4.
    public = referral_counts(ask("elderly", "MY", "state"), exact=False)
    assert public.total is None and public.suppressed
    assert referral_counts(ask("destitute", "MY"), exact=True).total == 0
    # Never in the official figures.
    assert statistics(ask("child_protection", "MY"), exact=True).total == 0
