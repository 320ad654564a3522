"""The search engine: `search(SearchQuery)` → `SearchResults`. See query.py for the interface.

1. The words are read (plan.py): typos corrected against the indexed words, phrases widened by the
   lexicon's abbreviations and synonyms.
2. The database backend finds the services holding every group (or, when that finds too little,
   any group) inside the filters, best first by its own rank.
3. The best candidates are ordered by `ranking.score`, the same on every database.
Without words, services are listed nearest first (with a position) or local and verified first.
"""

from __future__ import annotations

import datetime
import math
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from direktori.directory.models import Service

from . import cache, lexicon, ranking, reference, tokens, versions
from .backends import backend
from .backends.base import Filters, subqueries
from .documents import area_facet, term_facet
from .models import SearchFacet, SearchHours, SearchPlace, SearchWord
from .plan import RELATED, Group, Plan, analyse
from .query import DEFAULT_RADIUS_KM, Hit, SearchQuery, SearchResults

CANDIDATES = 100  # ranked in Python; past this many matches, chosen by the backend's tiers
ENOUGH = 10  # fewer matches of every word than this: also rank those matching some words
EARTH_RADIUS_KM = 6371.0088


def search(query: SearchQuery, *, offset: int = 0, limit: int = 20) -> SearchResults:
    with versions.snapshot():
        return _search(query, offset=offset, limit=limit)


def _search(query: SearchQuery, *, offset: int, limit: int) -> SearchResults:
    within = _filters(query)
    plan = cache.remembered(("plan", query.text, query.exact), lambda: _analyse(query))
    if plan.groups:
        results = _by_relevance(query, plan, within, offset=offset, limit=limit)
    else:
        results = _by_place(query, within, offset=offset, limit=limit)
    if plan.corrections:
        results.did_you_mean = plan.corrected_text
        results.corrected = True
    return results


def matching[S: QuerySet[Service]](services: S, typed: str) -> S:
    """The services, active or not, holding every word as `search` reads them, in no particular
    order: a filter for lists with their own order and statuses, such as the HSDS API."""
    plan = analyse(typed, lexicon.current(), known=_known_words, similar=backend().similar_words)
    if not plan.groups:
        return services
    sql, params = backend().matching_sql(plan.groups)
    return services.filter(pk__in=RawSQL(sql, params))  # noqa: S611


def services_for(hits: Iterable[Hit], *, listing: bool = True) -> list[Service]:
    """The hits' services in hit order, each with `distance_km` set: ready for the page's list
    (`listing`), or with only their organisation, area and public phones (the API)."""
    hits = list(hits)
    # Active again: a bulk update that bypassed the signals must still not show a closed service.
    # Checked here, not in SQL: SQLite would then scan the status index of every service.
    ids = [hit.service_id for hit in hits]
    services = Service.objects.filter(pk__in=ids)
    services = services.for_listing() if listing else services.with_contact()
    by_id = {service.pk: service for service in services if service.is_active}
    ordered = []
    for hit in hits:
        service = by_id.get(hit.service_id)
        if service is not None:
            service.distance_km = hit.distance_km  # type: ignore[attr-defined]
            ordered.append(service)
    return ordered


def _analyse(query: SearchQuery) -> Plan:
    """The words read: shared by every search of the same text (callers must not change it)."""
    return analyse(
        query.text,
        lexicon.current(),
        known=_known_words,
        similar=_no_words if query.exact else backend().similar_words,
    )


def _no_words(word: str) -> list[str]:
    return []


def _known_words(words: list[str]) -> set[str]:
    return set(SearchWord.objects.filter(word__in=words).values_list("word", flat=True))


def _filters(query: SearchQuery) -> Filters:
    facets: list[str] = []
    others: list[QuerySet] = []
    if query.area is not None:
        facets.append(area_facet(query.area.code))
    if query.target_group:
        term_id = reference.target_group(query.target_group)
        if term_id is None:
            others.append(SearchFacet.objects.none())
        else:
            facets.append(term_facet(term_id))
    if query.term_id:
        facets.append(term_facet(query.term_id))
    if query.open_now:
        others.append(_open_at(timezone.localtime()))
    near = None
    if query.near is not None:
        near = (query.near, _radius(query))
        others.append(_places_within(*near).values("service_id"))
    return Filters(
        facets=tuple(facets), near=near, others=tuple(others), cacheable=not query.open_now
    )


def _open_at(moment: datetime.datetime) -> QuerySet:
    minute = moment.hour * 60 + moment.minute
    day = moment.date()
    return (
        SearchHours.objects.filter(
            weekday=moment.isoweekday(), opens__lte=minute, closes__gt=minute
        )
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .values("service_id")
    )


def _radius(query: SearchQuery) -> float:
    return query.radius_km if query.radius_km is not None else DEFAULT_RADIUS_KM


def _places_within(centre: tuple[float, float], km: float) -> QuerySet:
    """Places in the bounding box of the circle; the exact distance is checked in Python."""
    south, north, west, east = tokens.bounding_box(centre, km)
    return SearchPlace.objects.filter(latitude__range=(south, north), longitude__range=(west, east))


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def _distances(ids: list[uuid.UUID], centre: tuple[float, float]) -> dict[uuid.UUID, float]:
    nearest: dict[uuid.UUID, float] = {}
    rows = SearchPlace.objects.filter(service_id__in=ids).values_list(
        "service_id", "latitude", "longitude"
    )
    for service_id, latitude, longitude in rows:
        distance = haversine_km(centre, (latitude, longitude))
        if distance < nearest.get(service_id, math.inf):
            nearest[service_id] = distance
    return nearest


def _by_relevance(
    query: SearchQuery, plan: Plan, within: Filters, *, offset: int, limit: int
) -> SearchResults:
    engine = backend()
    wanted = max(CANDIDATES, offset + limit)
    # What a need merely calls for (`related`) is broad; it widens only a search that found little.
    strong = [
        Group(group.typed, [a for a in group.alternatives if a.strength > RELATED])
        for group in plan.groups
    ]
    ids, count = cache.match(engine, strong, every=True, filters=within, limit=wanted)
    widened = any(
        len(a.alternatives) < len(b.alternatives) for a, b in zip(strong, plan.groups, strict=True)
    )
    if count < ENOUGH and (len(plan.groups) > 1 or widened):
        more, more_count = cache.match(
            engine, plan.groups, every=False, filters=within, limit=wanted
        )
        ids = list(dict.fromkeys([*ids, *more]))
        count = more_count  # any word: a superset of every word
    candidates = _candidates(ids)
    distances = _distances(ids, query.near) if query.near else {}
    if query.near:
        radius = _radius(query)
        inside = [c for c in candidates if distances.get(c.service_id, math.inf) <= radius]
        count -= len(candidates) - len(inside)
        candidates = inside
    scorer = ranking.Scorer(
        plan.groups,
        query_words=[plan.words, plan.expanded],
        area_path=query.area.path if query.area else None,
    )
    for candidate in candidates:
        candidate.distance_km = distances.get(candidate.service_id)
        candidate.score = scorer.score(candidate)
    candidates.sort(key=lambda c: (-c.score, c.distance_km or 0.0, c.title, str(c.service_id)))
    page = candidates[offset : offset + limit]
    return SearchResults(
        count=max(count, 0),
        hits=[Hit(c.service_id, round(c.score, 4), _rounded(c.distance_km)) for c in page],
    )


def _rounded(distance: float | None) -> float | None:
    return None if distance is None else round(distance, 2)


CANDIDATE_COLUMNS = (
    "service_id",
    *ranking.FIELD_WEIGHTS,
    "title",
    "heading",
    "subtitle",
    "base_path",
    "verified_on",
)


def _candidates(ids: list[uuid.UUID]) -> list[ranking.Candidate]:
    if not ids:
        return []
    # Plain SQL: the ORM's preparation of 200 UUIDs costs more than the query.
    native = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(CANDIDATE_COLUMNS)} FROM search_searchdocument "  # noqa: S608
            f"WHERE service_id IN ({', '.join(['%s'] * len(ids))})",
            ids if native else [pk.hex for pk in ids],
        )
        rows = cursor.fetchall()
    return [
        ranking.Candidate(
            service_id=service_id if native else uuid.UUID(service_id),
            fields={
                field: set(value.split())
                for field, value in zip(ranking.FIELD_WEIGHTS, texts, strict=True)
            },
            name_words=heading.split(),
            organisation_words=subtitle.split(),
            title=title,
            base_path=base_path,
            verified_on=_date(verified_on),
        )
        for service_id, *texts, title, heading, subtitle, base_path, verified_on in rows
    ]


def _date(value: datetime.date | str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def _by_place(query: SearchQuery, within: Filters, *, offset: int, limit: int) -> SearchResults:
    """No words: nearest first with a position; else based in the area first, verified, by name."""
    if query.is_empty:
        return SearchResults(count=0)

    def compute() -> tuple[int, tuple[Hit, ...]]:
        results = _listed(query, within, offset=offset, limit=limit)
        return results.count, tuple(results.hits)

    if not within.cacheable:
        count, hits = compute()
    else:
        area = query.area.path if query.area else None
        key = ("place", within.facets, within.near, area, offset, limit)
        count, hits = cache.remembered(key, compute)
    return SearchResults(count=count, hits=list(hits))


def _listed(query: SearchQuery, within: Filters, *, offset: int, limit: int) -> SearchResults:
    if query.near:
        return _nearest(query, _documents(within, "d.service_id"), offset=offset, limit=limit)
    sql, params = _documents(within, "d.service_id, d.title, d.base_path")
    order = "title, service_id"
    order_params: list[Any] = []
    if query.area is not None:  # based in the area first
        order = f"CASE WHEN substr(base_path, 1, %s) = %s THEN 0 ELSE 1 END, {order}"
        order_params = [len(query.area.path), query.area.path]
    # The filter first, then the order of its matches: PostgreSQL would otherwise walk every
    # active document in name order, hoping to meet 20 matches soon (1.8 s for tg=children
    # area=10). The count comes with the page.
    fence = "MATERIALIZED " if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH m AS {fence}({sql}) SELECT service_id, count(*) OVER () FROM m "  # noqa: S608
            f"ORDER BY {order} LIMIT %s OFFSET %s",
            [*params, *order_params, limit, offset],
        )
        rows = cursor.fetchall()
        if rows:
            count = rows[0][1]
        elif offset:  # past the last page: the count alone
            cursor.execute(f"SELECT count(*) FROM ({sql}) m", params)  # noqa: S608
            count = cursor.fetchone()[0]
        else:
            count = 0
    return SearchResults(count=count, hits=[Hit(_uuid(row[0]), 0.0) for row in rows])


def _documents(within: Filters, columns: str) -> tuple[str, list[Any]]:
    """SQL selecting `columns` of the active documents (`d`) inside the filters."""
    found = backend().with_facets(within, columns)
    if found:
        sql, params = found
        others = list(within.others)
    else:
        sql = f"SELECT {columns} FROM search_searchdocument d WHERE d.active"  # noqa: S608
        params, others = [], within.querysets()
    where, more = subqueries(others, "d.service_id")
    return sql + where, [*params, *more]


def _uuid(value: uuid.UUID | str) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(value)


def _nearest(
    query: SearchQuery, documents: tuple[str, list[Any]], *, offset: int, limit: int
) -> SearchResults:
    assert query.near is not None  # noqa: S101 (narrows the type: only called with a place)
    radius = _radius(query)
    places = _places_within(query.near, radius).filter(service_id__in=RawSQL(*documents))  # noqa: S611
    nearest: dict[uuid.UUID, float] = {}
    for service_id, latitude, longitude in places.values_list(
        "service_id", "latitude", "longitude"
    ):
        distance = haversine_km(query.near, (latitude, longitude))
        if distance <= radius and distance < nearest.get(service_id, math.inf):
            nearest[service_id] = distance
    ordered = sorted(nearest.items(), key=lambda item: (item[1], str(item[0])))
    page = ordered[offset : offset + limit]
    return SearchResults(
        count=len(ordered),
        hits=[Hit(pk, 0.0, _rounded(distance)) for pk, distance in page],
    )
