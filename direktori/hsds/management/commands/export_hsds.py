from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from direktori.hsds.export import ExportError, export_package


class Command(BaseCommand):
    help = (
        "Write the public directory as an HSDS 3.0 tabular data package (a folder, or a .zip file) "
        "that validates against the official datapackage.json. Confidential data is never exported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="a new or empty folder, or a file ending .zip")

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        def progress(table: str, written: int) -> None:
            if options["verbosity"] >= 1:
                self.stderr.write(f"  {table}: {written:,} rows…")

        try:
            report = export_package(path, progress=progress)
        except ExportError as error:
            raise CommandError(str(error)) from error
        for note in report.notes:
            self.stderr.write(self.style.WARNING(note))
        if options["verbosity"] >= 1:
            written = ", ".join(
                f"{table} {count:,}" for table, count in report.counts.items() if count
            )
            self.stdout.write(self.style.SUCCESS(f"Wrote {path}: {written}."))
