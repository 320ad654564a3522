"""SQLite FTS5: `search_fts` over SearchDocument, `search_word_fts` (trigram) over SearchWord.

Filters are words of the `facets` column (tokens.py), so one FTS5 query finds, counts and filters
at once. No bm25: it reads every posting list of every alternative to weigh the words, which
costs more than the rest of a search at 100,000 services; ranking.py orders the candidates.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import connection

from .. import tokens
from ..plan import Group
from .base import Backend, Filters, Syntax, by_tiers, subqueries, trigrams

TEXT = "{name organisation keywords places body phones}"
NAMES = "{name organisation}"

MATCHING = (
    "SELECT d.service_id FROM search_fts JOIN search_searchdocument d ON d.id = search_fts.rowid "
    "WHERE search_fts MATCH %s"
)


SYNTAX = Syntax(
    any_of=" OR ", all_of=" AND ", word=lambda word: f'"{word}"', prefix=lambda word: f'"{word}"*'
)
expression = SYNTAX.expression


def _facet_words(filters: Filters) -> list[str]:
    """The filters that are words: `{facets}: (…)` for each."""
    parts = [f'"{tokens.facet(key)}"' for key in filters.facets]
    if filters.near:
        parts.append("(" + " OR ".join(f'"{cell}"' for cell in tokens.cells(*filters.near)) + ")")
    return [f"{{facets}}: {part}" for part in parts]


class SQLiteBackend(Backend):
    def match(
        self, groups: list[Group], *, every: bool, filters: Filters, limit: int
    ) -> tuple[list[uuid.UUID], int]:
        restrict = "".join(f" AND {part}" for part in _facet_words(filters))
        restrict += f" NOT {{facets}}: {tokens.INACTIVE}"

        def fts(columns: str, words: str) -> str:
            # Every column, facets included, needs no column filter, which costs a fifth of a
            # count: a facet word (a digest, a grid cell, `inactive` — excluded anyway) is never
            # a word anyone types.
            scope = f"({words})" if columns == TEXT else f"({columns}: ({words}))"
            return f"{scope}{restrict}"

        where, params = subqueries(list(filters.others), "d.service_id")
        words = expression(groups, every=every)

        def ids(columns: str, text: str, n: int) -> list[uuid.UUID]:
            with connection.cursor() as cursor:
                cursor.execute(f"{MATCHING}{where} LIMIT %s", [fts(columns, text), *params, n])
                return [uuid.UUID(row[0]) for row in cursor.fetchall()]

        found = ids(TEXT, words, limit + 1)
        if len(found) <= limit:  # every match: count known, ranking.py orders them all
            return found, len(found)
        with connection.cursor() as cursor:
            if filters.others:
                sql = f"SELECT count(*) FROM ({MATCHING}{where})"  # noqa: S608
                cursor.execute(sql, [fts(TEXT, words), *params])
            else:  # the FTS table alone: no row of the documents read
                sql = "SELECT count(*) FROM search_fts WHERE search_fts MATCH %s"
                cursor.execute(sql, [fts(TEXT, words)])
            count = cursor.fetchone()[0]
        # Too many to weigh each: chosen by tiers (ADR 0009).
        chosen = by_tiers(
            groups,
            every=every,
            syntax=SYNTAX,
            names=lambda text, n: ids(NAMES, text, n),
            found=found,
            limit=limit,
        )
        return chosen, count

    def with_facets(
        self, filters: Filters, columns: str = "d.service_id"
    ) -> tuple[str, list[Any]] | None:
        words = _facet_words(filters)
        if not words:
            return None
        sql = (
            f"SELECT {columns} FROM search_fts JOIN search_searchdocument d "  # noqa: S608
            "ON d.id = search_fts.rowid WHERE search_fts MATCH %s AND d.active"
        )
        return sql, [" AND ".join(words)]

    def matching_sql(self, groups: list[Group]) -> tuple[str, list[Any]]:
        return (MATCHING, [f"{TEXT}: ({expression(groups, every=True)})"])

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
