from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from direktori.directory.models import Organization, Service

from . import fields
from .services import NOTE_MAX_LENGTH, REASON_MAX_LENGTH

LONG_FIELDS = {"description_ms", "description_en"}


class ProposalForm(forms.Form):
    """The proposable fields of one entry, shown with their current values; what the chair
    leaves as it is is not part of the proposal."""

    def __init__(self, *args: Any, kind: str, entry: Organization | Service, **kwargs: Any):
        current = fields.current_values(kind, entry)
        kwargs["initial"] = current
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.current = current
        for name in fields.PROPOSABLE[kind]:
            widget: forms.Widget
            if name in LONG_FIELDS:
                widget = forms.Textarea(attrs={"rows": 4})
            elif name == fields.PHONE:
                widget = forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})
            else:
                widget = forms.TextInput()
            self.fields[name] = forms.CharField(
                label=fields.label(kind, name), required=False, widget=widget, strip=True
            )
        self.fields["note"] = forms.CharField(
            label=_("Note to the officer (optional)"),
            required=False,
            max_length=NOTE_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 3}),
        )

    def changes(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[name]
            for name in fields.PROPOSABLE[self.kind]
            if self.cleaned_data[name] != self.current[name]
        }


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejecting"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The chair sees this reason."),
    )
