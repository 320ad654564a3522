"""A realistic synthetic national directory of N services, for benchmarks (`generate_synthetic`).

Every organisation is fictional (`is_demo`, "(Demo)" in its name, phones from the demo's made-up
block) but stands at a real place: within a kilometre of one of the Ministry of Health's clinics and
hospitals, in that facility's DOSM district, named after the kampung or town the facility serves.
The same seed writes the same directory, ids included, in batches of rows written straight from
tuples (100,000 services are over a million rows)."""

from __future__ import annotations

import csv
import math
import random
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import partial
from operator import attrgetter
from pathlib import Path
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models import ForeignObjectRel
from django.db.models.deletion import get_candidate_relations_to_delete
from django.utils import timezone
from django.utils.translation import gettext as _

from direktori.areas.geo import DistrictLocator
from direktori.areas.models import Area

from . import synthetic_names as names
from .demo import DEMO_PHONE_NOTE
from .demo_real import MOH_FACILITIES_CSV
from .models import (
    Address,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)
from .models.organisations import Status
from .models.taxonomy import SERVICE_CATEGORIES, TARGET_GROUPS
from .reference import stable_id
from .synthetic_names import Hours, OrganizationKind, ServiceKind

BATCH_SERVICES = 2000  # services, with everything that hangs off them, per round of inserts
DELETE_BATCH = 1000  # organisations per round of deletes
SQLITE_CACHE_KIB = 64 * 1024  # random UUID keys: inserts are fast while their indexes fit
JITTER_METRES, METRES_PER_DEGREE = 1000, 111_320
DEMO_SUFFIX = " (Demo)"
# 010-200 1000 … 010-200 9999: the demo's made-up block (`demo.demo_number`), above the thousand
# numbers the Sepang demo uses, so that the two never share a number.
PHONE_PREFIX, PHONE_FIRST, PHONE_COUNT = "+6010200", 1000, 9000
SERVICES_PER_ORGANIZATION = (1, 1, 1, 2, 2, 2, 3, 3, 4)
STATUSES, STATUS_WEIGHTS = (Status.ACTIVE, Status.INACTIVE, Status.TEMPORARILY_CLOSED), (96, 3, 1)
VERIFIED_SHARE, VERIFIED_WITHIN_DAYS = 0.75, 730
WEEKDAYS, SUNDAY_TO_THURSDAY, ALL_WEEK = (1, 2, 3, 4, 5), (7, 1, 2, 3, 4), (1, 2, 3, 4, 5, 6, 7)
TERMS = Service.terms.through


def synthetic_source(seed: int) -> str:
    return f"synthetic (seed {seed})"


def _synthetic_organizations(seed: int) -> models.QuerySet[Organization]:
    return Organization.objects.filter(is_demo=True, source=synthetic_source(seed))


@dataclass(frozen=True)
class Site:
    """A real MOH facility placed in its DOSM district: where synthetic organisations stand."""

    facility: str
    latitude: float
    longitude: float
    district_id: int
    district_code: str
    district: str
    state_id: int
    state: str
    town: str
    villages: tuple[str, ...]
    postcode: str


@dataclass
class SyntheticSummary:
    created: Counter[str] = field(default_factory=Counter)
    deleted_organizations: int = 0
    sites: int = 0
    skipped_facilities: int = 0


def synthetic_directory_create(
    *,
    services: int,
    seed: int,
    replace: bool = False,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SyntheticSummary:
    """Write a synthetic directory of `services` services. Needs `load_reference` first;
    `progress(done, total)` is called after each batch.

    Refuses when this seed's directory exists, unless `replace`: then it is deleted first, in the
    same transaction, so that a failure leaves the directory as it was."""
    if services < 1:
        raise ValidationError(_("Give a number of services of at least 1."))
    summary = SyntheticSummary()
    # The cache outside the transaction: the commit writes every page of it.
    with _sqlite_cache(), transaction.atomic():
        if _synthetic_organizations(seed).exists():
            if not replace:
                raise ValidationError(
                    _(
                        "The synthetic directory of seed %(seed)d is already there. Give "
                        "--replace to delete it and generate it again."
                    )
                    % {"seed": seed}
                )
            summary.deleted_organizations = synthetic_directory_delete(seed=seed)
        locator = DistrictLocator.from_database()
        sites, summary.skipped_facilities = sites_load(locator=locator)
        if not sites:
            raise ValidationError(_("No districts to place services in: run load_reference first."))
        summary.sites = len(sites)
        # Verification dates count back from the first of the month: the same seed gives the
        # same directory all month.
        anchor = (today or timezone.localdate()).replace(day=1)
        generator = _Generator(seed, sites, locator, anchor)
        summary.created = generator.run(services=services, progress=progress)
    return summary


def synthetic_directory_delete(*, seed: int) -> int:
    """Delete the synthetic organisations of this seed and all that hangs off them; their number.

    One DELETE per table and round of DELETE_BATCH organisations. Django's cascade would load
    every row and send a signal for each (the search index listens): far too slow for a national
    directory, whose index `generate_synthetic` rebuilds anyway."""
    ids = list(_synthetic_organizations(seed).values_list("pk", flat=True))
    with transaction.atomic():
        for start in range(0, len(ids), DELETE_BATCH):
            _cascade_delete(Organization, ids[start : start + DELETE_BATCH])
    return len(ids)


def _cascade_delete(model: type[models.Model], ids: list[Any]) -> None:
    """What deleting these records does, without loading them or sending a signal: the rows of
    every relation to them first (hidden ones included, such as the search index's), then the
    records. Ids are read level by level, so that every statement is an indexed lookup."""
    if not ids:
        return
    for candidate in get_candidate_relations_to_delete(model._meta):
        relation = cast(ForeignObjectRel, candidate)
        dependent = relation.related_model
        assert isinstance(dependent, type)  # noqa: S101 (narrows the type for mypy)
        related = dependent._base_manager.filter(**{f"{relation.field.name}__in": ids})
        if relation.on_delete is models.CASCADE:
            if not list(get_candidate_relations_to_delete(dependent._meta)):
                related._raw_delete(related.db)  # nothing hangs off these rows
            else:
                _cascade_delete(dependent, list(related.order_by().values_list("pk", flat=True)))
        elif relation.on_delete is models.SET_NULL:
            related.update(**{relation.field.name: None})
        elif relation.on_delete is not models.DO_NOTHING and related.exists():
            raise ValidationError(
                _("%(records)s still refer to these synthetic records; delete them first.")
                % {"records": dependent._meta.verbose_name_plural}
            )
    model._base_manager.filter(pk__in=ids)._raw_delete(DEFAULT_DB_ALIAS)


@contextmanager
def _sqlite_cache() -> Iterator[None]:
    """A larger SQLite page cache while generating; the connection's own setting afterwards."""
    if connections[DEFAULT_DB_ALIAS].vendor != "sqlite":
        yield
        return
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        before = int(cursor.execute("PRAGMA cache_size").fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        try:
            yield
        finally:
            cursor.execute(f"PRAGMA cache_size = {before}")


def _term_ids() -> dict[str, uuid.UUID]:
    known = TaxonomyTerm.objects.filter(taxonomy__code__in=(TARGET_GROUPS, SERVICE_CATEGORIES))
    terms = dict(known.values_list("code", "pk"))
    if missing := names.TERM_CODES - terms.keys():
        raise ValidationError(
            _("Target groups or categories are missing (%(codes)s): run load_reference first.")
            % {"codes": ", ".join(sorted(missing))}
        )
    return terms


def sites_load(
    *, locator: DistrictLocator, path: Path = MOH_FACILITIES_CSV
) -> tuple[list[Site], int]:
    """The facilities that can be placed, and how many could not.

    The district is the one the list names (DOSM names), else the one the coordinates fall in. A
    facility whose coordinates lie in another district than the one it names is left out: one of
    the two is wrong, and a location must lie in the district it is filed under."""
    states = dict(Area.objects.states().values_list("pk", "name_ms"))
    # (id, code, name, state id), in the order of Site's fields
    by_code: dict[str, tuple[int, str, str, int]] = {}
    by_name: dict[tuple[str, str], tuple[int, str, str, int]] = {}
    for pk, code, name, state_id in Area.objects.districts().values_list(
        "pk", "code", "name_ms", "parent_id"
    ):
        by_code[code] = (pk, code, name, state_id)
        by_name[(states[state_id].casefold(), name.casefold())] = by_code[code]
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    postcodes = [names.postcode_in(row["address"]) for row in rows]
    towns = [names.town_in(row["address"]) or row["district"].removeprefix("W.P. ") for row in rows]
    known_towns = frozenset(town.casefold() for town in towns)
    # A facility without a postcode takes the one its town's other facilities give most.
    town_postcodes: dict[tuple[str, str], Counter[str]] = {}
    for row, town, postcode in zip(rows, towns, postcodes, strict=True):
        if postcode:
            town_postcodes.setdefault((row["district"], town), Counter())[postcode] += 1
    sites: list[Site] = []
    for row, town, postcode in zip(rows, towns, postcodes, strict=True):
        latitude, longitude = float(row["lat"]), float(row["lon"])
        found = locator.district_code_at(latitude, longitude)
        named = (row["state"].strip().casefold(), row["district"].strip().casefold())
        district = by_name.get(named)
        if district is None and found is not None:
            district = by_code.get(found)
        if district is None or (found is not None and found != district[1]):
            continue
        if not postcode and (counts := town_postcodes.get((row["district"], town))):
            postcode = counts.most_common(1)[0][0]
        villages = names.villages_of(row["name"], row["address"], town, known_towns)
        name, state = row["name"].strip(), states[district[3]]
        sites.append(Site(name, latitude, longitude, *district, state, town, villages, postcode))
    return sites, len(rows) - len(sites)


class _Table:
    """New rows of one table, inserted with executemany. Building a model instance per row, as
    bulk_create does, is most of the time a million rows take; values are still prepared for the
    database by the model's own fields."""

    # Passed as they are (UUIDs only where the database has a uuid type: PostgreSQL).
    PLAIN: tuple[type[Any], ...] = (models.CharField, models.TextField, models.BooleanField)
    PLAIN += (models.IntegerField, models.UUIDField)

    def __init__(self, model: type[models.Model], *, now: datetime) -> None:
        db = connections[DEFAULT_DB_ALIAS]
        fields = [f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)]
        self.columns = tuple(f.attname for f in fields)
        self.defaults: dict[str, Any] = {}
        self.steps: list[tuple[int, Callable[[Any], Any]]] = []  # columns that need preparing
        for index, f in enumerate(fields):
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults[f.attname] = f.get_db_prep_save(now, db)
                continue
            self.defaults[f.attname] = None if f.primary_key else f.get_default()
            target = f.target_field if f.is_relation else f  # type: ignore[attr-defined]
            if isinstance(target, models.UUIDField) and not db.features.has_native_uuid_field:
                self.steps.append((index, attrgetter("hex")))  # what UUIDField does, faster
            elif not isinstance(target, self.PLAIN):
                self.steps.append((index, partial(f.get_db_prep_save, connection=db)))
        quote = db.ops.quote_name
        # Only the model's own table and column names go into the statements, quoted.
        table = quote(model._meta.db_table)
        columns = ", ".join(quote(f.column or f.attname) for f in fields)
        self.copy = f"COPY {table} ({columns}) FROM STDIN"
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
        self.rows: list[list[Any]] = []

    def add(self, **values: Any) -> None:
        given = self.defaults | values
        row = [given[column] for column in self.columns]
        for index, step in self.steps:
            if row[index] is not None:
                row[index] = step(row[index])
        self.rows.append(row)

    def insert(self) -> int:
        rows, self.rows = self.rows, []
        db = connections[DEFAULT_DB_ALIAS]
        with db.cursor() as cursor:
            if db.vendor == "postgresql":  # row by row, the round trips would take most of the time
                with cursor.cursor.copy(self.copy) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(self.sql, rows)
        return len(rows)


_Place = tuple[uuid.UUID, Site, dict[str, str]]  # a location, its site, its placeholders


class _Generator:
    """Draws the directory from one random.Random(seed) in a fixed order. Ids are uuid5 of the
    seed and a running number, so they never depend on the clock or the database."""

    def __init__(
        self, seed: int, sites: list[Site], locator: DistrictLocator, anchor: date
    ) -> None:
        self.rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
        self.seed, self.source = seed, synthetic_source(seed)
        self.sites, self.terms, self.locator, self.anchor = sites, _term_ids(), locator, anchor
        self.sites_by_district: dict[int, list[Site]] = {}
        for site in sites:
            self.sites_by_district.setdefault(site.district_id, []).append(site)
        self.kind_weights = [kind.weight for kind in names.ORGANIZATION_KINDS]
        self.names = names.NameBook()
        self.note_ms, self.note_en = DEMO_PHONE_NOTE
        now = timezone.now()
        # Parents before children, so that foreign keys hold at every statement.
        self.tables: dict[Any, _Table] = {
            model: _Table(model, now=now)
            for model in (
                Organization, Location, Address, Service, Service.terms.through,
                ServiceAtLocation, Phone, Schedule, ServiceArea,
            )
        }  # fmt: skip

    def run(self, *, services: int, progress: Callable[[int, int], None] | None) -> Counter[str]:
        created: Counter[str] = Counter()
        written = organizations = batched = 0
        while written < services:
            organizations += 1
            count = self._organization(organizations, written, services - written)
            written += count
            batched += count
            if batched >= BATCH_SERVICES or written == services:
                for model, table in self.tables.items():
                    label = "service terms" if model is Service.terms.through else model.__name__
                    created[label] += table.insert()
                batched = 0
                if progress is not None:
                    progress(written, services)
        return created

    def _id(self, key: str) -> uuid.UUID:
        return stable_id(f"synthetic:{self.seed}:{key}")

    def _add(self, model: type[models.Model], **values: Any) -> None:
        self.tables[model].add(**values)

    def _organization(self, number: int, first_service: int, services_left: int) -> int:
        rng = self.rng
        kind = rng.choices(names.ORGANIZATION_KINDS, weights=self.kind_weights)[0]
        site = rng.choice(self.sites)
        words = self.names.words(kind, rng.choice(site.villages), site.town, site.district)
        key = f"organization:{number}"
        verified_on = None
        if rng.random() < VERIFIED_SHARE:
            verified_on = self.anchor - timedelta(days=rng.randrange(VERIFIED_WITHIN_DAYS))
        organization = {
            "id": self._id(key),
            "kind": kind.kind,
            "name": kind.name_ms.format(**words) + DEMO_SUFFIX,
            "name_en": kind.name_en.format(**words) + DEMO_SUFFIX,
            "alternate_name": kind.alternate_name.format(**words),
            "description_ms": kind.description[0].format(**words),
            "description_en": kind.description[1].format(**words),
            "area_id": site.district_id,
            "status": Status.ACTIVE,
            "is_demo": True,
            "source": self.source,
            "verified_on": verified_on,
        }
        self._add(Organization, **organization)
        home = self._location(f"{key}/location/0", organization, kind, site, words)
        count = min(services_left, len(kind.services), rng.choice(SERVICES_PER_ORGANIZATION))
        places = [home] * count
        # Now and then an organisation runs its last service from a second place in its district.
        if count > 1 and rng.random() < 0.1:
            other = rng.choice(self.sites_by_district[site.district_id])
            other_words = names.placeholders(rng.choice(other.villages), other.town, other.district)
            places[-1] = self._location(f"{key}/location/1", organization, kind, other, other_words)
        keys = [kind.services[0], *rng.sample(kind.services[1:], count - 1)]
        for index, (code, place) in enumerate(zip(keys, places, strict=True)):
            self._service(first_service + index, organization, names.SERVICE_KINDS[code], place)
        return count

    def _location(
        self, key: str, organization: dict[str, Any], kind: OrganizationKind, site: Site,
        words: dict[str, str],
    ) -> _Place:  # fmt: skip
        rng = self.rng
        latitude, longitude = self._near(site)
        nearby = not kind.confidential_reason and rng.random() < 0.4
        location_id = self._id(key)
        self._add(
            Location,
            id=location_id,
            organization_id=organization["id"],
            name=organization["name"],
            latitude=Decimal(f"{latitude:.6f}"),
            longitude=Decimal(f"{longitude:.6f}"),
            area_id=site.district_id,
            transportation_ms=f"Berhampiran {site.facility}." if nearby else "",
            transportation_en=f"Near {site.facility}." if nearby else "",
            is_confidential=bool(kind.confidential_reason),
            confidential_reason=kind.confidential_reason,
        )
        street = rng.choice(names.STREETS)
        self._add(
            Address,
            id=self._id(f"{key}/address"),
            location_id=location_id,
            address_1=street.format(number=rng.randint(1, 250), small=rng.randint(1, 12), **words),
            city=site.town,
            region=site.district,
            state_province=site.state,
            postal_code=site.postcode,
        )
        return location_id, site, words

    def _near(self, site: Site) -> tuple[float, float]:
        """A point within JITTER_METRES of the site and in its district (else the site itself)."""
        rng = self.rng
        for _attempt in range(5):
            distance, bearing = JITTER_METRES * math.sqrt(rng.random()), rng.random() * 2 * math.pi
            latitude = site.latitude + distance * math.cos(bearing) / METRES_PER_DEGREE
            longitude = site.longitude + distance * math.sin(bearing) / (
                METRES_PER_DEGREE * math.cos(math.radians(site.latitude))
            )
            if self.locator.district_code_at(latitude, longitude) in (None, site.district_code):
                return latitude, longitude
        return site.latitude, site.longitude

    def _service(
        self, number: int, organization: dict[str, Any], kind: ServiceKind, place: _Place
    ) -> None:
        rng = self.rng
        key, service_id = f"service:{number}", self._id(f"service:{number}")
        location_id, site, words = place
        first_ms, first_en = rng.choice(kind.descriptions)
        more = rng.sample(names.MORE_SENTENCES, rng.choice((0, 1, 1, 2)))
        self._add(
            Service,
            id=service_id,
            organization_id=organization["id"],
            name=kind.name_ms,
            name_en=kind.name_en,
            description_ms=" ".join([first_ms, *(ms for ms, _en in more)]).format(**words),
            description_en=" ".join([first_en, *(en for _ms, en in more)]).format(**words),
            status=rng.choices(STATUSES, weights=STATUS_WEIGHTS)[0],
            verified_on=organization["verified_on"],
        )
        others = kind.target_groups[1:]
        groups = [kind.target_groups[0], *rng.sample(others, rng.randint(0, min(2, len(others))))]
        for code in (*groups, *kind.categories[: 2 if rng.random() < 0.4 else 1]):
            self._add(TERMS, service_id=service_id, taxonomyterm_id=self.terms[code])
        at = {"service_id": service_id, "location_id": location_id}
        self._add(ServiceAtLocation, id=self._id(f"{key}/at"), **at)
        self._phone(f"{key}/phone/0", service_id, Phone.Kind.VOICE, position=0)
        if rng.random() < 0.3:
            self._phone(f"{key}/phone/1", service_id, Phone.Kind.WHATSAPP, position=1)
        hours = rng.choice(kind.hours)
        self._hours(key, service_id, names.HOURS[hours], site.state)
        if rng.random() < 0.6:
            areas = {"district": site.district_id}
            if hours == "all_day":  # a helpline or shelter takes callers from the whole state
                areas["state"] = site.state_id
            for label, area_id in areas.items():
                serves = self._id(f"{key}/serves/{label}")
                self._add(ServiceArea, id=serves, service_id=service_id, area_id=area_id)

    def _phone(self, key: str, service_id: uuid.UUID, kind: str, *, position: int) -> None:
        number = f"{PHONE_PREFIX}{PHONE_FIRST + self.rng.randrange(PHONE_COUNT):04d}"
        notes = {"description_ms": self.note_ms, "description_en": self.note_en}
        phone = {"id": self._id(key), "service_id": service_id, "position": position}
        self._add(Phone, kind=kind, number=number, **phone, **notes)

    def _hours(self, key: str, service_id: uuid.UUID, rows: Hours, state: str) -> None:
        if not rows:
            for day in ALL_WEEK:
                day_id = self._id(f"{key}/hours/{day}")
                self._add(Schedule, id=day_id, service_id=service_id, weekday=day, all_day=True)
        shifted = state in names.SUNDAY_TO_THURSDAY_STATES
        for index, (days, opens_at, closes_at) in enumerate(rows):
            times = {"service_id": service_id, "opens_at": opens_at, "closes_at": closes_at}
            for day in SUNDAY_TO_THURSDAY if shifted and days == WEEKDAYS else days:
                self._add(Schedule, id=self._id(f"{key}/hours/{index}/{day}"), weekday=day, **times)
