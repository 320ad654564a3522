"""`SearchDocument.facets`: the filters as words (tokens.py), indexed by SQLite's FTS table and by
PostgreSQL's `tsv` and `ntv` (the names alone) columns.

The values are written here from the index's own facet, place and active rows, so an existing
index needs no rebuild; from now on indexing writes them.
"""

import uuid
from collections import defaultdict

from django.db import migrations, models

from direktori.search import tokens
from direktori.search.fulltext import (
    POSTGRESQL_FACETS,
    POSTGRESQL_FACETS_REVERSE,
    SQLITE_FACETS,
    SQLITE_FACETS_REVERSE,
)

AFTER = {"sqlite": SQLITE_FACETS, "postgresql": POSTGRESQL_FACETS}
UNDO = {"sqlite": SQLITE_FACETS_REVERSE, "postgresql": POSTGRESQL_FACETS_REVERSE}


def _fill(apps, schema_editor):
    documents = apps.get_model("search", "SearchDocument")
    facets = apps.get_model("search", "SearchFacet")
    places = apps.get_model("search", "SearchPlace")
    areas, terms, positions = defaultdict(list), defaultdict(list), defaultdict(list)
    for service_id, key in facets.objects.values_list("service_id", "key").iterator():
        kind, value = key.split(":", 1)
        (areas if kind == "a" else terms)[service_id].append(value)
    for service_id, latitude, longitude in places.objects.values_list(
        "service_id", "latitude", "longitude"
    ).iterator():
        positions[service_id].append((latitude, longitude))
    changed = []
    for document in documents.objects.only("pk", "service_id", "active").iterator():
        sid = document.service_id
        document.facets = tokens.document(
            areas[sid], terms[sid], positions[sid], active=document.active
        )
        changed.append(document)
    documents.objects.bulk_update(changed, ["facets"], batch_size=2000)
    for statement in AFTER.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def _unfill(apps, schema_editor):
    for statement in UNDO.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_document_active")]

    operations = [
        migrations.CreateModel(
            name="SearchGeneration",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.UUIDField(default=uuid.uuid4)),
            ],
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="facets",
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(_fill, _unfill),
    ]
