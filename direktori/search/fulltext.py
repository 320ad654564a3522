"""The SQL of the databases' own full-text indexes, used by migrations (see 0002 and 0004).

SQLite rebuilds a table to alter it, and the rebuilt table has none of the old one's triggers: a
migration that alters `SearchDocument` or `SearchWord` on SQLite must run `SQLITE_TRIGGERS` again
and rebuild the FTS tables (`SQLITE_REBUILD`), as 0003 does. Migrations that ran before 0004 use
the statements of their time (`*_0002`): their columns are frozen with them.
"""

TEXT_FIELDS = ("name", "organisation", "keywords", "places", "body", "phones")
# From 0004, SQLite's FTS table also indexes `facets`: the filters as words (tokens.py).
SQLITE_FIELDS = (*TEXT_FIELDS, "facets")

TRIGGERS = (
    "search_fts_ai", "search_fts_ad", "search_fts_au",
    "search_word_fts_ai", "search_word_fts_ad", "search_word_fts_au",
)  # fmt: skip
DROP_TRIGGERS = [f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS]


def _document_table(fields: tuple[str, ...], detail: str = "full") -> str:
    return (
        f"CREATE VIRTUAL TABLE search_fts USING fts5({', '.join(fields)}, "
        "content='search_searchdocument', content_rowid='id', "
        f"tokenize='unicode61 remove_diacritics 2', prefix='3', detail='{detail}')"
    )


WORD_TABLE = (
    "CREATE VIRTUAL TABLE search_word_fts USING fts5(word, content='search_searchword', "
    "content_rowid='id', tokenize='trigram')"
)


def _triggers(fields: tuple[str, ...]) -> list[str]:
    columns = ", ".join(fields)
    new = ", ".join(f"new.{field}" for field in fields)
    old = ", ".join(f"old.{field}" for field in fields)
    delete = (
        f"INSERT INTO search_fts(search_fts, rowid, {columns}) VALUES ('delete', old.id, {old})"
    )
    insert = f"INSERT INTO search_fts(rowid, {columns}) VALUES (new.id, {new})"
    return [
        *DROP_TRIGGERS,
        f"CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchdocument BEGIN {insert}; END",
        f"CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchdocument BEGIN {delete}; END",
        "CREATE TRIGGER search_fts_au AFTER UPDATE ON search_searchdocument BEGIN "
        f"{delete}; {insert}; END",
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
# As migrations 0002 and 0003 made them.
SQLITE_TRIGGERS_0002 = _triggers(TEXT_FIELDS)
SQLITE_0002 = [_document_table(TEXT_FIELDS), WORD_TABLE, *SQLITE_TRIGGERS_0002]
# Today's, from 0004.
SQLITE_TRIGGERS = _triggers(SQLITE_FIELDS)
SQLITE_FACETS = [
    *DROP_TRIGGERS,
    "DROP TABLE IF EXISTS search_fts",
    # Which columns hold a word, not where in them: search asks no phrases (ranking.py sees
    # the words' order), and posting lists half the size make a count a quarter faster.
    _document_table(SQLITE_FIELDS, detail="column"),
    *SQLITE_TRIGGERS,
    *SQLITE_REBUILD,
]
SQLITE_FACETS_REVERSE = [
    *DROP_TRIGGERS,
    "DROP TABLE IF EXISTS search_fts",
    _document_table(TEXT_FIELDS),
    *SQLITE_TRIGGERS_0002,
    *SQLITE_REBUILD,
]
SQLITE_REVERSE = [
    *DROP_TRIGGERS,
    "DROP TABLE IF EXISTS search_word_fts",
    "DROP TABLE IF EXISTS search_fts",
]


def _vector(field: str, weight: str) -> str:
    return f"setweight(to_tsvector('indonesian'::regconfig, coalesce({field}, '')), '{weight}')"


WEIGHTS = (
    ("name", "A"),
    ("organisation", "A"),
    ("phones", "A"),
    ("keywords", "B"),
    ("places", "B"),
    ("body", "D"),
)
POSTGRESQL = [
    "ALTER TABLE search_searchdocument ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
    + " || ".join(_vector(field, weight) for field, weight in WEIGHTS)
    + ") STORED",
    "CREATE INDEX search_document_tsv ON search_searchdocument USING gin (tsv)",
    "CREATE INDEX search_word_trigram ON search_searchword USING gin (word gin_trgm_ops)",
]
# From 0004: `tsv` and `ntv` (the names alone) also hold the filters as words (`facets`,
# tokens.py), so that words and filters are one GIN lookup; search's indexes are partial (active
# documents only). Rows keep their long text out of line (toast_tuple_target), so a count reads
# few pages.
_FACETS = "to_tsvector('simple'::regconfig, coalesce(facets, ''))"
POSTGRESQL_FACETS = [
    "ALTER TABLE search_searchdocument SET (toast_tuple_target = 128)",
    "DROP INDEX IF EXISTS search_document_tsv",
    "ALTER TABLE search_searchdocument DROP COLUMN tsv",
    "ALTER TABLE search_searchdocument ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
    + " || ".join([*(_vector(field, weight) for field, weight in WEIGHTS), _FACETS])
    + ") STORED",
    "ALTER TABLE search_searchdocument ADD COLUMN ntv tsvector GENERATED ALWAYS AS ("
    + " || ".join([*(_vector(field, "A") for field in ("name", "organisation")), _FACETS])
    + ") STORED",
    "CREATE INDEX search_document_tsv ON search_searchdocument USING gin (tsv)",
    "CREATE INDEX search_document_tsv_active ON search_searchdocument USING gin (tsv) WHERE active",
    "CREATE INDEX search_document_ntv ON search_searchdocument USING gin (ntv) WHERE active",
]
POSTGRESQL_FACETS_REVERSE = [
    "DROP INDEX IF EXISTS search_document_ntv",
    "DROP INDEX IF EXISTS search_document_tsv_active",
    "DROP INDEX IF EXISTS search_document_tsv",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS ntv",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS tsv",
    POSTGRESQL[0],
    POSTGRESQL[1],
    "ALTER TABLE search_searchdocument RESET (toast_tuple_target)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS search_word_trigram",
    "DROP INDEX IF EXISTS search_document_tsv",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS tsv",
]
# From 0005: the short columns that order a list and name a candidate stay in the row
# (`toast_tuple_target` had moved titles out of line in a quarter of the rows, and the names'
# words in nearly all): ordering 3,000 filtered documents by title, or reading 100 candidates,
# then reads no TOAST. Rows written before are rewritten so that they move back in.
INLINE = ("title", "heading", "subtitle", "base_path")
POSTGRESQL_INLINE = [
    "ALTER TABLE search_searchdocument "
    + ", ".join(f"ALTER COLUMN {column} SET STORAGE MAIN" for column in INLINE),
    "UPDATE search_searchdocument SET "
    + ", ".join(f"{column} = {column} || ''" for column in INLINE),
]
POSTGRESQL_INLINE_REVERSE = [
    "ALTER TABLE search_searchdocument "
    + ", ".join(f"ALTER COLUMN {column} SET STORAGE EXTENDED" for column in INLINE),
]
