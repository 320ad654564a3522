"""The seeded database, kept once and put back before each browser test.

Every browser test runs on `transactional_db` (the live server must see committed rows), which
empties every table after the test. Seeding the Sepang demo again costs 10–20 s a test; putting
back a copy of the seeded tables costs a fraction of a second:
- SQLite (the tests' database is in memory, shared with the live server's thread): the whole
  database file, full-text tables included, copied with SQLite's online backup;
- PostgreSQL: each table's rows, kept with COPY … TO STDOUT and written back with COPY … FROM STDIN
  in one transaction (Django's foreign keys are deferrable, so the order of tables does not matter).
Sequences are not reset by the flush between tests, so rows created later never reuse a kept id.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction


@dataclass
class Snapshot:
    sqlite_copy: sqlite3.Connection | None = None
    tables: dict[str, bytes] = field(default_factory=dict)

    @classmethod
    def take(cls) -> Snapshot:
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            copy = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(copy)
            return cls(sqlite_copy=copy)
        tables: dict[str, bytes] = {}
        with connection.cursor() as cursor:
            for table in _tables():
                with cursor.cursor.copy(f'COPY "{table}" TO STDOUT (FORMAT binary)') as copy:
                    data = b"".join(bytes(block) for block in copy)
                tables[table] = data
        return cls(tables=tables)

    def restore(self) -> None:
        connection.ensure_connection()
        if self.sqlite_copy is not None:
            self.sqlite_copy.backup(connection.connection)
        else:
            with transaction.atomic(), connection.cursor() as cursor:
                names = ", ".join(f'"{table}"' for table in _tables())
                cursor.execute(f"TRUNCATE {names}")
                for table, data in self.tables.items():
                    with cursor.cursor.copy(f'COPY "{table}" FROM STDIN (FORMAT binary)') as copy:
                        copy.write(data)
        # The flush before this made new content types (post_migrate): forget their ids.
        ContentType.objects.clear_cache()


def _tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True))
