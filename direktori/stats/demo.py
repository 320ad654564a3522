"""The demo's statistics: only the figures the KPWKM press release published (JKM's, January to
June 2023), from `data/sample_press_release_2023.csv` — no invented figures for real places."""

from __future__ import annotations

from pathlib import Path

from . import importing
from .services import Outcome

SAMPLE_FILE = Path(__file__).resolve().parent / "data" / "sample_press_release_2023.csv"


def demo_statistics_ensure() -> Outcome:
    """Imports the sample file unless its figures are already there as they are (safe to run
    again: a second run changes nothing and records no import)."""
    rows = importing.read_file(SAMPLE_FILE)
    planned = importing.import_all(rows, dry_run=True)
    if not planned.created and not planned.replaced:
        return planned
    return importing.import_all(rows, file_name=SAMPLE_FILE.name)
