"""Small database chores shared by the bulk writers."""

from __future__ import annotations

from django.db import connection

# After a large bulk write PostgreSQL's statistics still describe the tables before it, and it
# then plans the API's queries badly (a full page of services: 294 ms → 77 ms at 100,000 services
# once analysed; the search API's term prefetch 145 ms → ~1 ms). Autovacuum gets there
# eventually; the writers do not wait. Not on SQLite: there, ANALYZE made the same pages slower
# (71 → 260 ms; bench/RESULTS.md), its planner does better without statistics.
ANALYZE_AFTER_ROWS = 10_000


def refresh_planner_statistics() -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
