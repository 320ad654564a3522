"""PostgreSQL: the documents' short columns (title, the names' words, the area path) stay in the
row instead of TOAST (fulltext.POSTGRESQL_INLINE). Nothing changes on SQLite."""

from django.db import migrations

from direktori.search.fulltext import POSTGRESQL_INLINE, POSTGRESQL_INLINE_REVERSE


def _inline(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRESQL_INLINE:
            schema_editor.execute(statement)


def _undo(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRESQL_INLINE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_document_facets")]

    operations = [migrations.RunPython(_inline, _undo)]
