"""`simplify_boundaries DIR`: writes the dashboard's simplified state and district boundaries
(`direktori/stats/data/boundaries_*.geojson`) from DOSM's `administrative_1_state.geojson` and
`administrative_2_district.geojson` in DIR (the project's shared `data/geo/`). Run once when DOSM's
boundaries change; the site reads only the simplified files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from direktori.stats import maps

FILES = {
    "administrative_1_state.geojson": maps.STATES_FILE,
    "administrative_2_district.geojson": maps.DISTRICTS_FILE,
}


class Command(BaseCommand):
    help = "Simplify DOSM's state and district boundaries for the statistics dashboard's maps."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        for name, target in FILES.items():
            source = directory / name
            if not source.is_file():
                raise CommandError(f"{source}: no such file")
            text = json.dumps(maps.simplified(source), separators=(",", ":"), ensure_ascii=False)
            target.write_text(text + "\n", encoding="utf-8")
            self.stdout.write(f"{target.name}: {len(text):,} characters")
