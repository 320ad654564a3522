"""What the statistics dashboard shows, and its downloads: every figure from
`selectors.statistics` and `selectors.referral_counts`, with exact counts only when
`permissions.may_see_exact` allows them for the area shown, as the API decides
(docs/statistics.md). Nothing here counts anything itself; rates divide a figure shown by the
census population of its area (`census`), and a hidden figure has no rate.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max
from django.utils import timezone

from direktori.areas.models import Area

from . import census, places, selectors
from .disclosure import is_unallocated
from .forms import Choice, month_end
from .models import Category, StatisticRollup
from .permissions import may_see_exact
from .places import Place
from .selectors import Statistics, StatisticsQuery

#: How many whole months the dashboard shows when none are chosen.
DEFAULT_MONTHS = 6


@dataclass(frozen=True)
class Line:
    """One row of a table on the dashboard."""

    key: str
    name: str
    count: int | None
    suppressed: bool
    rate: float | None = None
    code: str = ""  # the area to drill down to, when the row is one


@dataclass
class Figures:
    """One kind of figures (official, or referrals made through the site) for the choice."""

    total: Line
    by_area: list[Line]
    by_month: list[Line]

    @property
    def any(self) -> bool:
        return bool(self.total.count or self.total.suppressed or self.by_month)


@dataclass
class Dashboard:
    choice: Choice
    exact: bool
    base: str  # "children" or "people": what rates are per 100,000 of
    official: Figures
    referrals: Figures
    sources: list[str]
    lineage: list[Place]  # the country, down to the chosen area
    child_level: selectors.GroupBy  # "state", "district" or "" (a district has no areas below)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def category_label(self) -> str:
        return str(Category(self.choice.category).label)

    @property
    def suppressed_any(self) -> bool:
        lines = [self.official.total, self.referrals.total]
        for figures in (self.official, self.referrals):
            lines += figures.by_area + figures.by_month
        return any(line.suppressed for line in lines)


def default_range(category: str, today: datetime.date | None = None) -> tuple[datetime.date, ...]:
    """The latest DEFAULT_MONTHS whole months ending with the last complete month that has
    official figures of the category (the last complete months when there are none)."""
    today = today or timezone.localdate()
    this_month = today.replace(day=1)
    latest = (
        StatisticRollup.objects.of_category(category)
        .filter(period_end__lt=this_month, area__code=places.tree().country.code)
        .aggregate(latest=Max("period_end"))["latest"]
    )
    last = (latest or this_month - datetime.timedelta(days=1)).replace(day=1)
    first = last
    for _month in range(DEFAULT_MONTHS - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return first, month_end(last)


def build(choice: Choice, user: Any) -> Dashboard:
    tree = places.tree()
    area = Area.objects.get(code=choice.area.code)
    exact = may_see_exact(user, area)
    child_level: selectors.GroupBy = (
        "state"
        if choice.area.kind == "country"
        else "district"
        if choice.area.kind == "state"
        else ""
    )
    base = "children" if choice.category == Category.CHILD_PROTECTION else "people"

    def query(group_by: selectors.GroupBy) -> StatisticsQuery:
        return StatisticsQuery(choice.category, choice.start, choice.end, choice.area, group_by)

    def figures(read: Any) -> Figures:
        by_area = read(query(child_level), exact=exact) if child_level else None
        by_month = read(query("month"), exact=exact)
        return Figures(
            total=_total(by_month, choice.area, base),
            by_area=_lines(by_area, tree, base) if by_area else [],
            by_month=_lines(by_month, tree, base, areas=False),
        )

    return Dashboard(
        choice=choice,
        exact=exact,
        base=base,
        official=figures(selectors.statistics),
        referrals=figures(selectors.referral_counts),
        sources=selectors.sources(query("")),
        lineage=[tree.by_code[code] for code in reversed(tree.lineage(choice.area.code))],
        child_level=child_level,
    )


def _population(code: str, base: str) -> int | None:
    found = census.population(code)
    if found is None:
        return None
    return found.children if base == "children" else found.people


def _total(answer: Statistics, area: Place, base: str) -> Line:
    return Line(
        key=area.code,
        name=area.label,
        count=answer.total,
        suppressed=answer.suppressed,
        rate=census.rate(answer.total, _population(area.code, base)),
        code=area.code,
    )


def _lines(answer: Statistics, tree: places.Tree, base: str, *, areas: bool = True) -> list[Line]:
    lines = []
    for row in answer.rows:
        is_area = areas and not is_unallocated(row.key) and row.key in tree.by_code
        population = _population(row.key, base) if is_area else None
        lines.append(
            Line(
                key=row.key,
                name=row.name,
                count=row.count,
                suppressed=row.suppressed,
                rate=census.rate(row.count, population),
                code=row.key if is_area else "",
            )
        )
    return lines
