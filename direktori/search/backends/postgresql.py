"""PostgreSQL: the generated `tsv` column (`indonesian` configuration, GIN) and pg_trgm words."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from ..plan import Group
from .base import LARGE_MATCH, Backend, Syntax, subqueries

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
            cursor.execute(f"SELECT count(*) {base}", [query, *params])
            count = cursor.fetchone()[0]
            # As in sqlite.py: past LARGE_MATCH, no rank over every match; ranking.py orders.
            order = "" if count > LARGE_MATCH else "ORDER BY ts_rank(d.tsv, q) DESC"
            cursor.execute(
                f"SELECT d.service_id {base} {order} LIMIT %s",
                [query, *params, limit],
            )
            return [row[0] for row in cursor.fetchall()], count

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
