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


def _holds(terms: AbstractSet[str], alternative: Alternative) -> bool:
    for term in alternative.terms:
        if any(form in terms for form in term.forms):
            continue
        if term.prefix and any(word.startswith(term.forms[0]) for word in terms):
            continue
        return False
    return True


SPREAD_WEIGHT = 0.8  # the words of a phrase found, but in different fields


def _group_score(candidate: Candidate, group: Group) -> float:
    best = 0.0
    for alternative in group.alternatives:
        first = alternative.terms[0]
        if not first.prefix and candidate.every_term.isdisjoint(first.forms):
            continue  # the common case among many synonyms: not in the service at all
        for field, weight in FIELD_WEIGHTS.items():
            value = weight * alternative.strength
            if value > best and _holds(candidate.fields[field], alternative):
                best = value
        spread = SPREAD_WEIGHT * alternative.strength
        if (
            len(alternative.terms) > 1
            and spread > best
            and _holds(candidate.every_term, alternative)
        ):
            best = spread
    return best


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
    today = today or timezone.localdate()
    matched = [_group_score(candidate, group) for group in groups]
    total = sum(matched) / len(groups) if groups else 0.0
    coverage = sum(1 for value in matched if value) / len(groups) if groups else 0.0
    total += 2.0 * coverage
    if any(
        _phrase_in(candidate.name_words, phrase) or _phrase_in(candidate.organisation_words, phrase)
        for phrase in query_words
    ):
        total += 1.5
    if candidate.name_words:
        name_terms = set(candidate.name_words)
        hit = sum(
            1
            for word in name_terms
            if any(
                word in alternative.words for group in groups for alternative in group.alternatives
            )
        )
        total += 0.8 * hit / len(name_terms)
    if area_path and candidate.base_path.startswith(area_path):
        total += 0.4
    if candidate.distance_km is not None:
        total += 1.2 * math.exp(-candidate.distance_km / 5.0)
    if candidate.verified_on and (today - candidate.verified_on).days <= 365:
        total += 0.1
    return total
