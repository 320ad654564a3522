"""The database's own full-text index over SearchDocument, and trigram lookup over SearchWord.

SQLite: FTS5 tables with external content, kept in step by triggers. PostgreSQL: a generated
tsvector column (the `indonesian` configuration, weighted by field) with a GIN index, and pg_trgm.
Neither exists in Django's model state: only the backends in direktori/search/backends read them.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

FIELDS = ("name", "organisation", "keywords", "places", "body", "phones")
COLUMNS = ", ".join(FIELDS)
NEW = ", ".join(f"new.{field}" for field in FIELDS)
OLD = ", ".join(f"old.{field}" for field in FIELDS)

SQLITE = [
    f"CREATE VIRTUAL TABLE search_fts USING fts5({COLUMNS}, content='search_searchdocument', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='3')",
    f"CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchdocument BEGIN "
    f"INSERT INTO search_fts(rowid, {COLUMNS}) VALUES (new.id, {NEW}); END",
    f"CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchdocument BEGIN "
    f"INSERT INTO search_fts(search_fts, rowid, {COLUMNS}) VALUES ('delete', old.id, {OLD}); END",
    f"CREATE TRIGGER search_fts_au AFTER UPDATE ON search_searchdocument BEGIN "
    f"INSERT INTO search_fts(search_fts, rowid, {COLUMNS}) VALUES ('delete', old.id, {OLD}); "
    f"INSERT INTO search_fts(rowid, {COLUMNS}) VALUES (new.id, {NEW}); END",
    "CREATE VIRTUAL TABLE search_word_fts USING fts5(word, content='search_searchword', "
    "content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER search_word_fts_ai AFTER INSERT ON search_searchword BEGIN "
    "INSERT INTO search_word_fts(rowid, word) VALUES (new.id, new.word); END",
    "CREATE TRIGGER search_word_fts_ad AFTER DELETE ON search_searchword BEGIN "
    "INSERT INTO search_word_fts(search_word_fts, rowid, word) VALUES ('delete', old.id, old.word); END",
    "CREATE TRIGGER search_word_fts_au AFTER UPDATE ON search_searchword BEGIN "
    "INSERT INTO search_word_fts(search_word_fts, rowid, word) VALUES ('delete', old.id, old.word); "
    "INSERT INTO search_word_fts(rowid, word) VALUES (new.id, new.word); END",
]
SQLITE_REVERSE = [
    "DROP TABLE IF EXISTS search_word_fts",
    "DROP TABLE IF EXISTS search_fts",
    *(
        f"DROP TRIGGER IF EXISTS {name}"
        for name in (
            "search_fts_ai", "search_fts_ad", "search_fts_au",
            "search_word_fts_ai", "search_word_fts_ad", "search_word_fts_au",
        )
    ),
]


def _vector(field: str, weight: str) -> str:
    return f"setweight(to_tsvector('indonesian'::regconfig, coalesce({field}, '')), '{weight}')"


POSTGRESQL = [
    "ALTER TABLE search_searchdocument ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
    + " || ".join(
        _vector(field, weight)
        for field, weight in (
            ("name", "A"), ("organisation", "A"), ("phones", "A"),
            ("keywords", "B"), ("places", "B"), ("body", "D"),
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


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_index")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
