"""What an import found: problems that refuse the package, notes that do not."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .validation import Problem

PROBLEMS_LISTED = 1000
ROWS_NAMED_IN_A_NOTE = 5


@dataclass
class _Note:
    file: str
    field_name: str
    reason: str
    rows: list[int | str] = field(default_factory=list)
    count: int = 0


@dataclass
class Findings:
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    plain_notes: list[str] = field(default_factory=list)
    _notes: dict[tuple[str, str, str], _Note] = field(default_factory=dict)

    def problem(self, file: str, row: int | str, field_name: str, reason: str) -> None:
        self.problem_count += 1
        if len(self.problems) < PROBLEMS_LISTED:
            self.problems.append(Problem(file, row, field_name, reason))

    def note(self, file: str, row: int | str | None, field_name: str, reason: str) -> None:
        """A fact the officer should know that does not stop the import; one line per kind of
        fact and file, however many rows it concerns."""
        key = (file, field_name, reason)
        note = self._notes.get(key)
        if note is None:
            note = self._notes[key] = _Note(file, field_name, reason)
        if row is not None:
            note.count += 1
            if len(note.rows) < ROWS_NAMED_IN_A_NOTE:
                note.rows.append(row)

    def note_text(self, text: str) -> None:
        if text not in self.plain_notes:
            self.plain_notes.append(text)

    @property
    def unlisted_problems(self) -> int:
        return self.problem_count - len(self.problems)

    def notes(self) -> list[str]:
        lines = list(self.plain_notes)
        for note in self._notes.values():
            place = f"{note.file}, {note.field_name}" if note.field_name else note.file
            line = f"{place}: {note.reason}"
            if note.count:
                shown = ", ".join(str(row) for row in note.rows)
                if note.count > len(note.rows):
                    shown += ", …"
                line += " " + ngettext(
                    "(%(count)d record: %(rows)s)", "(%(count)d records: %(rows)s)", note.count
                ) % {"count": note.count, "rows": shown}
            lines.append(line)
        return lines


def not_kept_reason() -> str:
    return _("not kept: the directory has no place for it")
