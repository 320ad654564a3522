"""`import_statistics FILE.csv|xlsx [--dry-run]` (CONTRACT): all-or-nothing; re-importing a figure
with the same period, area, category and source replaces it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from direktori.stats import importing


class Command(BaseCommand):
    help = "Load official statistics (CSV or XLSX); saves every row or none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check and report only.")

    def handle(self, *args: Any, file: Path, dry_run: bool, **options: Any) -> None:
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            rows = importing.read_file(file)
            outcome = importing.import_all(rows, file_name=file.name, dry_run=dry_run)
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
        prefix = "Dry run, nothing saved: would be " if dry_run else ""
        self.stdout.write(
            f"{prefix}{outcome.created} added, {outcome.replaced} replaced, "
            f"{outcome.unchanged} unchanged."
        )
