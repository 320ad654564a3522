"""`GET /api/v1/statistics` (CONTRACT; docs/statistics.md): official figures of one category over
a range, as a total and rows by state, district or month. Open to everyone: anonymous callers,
and anyone whose role does not cover the area asked about, get small counts hidden; an officer
with a bearer token sees the exact counts of their own area."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from direktori.accounts.api_auth import BearerToken
from direktori.accounts.models import User
from direktori.areas.models import Area
from direktori.core.api_params import state_and_district

from . import places, selectors
from .models import Category
from .permissions import may_see_exact

MAX_TEXT = 120


def no_credentials(request: HttpRequest) -> AnonymousUser | None:
    """Lets a caller without an `Authorization` header in as anonymous; one with a header that
    is not a good token gets 401 from BearerToken, not the public view."""
    return None if request.headers.get("Authorization") else AnonymousUser()


router = Router(auth=[BearerToken(), no_credentials])


class StatisticsParams(Schema):
    category: str = Field("", description=f"One of: {', '.join(Category.values)}")
    from_: str = Field("", alias="from", description="First day of the range, YYYY-MM-DD")
    to: str = Field("", description="Last day of the range, YYYY-MM-DD")
    state: str = Field("", description="DOSM name (any case) or code, e.g. Selangor or 10")
    district: str = Field("", description="DOSM name or code, e.g. Sepang or 10_7")
    group_by: str = Field("", description="state, district or month")


class RowOut(Schema):
    key: str = Field(..., description="DOSM code, `<code>:unallocated`, `YYYY-MM`, or a period")
    name: str
    count: int | None
    suppressed: bool


class StatisticsOut(Schema):
    total: int | None
    suppressed: bool
    rows: list[RowOut]


class ErrorOut(Schema):
    detail: str


@router.get(
    "/statistics",
    response={200: StatisticsOut, 401: ErrorOut, 422: ErrorOut},
    url_name="statistics",
    summary="Official statistics: a total, and rows by state, district or month",
)
def statistics(request: HttpRequest, params: Query[StatisticsParams]) -> Any:
    """A figure counts when its whole period lies inside [from, to]. Counts from 1 to 4 are
    null with `suppressed: true` for anonymous callers and for officers asking outside their
    area, and so are the other cells needed so that none can be worked out."""
    query, area = parse(params)
    caller = getattr(request, "auth", None)  # set by the router's auth
    user = caller if isinstance(caller, User) else None
    answer = selectors.statistics(query, exact=may_see_exact(user, area))
    return {
        "total": answer.total,
        "suppressed": answer.suppressed,
        "rows": [row.__dict__ for row in answer.rows],
    }


def parse(params: StatisticsParams) -> tuple[selectors.StatisticsQuery, Area]:
    """The query, or HttpError 422 naming what is wrong."""
    for name in ("category", "from_", "to", "state", "district", "group_by"):
        if len(getattr(params, name)) > MAX_TEXT:
            raise HttpError(422, f"'{name.rstrip('_')}' is too long.")
    category = params.category.strip().lower()
    if category not in Category.values:
        raise HttpError(422, f"Give 'category', one of: {', '.join(Category.values)}.")
    start = _date(params.from_, "from")
    end = _date(params.to, "to")
    if start and end and end < start:
        raise HttpError(422, "'to' must not be before 'from'.")
    group_by = params.group_by.strip().lower()
    if group_by and group_by not in selectors.GROUPINGS:
        raise HttpError(422, "'group_by' is one of: state, district, month.")
    state, district = state_and_district(
        params.state, params.district, find=places.find, status=422
    )
    if group_by == "state" and district is not None:
        raise HttpError(422, "A district has no states: leave out 'district' or 'group_by'.")
    area = district or state or Area.objects.get(code=places.tree().country.code)
    query = selectors.StatisticsQuery(
        category=category,
        start=start,
        end=end,
        area=places.tree().by_code[area.code],
        group_by=group_by,  # type: ignore[arg-type]
    )
    return query, area


def _date(text: str, name: str) -> datetime.date | None:
    if not text.strip():
        return None
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise HttpError(422, f"'{name}' is a date as YYYY-MM-DD, e.g. 2023-06-30.") from None
