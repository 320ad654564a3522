"""bench/search.py's baseline: a plain SQLite FTS5 index of the same services, no normalisation.

One SQLite file (`plain.db`), built from the directory the benchmark generated:

- `services`: every active service of an active organisation (as our index holds), with three
  text columns: `name` (the service's name, English name and other name), `description` (Malay
  and English descriptions) and `organisation` (the organisation's name, English name and other
  name);
- `services_fts`: FTS5 over those three columns, external content, the default `unicode61`
  tokenizer: no stemming, no synonyms, no abbreviations, no typo correction;
- `facets` and `places`: the filters, copied from our index's filter rows (`SearchFacet`: the
  areas a service is based in or serves, its target groups and categories; `SearchPlace`: its
  public coordinates), so that both systems filter alike and only the text matching differs.

The query is the words as typed, each quoted (as Datasette's `_search` does), all required, in
bm25 order. The same three SQL statements run in-process (`sqlite3`) and as Datasette canned
queries (`metadata()`), with the same parameters, all strings, as Datasette passes them.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

KM_PER_DEGREE = 111.195
DEFAULT_RADIUS_KM = 25.0  # as our engine (direktori.search.query)
LIMIT = 20

_FILTERS = """
  and (:area = '' or s.rowid in (select service_rowid from facets where key = 'a:' || :area))
  and (:tg = '' or s.rowid in (select service_rowid from facets where key = 'tg:' || :tg))
  and (:cat = '' or s.rowid in (select service_rowid from facets where key = 'cat:' || :cat))"""
_D2 = (
    "((p.latitude - :lat) * 111.195) * ((p.latitude - :lat) * 111.195)"
    " + ((p.longitude - :lon) * :kx) * ((p.longitude - :lon) * :kx)"
)
_BOX = (
    "p.latitude between :lat - :dlat and :lat + :dlat"
    " and p.longitude between :lon - :dlon and :lon + :dlon"
)

SQL = {
    # Words: full-text match inside the filters, bm25 order.
    "search": f"""
select s.id, s.name, s.organisation, case when :lat = '' then null else
  (select min({_D2}) from places p where p.service_rowid = s.rowid) end as d2
from services_fts join services s on s.rowid = services_fts.rowid
where services_fts match :q{_FILTERS}
  and (:lat = '' or s.rowid in (select p.service_rowid from places p
        where {_BOX} and {_D2} <= :r * :r))
order by bm25(services_fts) limit {LIMIT}""",  # noqa: S608
    # No words, a point: nearest first inside the radius and the filters.
    "near": f"""
select s.id, s.name, s.organisation, min(n.d2) as d2
from (select p.service_rowid, {_D2} as d2 from places p where {_BOX}) n
join services s on s.rowid = n.service_rowid
where n.d2 <= :r * :r{_FILTERS}
group by s.rowid order by d2, s.name limit {LIMIT}""",  # noqa: S608
    # No words, no point: the services with the most selective filter's key, by name.
    "browse": f"""
select s.id, s.name, s.organisation, null as d2
from facets k join services s on s.rowid = k.service_rowid
where k.key = :key{_FILTERS}
order by s.name limit {LIMIT}""",  # noqa: S608
}

SCHEMA = """
create table services (rowid integer primary key, id text not null, name text,
  description text, organisation text);
create virtual table services_fts using fts5(name, description, organisation,
  content='services', content_rowid='rowid');
create table facets (service_rowid integer not null, key text not null);
create table places (service_rowid integer not null, latitude real not null,
  longitude real not null);
"""
INDEXES = """
create index facets_key on facets (key, service_rowid);
create index places_position on places (latitude, longitude);
create index places_service on places (service_rowid);
insert into services_fts(services_fts) values ('rebuild');
"""


def fts_words(text: str) -> str:
    """The words as typed, each quoted, all required (FTS5's implicit AND)."""
    words = [word.replace('"', "") for word in text.split()]
    return " ".join(f'"{word}"' for word in words if re.search(r"\w", word))


def statement(
    *,
    text: str = "",
    area: str = "",
    target_group: str = "",
    category: str = "",
    near: tuple[float, float] | None = None,
    radius_km: float | None = None,
) -> tuple[str, dict[str, str]]:
    """Which of the three statements, and its parameters as strings (what Datasette receives)."""
    params = {"area": area, "tg": target_group, "cat": category, "lat": "", "lon": ""}
    if near is not None:
        latitude, longitude = near
        radius = radius_km if radius_km is not None else DEFAULT_RADIUS_KM
        kx = KM_PER_DEGREE * max(math.cos(math.radians(latitude)), 0.01)
        params.update(
            lat=repr(latitude),
            lon=repr(longitude),
            kx=f"{kx:.6f}",
            dlat=f"{radius / KM_PER_DEGREE:.6f}",
            dlon=f"{radius / kx:.6f}",
            r=f"{radius:g}",
        )
    words = fts_words(text)
    if words:
        params["q"] = words
        if near is None:
            params.update(kx="0", dlat="0", dlon="0", r="0")
        return "search", params
    if near is not None:
        return "near", params
    key = (
        f"a:{area}"
        if area
        else f"tg:{target_group}"
        if target_group
        else f"cat:{category}"
        if category
        else ""
    )
    return "browse", {**params, "key": key}


def build(path: Path, progress: Callable[[str], None] | None = None) -> int:
    """Write the plain index of the directory in Django's default database; returns services."""
    from django.db.models import Q

    from direktori.directory.models import Service, TaxonomyTerm
    from direktori.directory.models.taxonomy import SERVICE_CATEGORIES, TARGET_GROUPS
    from direktori.search.models import SearchFacet, SearchPlace

    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.executescript(SCHEMA)
    rowids: dict[uuid.UUID, int] = {}
    rows = Service.objects.active().values_list(
        "id",
        "name",
        "name_en",
        "alternate_name",
        "description_ms",
        "description_en",
        "organization__name",
        "organization__name_en",
        "organization__alternate_name",
    )
    batch: list[tuple[Any, ...]] = []
    for number, row in enumerate(rows.order_by("id").iterator(chunk_size=5000), start=1):
        rowids[row[0]] = number
        batch.append((number, str(row[0]), _join(*row[1:4]), _join(*row[4:6]), _join(*row[6:9])))
    db.executemany("insert into services values (?, ?, ?, ?, ?)", batch)
    if progress:
        progress(f"{len(batch):,} services")
    prefixes = {TARGET_GROUPS: "tg", SERVICE_CATEGORIES: "cat"}
    terms = {
        f"t:{pk}": f"{prefixes[taxonomy]}:{code}"
        for pk, code, taxonomy in TaxonomyTerm.objects.filter(
            Q(taxonomy__code=TARGET_GROUPS) | Q(taxonomy__code=SERVICE_CATEGORIES)
        ).values_list("id", "code", "taxonomy__code")
    }
    facets = SearchFacet.objects.values_list("service_id", "key").iterator(chunk_size=20000)
    db.executemany(
        "insert into facets values (?, ?)",
        (
            (rowids[service_id], terms.get(key, key))
            for service_id, key in facets
            if service_id in rowids and (key.startswith("a:") or key in terms)
        ),
    )
    places = SearchPlace.objects.values_list("service_id", "latitude", "longitude")
    db.executemany(
        "insert into places values (?, ?, ?)",
        (
            (rowids[service_id], latitude, longitude)
            for service_id, latitude, longitude in places.iterator(chunk_size=20000)
            if service_id in rowids
        ),
    )
    db.executescript(INDEXES)
    db.commit()
    db.execute("analyze")
    db.execute("vacuum")
    db.close()
    return len(batch)


def _join(*values: str) -> str:
    return " ".join(value for value in values if value)


def metadata(database: str = "plain") -> dict[str, Any]:
    """Datasette's metadata: the three statements as canned queries of the database."""
    return {
        "databases": {
            database: {"queries": {name: {"sql": sql.strip()} for name, sql in SQL.items()}}
        }
    }


def write_metadata(path: Path, database: str = "plain") -> None:
    path.write_text(json.dumps(metadata(database), indent=2), encoding="utf-8")


class PlainIndex:
    """The plain index in-process, one connection (Datasette keeps its connections too)."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)

    def run(self, name: str, params: Mapping[str, str]) -> list[tuple[str, float | None]]:
        return [(row[0], row[-1]) for row in self.db.execute(SQL[name], dict(params))]

    def explain(self, name: str, params: Mapping[str, str]) -> list[str]:
        rows = self.db.execute("explain query plan " + SQL[name], dict(params))
        return [f"{row[0]} {row[1]} {row[3]}" for row in rows]


def hits_from_rows(rows: list[tuple[str, float | None]]) -> list[tuple[uuid.UUID, float | None]]:
    """Service ids and distances in km from the rows of a statement."""
    return [
        (uuid.UUID(service_id), None if d2 is None else round(math.sqrt(float(d2)), 2))
        for service_id, d2 in rows
    ]
