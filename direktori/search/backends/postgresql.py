"""PostgreSQL: generated tsvector columns with GIN indexes (migrations 0002 and 0004) — `tsv`, the
whole text (`indonesian` configuration), `ntv`, the names alone, both with the filters as words
(tokens.py) — and pg_trgm over the indexed words.

Words and filters are one tsquery, so one GIN lookup finds, filters and counts. The planner, which
cannot estimate how many documents a long OR of words matches, is kept off sequential scans: one
reads and decompresses every document's text (0.5 s at 100,000 services).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import connection, transaction

from .. import tokens
from ..plan import Group
from .base import Backend, Filters, Syntax, by_tiers, subqueries

MATCHING = (
    "SELECT d.service_id FROM search_searchdocument d WHERE d.tsv @@ to_tsquery('indonesian', %s)"
)


SYNTAX = Syntax(any_of=" | ", all_of=" & ", word=str, prefix=lambda word: f"{word}:*")
expression = SYNTAX.expression


def _facets(filters: Filters) -> tuple[str, list[str]]:
    parts = [tokens.facet(key) for key in filters.facets]
    if filters.near:
        parts.append("(" + " | ".join(tokens.cells(*filters.near)) + ")")
    if not parts:
        return "", []
    return " && to_tsquery('simple', %s)", [" & ".join(parts)]


class PostgreSQLBackend(Backend):
    def match(
        self, groups: list[Group], *, every: bool, filters: Filters, limit: int
    ) -> tuple[list[uuid.UUID], int]:
        facets, facet_params = _facets(filters)
        where, params = subqueries(list(filters.others), "d.service_id")
        words = expression(groups, every=every)

        def base(vector: str) -> str:
            # One tsquery for words and filters: one GIN lookup. `d.active` picks the partial
            # indexes (fulltext.py), which hold the active documents only.
            return (
                f"FROM search_searchdocument d WHERE d.{vector} @@ "
                f"(to_tsquery('indonesian', %s){facets}) AND d.active{where}"
            )

        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")

            def ids(vector: str, text: str, n: int) -> list[uuid.UUID]:
                cursor.execute(
                    f"SELECT d.service_id {base(vector)} LIMIT %s",
                    [text, *facet_params, *params, n],
                )
                return [row[0] for row in cursor.fetchall()]

            # The count beside the first rows: one bitmap of the matches, built once.
            cursor.execute(
                f"SELECT d.service_id, count(*) OVER () {base('tsv')} LIMIT %s",
                [words, *facet_params, *params, limit + 1],
            )
            rows = cursor.fetchall()
            found = [row[0] for row in rows]
            if len(found) <= limit:
                return found, len(found)
            count = rows[0][1]
            # As in sqlite.py: too many to weigh each, chosen by tiers.
            chosen = by_tiers(
                groups,
                every=every,
                syntax=SYNTAX,
                names=lambda text, n: ids("ntv", text, n),
                found=found,
                limit=limit,
            )
        return chosen, count

    def with_facets(
        self, filters: Filters, columns: str = "d.service_id"
    ) -> tuple[str, list[Any]] | None:
        # The GIN index of `tsv`, which holds the filters as words: a join of SearchFacet rows
        # ordered by name read every active document's title (1.8 s, tg=children area=10).
        facets, params = _facets(filters)
        if not facets:
            return None
        sql = (
            f"SELECT {columns} FROM search_searchdocument d "  # noqa: S608
            f"WHERE d.tsv @@ ({facets.removeprefix(' && ')}) AND d.active"
        )
        return sql, params

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
