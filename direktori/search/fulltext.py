"""The SQL of the databases' own full-text indexes, used by migrations (see 0002).

SQLite rebuilds a table to alter it, and the rebuilt table has none of the old one's triggers: a
migration that alters `SearchDocument` or `SearchWord` on SQLite must run `SQLITE_TRIGGERS` again
and rebuild the FTS tables (`SQLITE_REBUILD`), as 0003 does.
"""

FIELDS = ("name", "organisation", "keywords", "places", "body", "phones")
COLUMNS = ", ".join(FIELDS)
NEW = ", ".join(f"new.{field}" for field in FIELDS)
OLD = ", ".join(f"old.{field}" for field in FIELDS)

TRIGGERS = (
    "search_fts_ai", "search_fts_ad", "search_fts_au",
    "search_word_fts_ai", "search_word_fts_ad", "search_word_fts_au",
)  # fmt: skip

SQLITE_TABLES = [
    f"CREATE VIRTUAL TABLE search_fts USING fts5({COLUMNS}, content='search_searchdocument', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='3')",
    "CREATE VIRTUAL TABLE search_word_fts USING fts5(word, content='search_searchword', "
    "content_rowid='id', tokenize='trigram')",
]
SQLITE_TRIGGERS = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS),
    "CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchdocument BEGIN "
    f"INSERT INTO search_fts(rowid, {COLUMNS}) VALUES (new.id, {NEW}); END",
    "CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchdocument BEGIN "
    f"INSERT INTO search_fts(search_fts, rowid, {COLUMNS}) VALUES ('delete', old.id, {OLD}); END",
    "CREATE TRIGGER search_fts_au AFTER UPDATE ON search_searchdocument BEGIN "
    f"INSERT INTO search_fts(search_fts, rowid, {COLUMNS}) VALUES ('delete', old.id, {OLD}); "
    f"INSERT INTO search_fts(rowid, {COLUMNS}) VALUES (new.id, {NEW}); END",
    "CREATE TRIGGER search_word_fts_ai AFTER INSERT ON search_searchword BEGIN "
    "INSERT INTO search_word_fts(rowid, word) VALUES (new.id, new.word); END",
    "CREATE TRIGGER search_word_fts_ad AFTER DELETE ON search_searchword BEGIN "
    "INSERT INTO search_word_fts(search_word_fts, rowid, word) "
    "VALUES ('delete', old.id, old.word); END",
    "CREATE TRIGGER search_word_fts_au AFTER UPDATE ON search_searchword BEGIN "
    "INSERT INTO search_word_fts(search_word_fts, rowid, word) "
    "VALUES ('delete', old.id, old.word); "
    "INSERT INTO search_word_fts(rowid, word) VALUES (new.id, new.word); END",
]
SQLITE_REBUILD = [
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
    "INSERT INTO search_word_fts(search_word_fts) VALUES ('rebuild')",
]
SQLITE = [*SQLITE_TABLES, *SQLITE_TRIGGERS]
SQLITE_REVERSE = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS),
    "DROP TABLE IF EXISTS search_word_fts",
    "DROP TABLE IF EXISTS search_fts",
]


def _vector(field: str, weight: str) -> str:
    return f"setweight(to_tsvector('indonesian'::regconfig, coalesce({field}, '')), '{weight}')"


POSTGRESQL = [
    "ALTER TABLE search_searchdocument ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
    + " || ".join(
        _vector(field, weight)
        for field, weight in (
            ("name", "A"),
            ("organisation", "A"),
            ("phones", "A"),
            ("keywords", "B"),
            ("places", "B"),
            ("body", "D"),
        )
    )
    + ") STORED",
    "CREATE INDEX search_document_tsv ON search_searchdocument USING gin (tsv)",
    "CREATE INDEX search_word_trigram ON search_searchword USING gin (word gin_trgm_ops)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS search_word_trigram",
    "DROP INDEX IF EXISTS search_document_tsv",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS tsv",
]
