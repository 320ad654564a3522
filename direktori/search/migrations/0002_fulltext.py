"""The database's own full-text index over SearchDocument, and trigram lookup over SearchWord.

SQLite: FTS5 tables with external content, kept in step by triggers. PostgreSQL: a generated
tsvector column (the `indonesian` configuration, weighted by field) with a GIN index, and pg_trgm.
Neither exists in Django's model state: only the backends in direktori/search/backends read them.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from direktori.search.fulltext import POSTGRESQL, POSTGRESQL_REVERSE, SQLITE_0002, SQLITE_REVERSE


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
            _run({"sqlite": SQLITE_0002, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
