from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand

from direktori.search.indexing import reindex_all


class Command(BaseCommand):
    help = "Rebuild the whole search index (after changing text.py or data/normalisation.toml)."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            if total >= 5000:
                print(f"  {done:,} / {total:,} services indexed", file=sys.stderr)

        count = reindex_all(progress=progress)
        self.stdout.write(f"Search index: {count:,} services ({time.monotonic() - started:.1f} s).")
