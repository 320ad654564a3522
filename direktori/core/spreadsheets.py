"""Writing cells that staff open in spreadsheets (CSV downloads of any app)."""

from __future__ import annotations

from typing import Any

#: A cell starting with one of these would be read as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """A cell a spreadsheet shows as text: one that would start a formula gets a quote first."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
