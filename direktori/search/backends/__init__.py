"""The search backend of the database in use: SQLite FTS5 or PostgreSQL full-text search."""

from __future__ import annotations

from django.db import connection

from .base import Backend


def backend() -> Backend:
    if connection.vendor == "postgresql":
        from .postgresql import PostgreSQLBackend

        return PostgreSQLBackend()
    from .sqlite import SQLiteBackend

    return SQLiteBackend()
