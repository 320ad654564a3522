"""import_hsds PATH [--dry-run]: check an HSDS 3.0 package and save it, all or nothing."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from direktori.hsds.importer import ImportReport, import_package

PROGRESS_EVERY_SECONDS = 2.0


class Command(BaseCommand):
    help = (
        "Import an HSDS 3.0 tabular data package (folder or .zip) or an HSDS JSON file. "
        "Nothing is saved when any record is invalid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report; save nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        dry_run: bool = options["dry_run"]
        last_stage, last_at = [""], [0.0]

        def progress(stage: str, done: int, total: int | None) -> None:
            now = time.monotonic()
            recent = stage == last_stage[0] and now - last_at[0] < PROGRESS_EVERY_SECONDS
            if recent and (total is None or done < total):
                return
            last_stage[0], last_at[0] = stage, now
            if total:
                self.stderr.write(f"{stage}: {done:,} / {total:,} ({100 * done // total}%)")
            else:
                self.stderr.write(f"{stage}: {done:,}")

        report = import_package(
            path,
            name=path.name,
            dry_run=dry_run,
            updated_by=f"import_hsds {path.name}",
            progress=progress if options["verbosity"] >= 1 else None,
        )
        self._print(report)
        if not report.ok:
            raise CommandError(
                _("%(count)d problems found in %(name)s; nothing was saved.")
                % {"count": report.problem_count, "name": path.name}
            )

    def _print(self, report: ImportReport) -> None:
        if report.problems:
            self.stdout.write(
                _("Problems (rows are numbered as a spreadsheet shows them: the header is row 1):")
            )
            for problem in report.problems:
                self.stdout.write(f"  {problem}")
            if report.unlisted_problems:
                self.stdout.write(
                    _("  … and %(count)d more problems.") % {"count": report.unlisted_problems}
                )
        if report.notes:
            self.stdout.write(_("Notes (not problems):"))
            for note in report.notes:
                self.stdout.write(f"  {note}")
        for table, count in report.counts.items():
            self.stdout.write(
                _("%(table)s: %(created)d new, %(updated)d updated, %(unchanged)d unchanged")
                % {
                    "table": table,
                    "created": count.created,
                    "updated": count.updated,
                    "unchanged": count.unchanged,
                }
            )
        if report.ok:
            if report.dry_run:
                self.stdout.write(
                    self.style.SUCCESS(_("Dry run: the package is valid; nothing was saved."))
                )
            else:
                self.stdout.write(
                    self.style.SUCCESS(_("Imported %(name)s.") % {"name": report.name})
                )
