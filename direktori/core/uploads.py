"""The two steps of every upload page (bulk invitation, appointment lists, statistics, directory
entries): the upload form bound to the request and the rows its file holds; then, once the
preview is confirmed, the rows kept in the form's signed token saved all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .spreadsheets import Refused


def uploaded_rows[T](
    request: HttpRequest, form_class: type[forms.Form], read: Callable[[Any], T]
) -> tuple[forms.Form, T | None]:
    """The form, and what `read` makes of its `file`; None when the form is not in order or
    `read` refused the file (its reason is then on the form's file field)."""
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        return form, None
    try:
        return form, read(form.cleaned_data["file"])
    except ValidationError as error:
        form.add_error("file", error)
        return form, None


def confirmed_upload(form: forms.Form, save: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
    """What a confirmation page shows: `save(token)`'s values and `done`; or `file_errors` when
    the token is missing, forged or too old; or `problems` when a row is refused now (the
    database may have changed since the preview)."""
    try:
        if not form.is_valid():
            raise ValidationError(_("Upload the file again."))
        return {**save(form.cleaned_data["token"]), "done": True}
    except ValidationError as error:
        return {"file_errors": error.messages}
    except Refused as refused:
        return {"problems": refused.problems}
