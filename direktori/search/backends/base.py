"""What a search backend does: full-text matching and word lookup, in its database's own way."""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from ..plan import Alternative, Group, Term

LARGE_MATCH = 3000  # more matches than this: candidates are not ranked by the database


class Backend(ABC):
    @abstractmethod
    def match(
        self, groups: list[Group], *, every: bool, within: list[QuerySet], limit: int
    ) -> tuple[list[uuid.UUID], int]:
        """Up to `limit` ids of active services matching every group (`every`) or any, best
        first by the database's own rank, and the number of all matches. `within` are querysets
        of service ids that a match must be in (the filters)."""

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

    def alternative(self, alternative: Alternative) -> str:
        return "(" + self.all_of.join(self.term(term) for term in alternative.terms) + ")"

    def expression(self, groups: list[Group], *, every: bool) -> str:
        """Every group (or any), each as any of its alternatives, each as all of its words."""
        parts = [
            "(" + self.any_of.join(self.alternative(a) for a in group.alternatives) + ")"
            for group in groups
        ]
        return (self.all_of if every else self.any_of).join(parts)


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
