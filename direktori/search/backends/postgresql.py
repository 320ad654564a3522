"""PostgreSQL: the generated `tsv` column (`indonesian` configuration, GIN) and pg_trgm words."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from ..plan import Group
from .base import Backend, Syntax, subqueries

MATCHING = (
    "SELECT d.service_id FROM search_searchdocument d WHERE d.tsv @@ to_tsquery('indonesian', %s)"
)


SYNTAX = Syntax(any_of=" | ", all_of=" & ", word=str, prefix=lambda word: f"{word}:*")
expression = SYNTAX.expression


class PostgreSQLBackend(Backend):
    def match(
        self, groups: list[Group], *, every: bool, within: list[QuerySet], limit: int
    ) -> tuple[list[uuid.UUID], int]:
        where, params = subqueries(within, "d.service_id")
        query = expression(groups, every=every)
        base = (
            "FROM search_searchdocument d, to_tsquery('indonesian', %s) q "
            f"WHERE d.tsv @@ q AND d.active{where}"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.service_id {base} ORDER BY ts_rank(d.tsv, q) DESC LIMIT %s",
                [query, *params, limit],
            )
            ids = [row[0] for row in cursor.fetchall()]
            if len(ids) < limit:
                return ids, len(ids)
            cursor.execute(f"SELECT count(*) {base}", [query, *params])
            return ids, cursor.fetchone()[0]

    def matching_sql(self, groups: list[Group]) -> tuple[str, list[Any]]:
        return (MATCHING, [expression(groups, every=True)])

    def similar_words(self, word: str, limit: int = 40) -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word FROM search_searchword WHERE surface AND word %% %s "
                "ORDER BY similarity(word, %s) DESC, word LIMIT %s",
                [word, word, limit],
            )
            return [row[0] for row in cursor.fetchall()]
