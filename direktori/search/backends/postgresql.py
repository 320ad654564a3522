"""PostgreSQL: the generated `tsv` column (`indonesian` configuration, GIN) and pg_trgm words."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from ..plan import Alternative, Group, Term
from .base import Backend, subqueries

MATCHING = (
    "SELECT d.service_id FROM search_searchdocument d WHERE d.tsv @@ to_tsquery('indonesian', %s)"
)


def _term(term: Term) -> str:
    forms = list(term.forms)
    if term.prefix:
        forms.append(f"{term.forms[0]}:*")
    return "(" + " | ".join(forms) + ")"


def _alternative(alternative: Alternative) -> str:
    return "(" + " & ".join(_term(term) for term in alternative.terms) + ")"


def expression(groups: list[Group], *, every: bool) -> str:
    parts = [
        "(" + " | ".join(_alternative(a) for a in group.alternatives) + ")" for group in groups
    ]
    return (" & " if every else " | ").join(parts)


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
