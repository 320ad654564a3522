from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from direktori.areas.models import Area
from direktori.publishing.booklet import LANGUAGES, PAPERS, build_booklet


class Command(BaseCommand):
    help = (
        "Write the printable directory of one district (PDF): organisations by target group and "
        "mukim, emergency numbers, national helplines, contents and index. Never a confidential "
        "address, nor a committee member who did not consent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--district", required=True, help="DOSM name or code, e.g. Sepang or 10_7"
        )
        parser.add_argument("--lang", default="ms", help="ms (default) or en")
        parser.add_argument("--paper", default="a5", help="a5 (default) or a4")
        parser.add_argument("--out", required=True, type=Path, help="the PDF file to write")

    def handle(
        self, *args: Any, district: str, lang: str, paper: str, out: Path, **options: Any
    ) -> None:
        message_language = lang if lang in LANGUAGES else "ms"
        with translation.override(message_language):
            area = self._checked(district=district, lang=lang, paper=paper, out=out)
        booklet = build_booklet(area, language=lang, paper=paper)
        _write_atomically(out, booklet.pdf)
        if options["verbosity"] >= 1:
            with translation.override(message_language):
                self.stdout.write(
                    _(
                        "%(path)s: %(pages)d pages, %(organisations)d organisations, "
                        "%(seconds).1f s."
                    )
                    % {
                        "path": out,
                        "pages": booklet.pages,
                        "organisations": booklet.organisations,
                        "seconds": booklet.seconds,
                    }
                )

    def _checked(self, *, district: str, lang: str, paper: str, out: Path) -> Area:
        if lang not in LANGUAGES:
            raise CommandError(
                _("Unknown language %(value)s: use %(choices)s.")
                % {"value": lang, "choices": ", ".join(LANGUAGES)}
            )
        if paper not in PAPERS:
            raise CommandError(
                _("Unknown paper size %(value)s: use %(choices)s.")
                % {"value": paper, "choices": ", ".join(PAPERS)}
            )
        folder = out.resolve().parent
        if out.is_dir() or not folder.is_dir() or not os.access(folder, os.W_OK):
            raise CommandError(_("Cannot write %(path)s.") % {"path": out})
        if out.exists() and not os.access(out, os.W_OK):
            raise CommandError(_("Cannot write %(path)s.") % {"path": out})
        matches = list(Area.objects.by_code_or_name(district)[:5])
        if not matches:
            raise CommandError(_("No area has the name or code %(value)s.") % {"value": district})
        districts = [area for area in matches if area.kind == Area.Kind.DISTRICT]
        if not districts:
            raise CommandError(
                _("%(name)s is not a district (kind: %(kind)s).")
                % {"name": matches[0].name, "kind": matches[0].get_kind_display()}
            )
        if len(districts) > 1:
            raise CommandError(
                _("Several districts are named %(name)s: give the code (%(codes)s).")
                % {"name": district, "codes": ", ".join(a.code for a in districts)}
            )
        return districts[0]


def _write_atomically(path: Path, data: bytes) -> None:
    """Readers see the old file or the whole new one, never half a PDF."""
    folder = path.resolve().parent
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
