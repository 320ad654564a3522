"""SQLite FTS5: `search_fts` over SearchDocument, `search_word_fts` (trigram) over SearchWord."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from ..plan import Group
from .base import LARGE_MATCH, Backend, Syntax, subqueries, trigrams

# bm25 weights by column: name, organisation, keywords, places, body, phones.
WEIGHTS = "10.0, 8.0, 4.0, 4.0, 1.0, 8.0"


MATCHING = (
    "SELECT d.service_id FROM search_fts JOIN search_searchdocument d ON d.id = search_fts.rowid "
    "WHERE search_fts MATCH %s"
)


SYNTAX = Syntax(
    any_of=" OR ", all_of=" AND ", word=lambda word: f'"{word}"', prefix=lambda word: f'"{word}"*'
)
expression = SYNTAX.expression


class SQLiteBackend(Backend):
    def match(
        self, groups: list[Group], *, every: bool, within: list[QuerySet], limit: int
    ) -> tuple[list[uuid.UUID], int]:
        where, params = subqueries(within, "d.service_id")
        match = expression(groups, every=every)
        base = (
            "FROM search_fts JOIN search_searchdocument d ON d.id = search_fts.rowid "
            f"WHERE search_fts MATCH %s AND d.active{where}"
        )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) {base}", [match, *params])
            count = cursor.fetchone()[0]
            # Ranking tens of thousands of matches costs ~10 ms per thousand; past LARGE_MATCH
            # take matches whose name or organisation holds the words, in index order, and let
            # ranking.py order them (ADR 0009).
            if count > LARGE_MATCH:
                cursor.execute(
                    f"SELECT d.service_id {base} LIMIT %s",
                    [f"{{name organisation}}: ({match})", *params, limit],
                )
                ids = [uuid.UUID(row[0]) for row in cursor.fetchall()]
                if len(ids) < limit:
                    cursor.execute(f"SELECT d.service_id {base} LIMIT %s", [match, *params, limit])
                    ids = list(dict.fromkeys([*ids, *(uuid.UUID(r[0]) for r in cursor.fetchall())]))
                return ids[:limit], count
            cursor.execute(
                f"SELECT d.service_id {base} ORDER BY bm25(search_fts, {WEIGHTS}) LIMIT %s",
                [match, *params, limit],
            )
            return [uuid.UUID(row[0]) for row in cursor.fetchall()], count

    def matching_sql(self, groups: list[Group]) -> tuple[str, list[Any]]:
        return (MATCHING, [expression(groups, every=True)])

    def similar_words(self, word: str, limit: int = 40) -> list[str]:
        grams = trigrams(word)
        if not grams:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT w.word FROM search_word_fts f JOIN search_searchword w ON w.id = f.rowid "
                "WHERE search_word_fts MATCH %s AND w.surface "
                "ORDER BY bm25(search_word_fts) LIMIT %s",
                [" OR ".join(f'"{gram}"' for gram in grams), limit],
            )
            return [row[0] for row in cursor.fetchall()]
