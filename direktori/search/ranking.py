"""The final order of the best candidates, computed the same way whichever database found them.

A service scores for each group of the query by the best way it matches (a word as typed beats a
synonym, which beats a typo's correction) in the best field (its name beats its description);
bonuses go to names that contain the query as written, to short names it covers well, to services
near the person or based in the chosen area, and to entries verified in the last year.
"""

from __future__ import annotations

import datetime
import math
import uuid
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from django.utils import timezone

from .plan import Alternative, Group

FIELD_WEIGHTS = {
    "name": 3.0,
    "organisation": 2.5,
    "phones": 3.0,
    "keywords": 2.0,
    "places": 2.0,
    "body": 1.0,
}


@dataclass
class Candidate:
    service_id: uuid.UUID
    fields: dict[str, set[str]]
    name_words: list[str]
    organisation_words: list[str]
    title: str
    base_path: str
    verified_on: datetime.date | None
    distance_km: float | None = None
    score: float = 0.0
    every_term: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self.every_term = frozenset().union(*self.fields.values())


@dataclass(frozen=True)
class _Way:
    """An alternative ready to test: each term's forms as a set, and its prefix if any."""

    terms: tuple[tuple[frozenset[str], str | None], ...]
    strength: float

    @classmethod
    def of(cls, alternative: Alternative) -> _Way:
        terms = tuple(
            (frozenset(term.forms), term.forms[0] if term.prefix else None)
            for term in alternative.terms
        )
        return cls(terms=terms, strength=alternative.strength)

    def held_by(self, words: AbstractSet[str]) -> bool:
        for forms, prefix in self.terms:
            if not forms.isdisjoint(words):
                continue
            if prefix and any(word.startswith(prefix) for word in words):
                continue
            return False
        return True


SPREAD_WEIGHT = 0.8  # the words of a phrase found, but in different fields
FIELDS_BY_WEIGHT = sorted(FIELD_WEIGHTS, key=lambda field: -FIELD_WEIGHTS[field])


class Scorer:
    """`score(candidate)` for one query: its groups and words prepared once."""

    def __init__(
        self,
        groups: list[Group],
        *,
        query_words: list[list[str]],
        area_path: str | None,
        today: datetime.date | None = None,
    ) -> None:
        self.groups = [[_Way.of(a) for a in group.alternatives] for group in groups]
        self.phrases = [phrase for phrase in query_words if phrase]
        self.words = frozenset(w for g in groups for a in g.alternatives for w in a.words)
        self.area_path = area_path
        self.today = today or timezone.localdate()

    def _group(self, candidate: Candidate, ways: list[_Way]) -> float:
        best = 0.0
        for way in ways:
            forms, prefix = way.terms[0]
            if prefix is None and forms.isdisjoint(candidate.every_term):
                continue  # the common case among many synonyms: not in the service at all
            for field in FIELDS_BY_WEIGHT:  # the first field holding it is its best
                value = FIELD_WEIGHTS[field] * way.strength
                if value <= best:
                    break
                if way.held_by(candidate.fields[field]):
                    best = value
                    break
            spread = SPREAD_WEIGHT * way.strength
            if len(way.terms) > 1 and spread > best and way.held_by(candidate.every_term):
                best = spread
        return best

    def score(self, candidate: Candidate) -> float:
        groups = self.groups
        matched = [self._group(candidate, ways) for ways in groups]
        total = sum(matched) / len(groups) if groups else 0.0
        total += 2.0 * (sum(1 for value in matched if value) / len(groups) if groups else 0.0)
        if any(
            _phrase_in(candidate.name_words, phrase)
            or _phrase_in(candidate.organisation_words, phrase)
            for phrase in self.phrases
        ):
            total += 1.5
        if candidate.name_words:
            name_terms = set(candidate.name_words)
            total += 0.8 * len(name_terms & self.words) / len(name_terms)
        if self.area_path and candidate.base_path.startswith(self.area_path):
            total += 0.4
        if candidate.distance_km is not None:
            total += 1.2 * math.exp(-candidate.distance_km / 5.0)
        if candidate.verified_on and (self.today - candidate.verified_on).days <= 365:
            total += 0.1
        return total


def _phrase_in(words: list[str], phrase: list[str]) -> bool:
    n = len(phrase)
    return n > 0 and any(words[i : i + n] == phrase for i in range(len(words) - n + 1))


def score(
    candidate: Candidate,
    groups: list[Group],
    *,
    query_words: list[list[str]],
    area_path: str | None,
    today: datetime.date | None = None,
) -> float:
    """One candidate's score; `Scorer` scores many for the same query."""
    scorer = Scorer(groups, query_words=query_words, area_path=area_path, today=today)
    return scorer.score(candidate)
