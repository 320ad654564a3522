"""What a search backend does: full-text matching and word lookup, in its database's own way."""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from ..plan import AS_TYPED, CORRECTED, Alternative, Group, Term


@dataclass(frozen=True)
class Filters:
    """What a match must also be: hold every facet (SearchFacet keys), be in every queryset of
    service ids in `others`; `near` (centre, km) is there as well, its bounding box in `others`."""

    facets: tuple[str, ...] = ()
    near: tuple[tuple[float, float], float] | None = None
    others: tuple[QuerySet, ...] = ()
    cacheable: bool = True  # the same answer while the index stays the same (not "open now")

    def querysets(self) -> list[QuerySet]:
        """Every filter as a queryset of the service ids it allows."""
        from ..models import SearchFacet

        facets = [SearchFacet.objects.filter(key=key).values("service_id") for key in self.facets]
        return [*facets, *self.others]


def as_written(groups: list[Group]) -> list[Group]:
    """Each group with only the words as typed or as corrected: no synonym, nothing related."""
    return [
        Group(group.typed, [a for a in group.alternatives if a.strength in (AS_TYPED, CORRECTED)])
        for group in groups
    ]


def by_tiers(
    groups: list[Group],
    *,
    every: bool,
    syntax: Syntax,
    names: Callable[[str, int], list[uuid.UUID]],
    found: list[uuid.UUID],
    limit: int,
) -> list[uuid.UUID]:
    """`limit` of more matches than can be weighed each: those whose names hold the words as
    written (typed or corrected), then those whose names hold any way of saying them, then the
    first `found`. `names(expression, n)` gives up to n matches of the expression in names."""
    written = as_written(groups)
    texts = (
        [syntax.expression(written, every=every)] if all(g.alternatives for g in written) else []
    )
    texts.append(syntax.expression(groups, every=every))
    chosen: list[uuid.UUID] = []
    for text in texts:
        chosen = list(dict.fromkeys([*chosen, *names(text, limit)]))
        if len(chosen) >= limit:
            break
    return list(dict.fromkeys([*chosen, *found]))[:limit]


class Backend(ABC):
    @abstractmethod
    def match(
        self, groups: list[Group], *, every: bool, filters: Filters, limit: int
    ) -> tuple[list[uuid.UUID], int]:
        """Up to `limit` ids of active services matching every group (`every`) or any, the
        likeliest first (those holding the words as typed in their names), and the number of
        all matches, inside the filters."""

    def with_facets(
        self, filters: Filters, columns: str = "d.service_id"
    ) -> tuple[str, list[Any]] | None:
        """SQL selecting `columns` of the active documents (`d`) holding every facet
        (SearchFacet keys) and in a grid cell near the point, when the backend has a faster way
        than joining `filters.querysets()` (which stay the way without it)."""
        return None

    @abstractmethod
    def matching_sql(self, groups: list[Group]) -> tuple[str, list[Any]]:
        """SQL selecting the ids of every service, active or not, holding every group."""

    @abstractmethod
    def similar_words(self, word: str, limit: int = 40) -> list[str]:
        """Indexed words that look like `word` (trigrams): candidates for a typo's correction."""


@dataclass(frozen=True)
class Syntax:
    """How a database's full-text query language writes "or", "and", a word and a prefix."""

    any_of: str
    all_of: str
    word: Callable[[str], str]
    prefix: Callable[[str], str]

    def term(self, term: Term) -> str:
        forms = [self.word(form) for form in term.forms]
        if term.prefix:
            forms.append(self.prefix(term.forms[0]))
        return "(" + self.any_of.join(forms) + ")"

    def alternative(self, terms: tuple[Term, ...]) -> str:
        return "(" + self.all_of.join(self.term(term) for term in terms) + ")"

    def expression(self, groups: list[Group], *, every: bool) -> str:
        """Every group (or any), each as any of its alternatives, each as all of its words."""
        parts = [
            "(" + self.any_of.join(self.alternative(t) for t in fewest(group.alternatives)) + ")"
            for group in groups
        ]
        return (self.all_of if every else self.any_of).join(parts)


def _covers(wide: tuple[Term, ...], narrow: tuple[Term, ...]) -> bool:
    """Whether every document holding `narrow` holds `wide`: each term of `wide` has a term of
    `narrow` whose forms are among its own."""
    return all(
        any(not n.prefix and set(n.forms) <= set(w.forms) for n in narrow)
        or any(n == w for n in narrow)
        for w in wide
    )


def fewest(alternatives: list[Alternative]) -> list[tuple[Term, ...]]:
    """The same matches with less work for the index: single words merged into one list of
    forms, and alternatives dropped when another finds all they find ("people with
    disabilities" when "disabilities" is there). Ranking still sees every alternative."""
    single: dict[str, None] = {}
    several: list[tuple[Term, ...]] = []
    for alternative in alternatives:
        terms = alternative.terms
        if len(terms) == 1 and not terms[0].prefix:
            single.update(dict.fromkeys(terms[0].forms))
        elif terms not in several:
            several.append(terms)
    merged = ([(Term(forms=tuple(single)),)] if single else []) + several

    def redundant(i: int) -> bool:
        terms = merged[i]
        return any(
            j != i and _covers(other, terms) and (j < i or not _covers(terms, other))
            for j, other in enumerate(merged)
        )

    return [terms for i, terms in enumerate(merged) if not redundant(i)]


def trigrams(word: str) -> list[str]:
    return sorted({word[i : i + 3] for i in range(len(word) - 2)})


def subqueries(within: list[QuerySet], column: str) -> tuple[str, list[Any]]:
    """`AND column IN (…)` for each filter, with its parameters, compiled by Django."""
    sql: list[str] = []
    params: list[Any] = []
    for queryset in within:
        query_sql, query_params = queryset.query.sql_with_params()
        sql.append(f" AND {column} IN ({query_sql})")
        params.extend(query_params)
    return "".join(sql), params
