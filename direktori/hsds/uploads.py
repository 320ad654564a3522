"""Web imports: check an uploaded package (dry run), keep it, import it when confirmed."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone

from direktori.accounts.models import User

from .models import ImportUpload

PROBLEMS_SHOWN = 500


def web_import_author(filename: str) -> str:
    # Published in the HSDS metadata of every record the import changes: no person's name.
    return f"HQ administrator, web import of {filename}"


def report_as_dict(report: Any) -> dict[str, Any]:
    """What the report page shows, as JSON kept with the upload."""
    problems = [
        {"file": p.file, "row": p.row, "field": p.field, "reason": str(p.reason)}
        for p in report.problems[:PROBLEMS_SHOWN]
    ]
    counts = [{"table": table, **dict(tally)} for table, tally in report.counts.items()]
    return {
        "ok": report.ok,
        "problems": problems,
        "problem_count": report.problem_count,
        "notes": [str(note) for note in report.notes],
        "counts": counts,
    }


def _run(filename: str, content: bytes, *, dry_run: bool) -> Any:
    from .importer import import_package

    return import_package(
        io.BytesIO(content),
        name=filename,
        dry_run=dry_run,
        updated_by=web_import_author(filename),
    )


def check_upload(*, uploaded_by: User, filename: str, content: bytes) -> ImportUpload:
    report = _run(filename, content, dry_run=True)
    return ImportUpload.objects.create(
        uploaded_by=uploaded_by,
        filename=filename,
        content=content,
        state=ImportUpload.State.CHECKED if report.ok else ImportUpload.State.REFUSED,
        report=report_as_dict(report),
    )


def confirm_upload(upload: ImportUpload) -> ImportUpload:
    """Import a checked upload. The caller holds the row lock, so this runs once per upload."""
    report = _run(upload.filename, bytes(upload.content), dry_run=False)
    upload.report = report_as_dict(report)
    if report.ok:
        upload.state = ImportUpload.State.IMPORTED
        upload.imported_at = timezone.now()
    else:
        upload.state = ImportUpload.State.FAILED
    upload.save(update_fields=["report", "state", "imported_at"])
    return upload
