"""What a search backend does: full-text matching and word lookup, in its database's own way."""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from typing import Any

from django.db.models import QuerySet

from ..plan import Group


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
