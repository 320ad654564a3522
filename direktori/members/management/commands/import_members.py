"""`import_members FILE.csv|xlsx [--dry-run]` (CONTRACT): all-or-nothing, idempotent."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser

from direktori.members import importing


class Command(BaseCommand):
    help = "Load a CBO appointment list (CSV or XLSX); saves every row or none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check and report only.")

    def handle(self, *args: Any, file: Path, dry_run: bool, **options: Any) -> None:
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            with file.open("rb") as handle:
                rows = importing.read(File(handle, name=file.name))
            plans = importing.import_all(rows, dry_run=dry_run)
        except ValidationError as error:
            raise CommandError(f"{file}: {' '.join(error.messages)}") from error
        except importing.Refused as refused:
            for problem in refused.problems:
                self.stderr.write(
                    f"{file}: row {problem.row}, column {problem.column or '-'}: {problem.message}"
                )
            raise CommandError(
                f"{len(refused.problems)} problem(s); nothing was saved."
            ) from refused
        counts = Counter(plan.outcome for plan in plans)
        summary = ", ".join(f"{counts[k]} {k}" for k in ("created", "updated", "unchanged"))
        prefix = "Dry run, nothing saved: would be " if dry_run else ""
        self.stdout.write(f"{prefix}{summary}.")
