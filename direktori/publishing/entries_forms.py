"""The forms of the staff spreadsheet pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from direktori.areas.models import Area
from direktori.directory.forms import SearchForm
from direktori.directory.models.organisations import Status

from .entries_export import loadable_areas


class EntriesUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Directory entries (XLSX or CSV)"),
        help_text=_("The template's columns, as the template or an export has them."),
        widget=forms.FileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )


class EntriesFilterForm(forms.Form):
    """An officer's export: GET parameters named as the public search names them."""

    q = forms.CharField(label=_("Words"), max_length=200, required=False)
    kawasan = forms.ChoiceField(label=_("Area"), required=False)
    # The search's own fields: the same names, lists and messages as /cari/.
    kumpulan = SearchForm.base_fields["kumpulan"]
    kategori = SearchForm.base_fields["kategori"]
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *Status.choices], required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.areas = list(loadable_areas(user).exclude(kind=Area.Kind.LOCALITY))
        field: Any = self.fields["kawasan"]
        field.choices = [("", _("All of your area")), *[(a.code, a.name) for a in self.areas]]
