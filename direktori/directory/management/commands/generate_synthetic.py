"""generate_synthetic --services N [--seed S] [--replace]: a synthetic national directory."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from direktori.core.db import refresh_planner_statistics
from direktori.directory.synthetic import synthetic_directory_create
from direktori.search.indexing import reindex_all

PROGRESS_EVERY = 10_000


class Command(BaseCommand):
    help = (
        "A realistic synthetic national directory of N services, for benchmarks: fictional "
        "organisations (marked Demo) at real places. The same seed gives the same directory."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--services", type=int, required=True, help="How many services.")
        parser.add_argument("--seed", type=int, default=1, help="The random seed (default 1).")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the synthetic directory of this seed first, when there is one.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        quiet = options["verbosity"] < 1
        try:
            summary = synthetic_directory_create(
                services=options["services"],
                seed=options["seed"],
                replace=options["replace"],
                progress=None if quiet else self._progress(_("Services"), started),
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        generated = time.perf_counter() - started
        refresh_planner_statistics()  # the directory's tables; reindex_all analyses its own
        reindex_all(progress=None if quiet else self._progress(_("Search index"), started))
        if summary.deleted_organizations:
            self.stdout.write(
                _("Deleted the %(count)d synthetic organisations of seed %(seed)d.")
                % {"count": summary.deleted_organizations, "seed": options["seed"]}
            )
        self.stdout.write(
            ", ".join(f"{label}: {count}" for label, count in sorted(summary.created.items()))
        )
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Synthetic directory of seed %(seed)d: %(services)d services of "
                    "%(organizations)d organisations at %(sites)d real places (%(skipped)d "
                    "facilities left out); generated in %(generated).1f s, search index "
                    "refreshed, %(seconds).1f s in all."
                )
                % {
                    "seed": options["seed"],
                    "services": summary.created["Service"],
                    "organizations": summary.created["Organization"],
                    "sites": summary.sites,
                    "skipped": summary.skipped_facilities,
                    "generated": generated,
                    "seconds": time.perf_counter() - started,
                }
            )
        )

    def _progress(self, stage: str, started: float) -> Callable[[int, int], None]:
        """Reports on stderr every PROGRESS_EVERY records, and at the end."""
        reported = [0]

        def progress(done: int, total: int) -> None:
            if done // PROGRESS_EVERY > reported[0] // PROGRESS_EVERY or done == total:
                reported[0] = done
                self.stderr.write(
                    _("%(stage)s: %(done)d of %(total)d (%(seconds).0f s)")
                    % {
                        "stage": stage,
                        "done": done,
                        "total": total,
                        "seconds": time.perf_counter() - started,
                    }
                )

        return progress
