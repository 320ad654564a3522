"""The first step of every upload page (bulk invitation, appointment lists, statistics): the
upload form bound to the request and the rows its file holds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest


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
