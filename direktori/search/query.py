"""What a search asks for and what it answers: the one interface of the search engine.

The page (`/cari/`), the API (`GET /api/v1/search`), the evaluation set and the benchmarks all go
through `engine.search(SearchQuery(...))`; the database backends behind it are interchangeable.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from direktori.areas.models import Area

DEFAULT_RADIUS_KM = 25.0
MAX_RADIUS_KM = 500.0


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    target_group: str = ""  # a target group's TaxonomyTerm.code: children, elderly, …
    term_id: uuid.UUID | None = None  # any taxonomy term (a category or a target group)
    area: Area | None = None  # a state, district or mukim: services based in it or serving it
    open_now: bool = False
    near: tuple[float, float] | None = None  # (latitude, longitude) of the person
    radius_km: float | None = None  # with `near`: only services within it (default 25 km)
    exact: bool = False  # the words as typed: no typo correction

    @property
    def is_empty(self) -> bool:
        return not (
            self.text.strip()
            or self.target_group
            or self.term_id
            or self.area
            or self.open_now
            or self.near
        )


@dataclass(frozen=True)
class Hit:
    service_id: uuid.UUID
    score: float  # higher is better; only comparable within one result list
    distance_km: float | None = None  # with `near`: to the service's nearest public location


@dataclass
class SearchResults:
    count: int  # all matches, not only this page
    hits: list[Hit] = field(default_factory=list)  # the requested page, best first
    did_you_mean: str = ""  # a corrected query when the words as typed found little or nothing
    corrected: bool = False  # True when `hits` already come from the corrected words
