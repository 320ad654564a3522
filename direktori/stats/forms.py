"""The dashboard's choices (a GET form that works without JavaScript) and the HQ upload."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from . import places
from .models import Category
from .places import Place

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
MEASURES = (("count", _("Number of cases")), ("rate", _("Rate per 100,000")))


@dataclass(frozen=True)
class Choice:
    """What the dashboard shows: one category over whole months, for one area."""

    category: str
    start: datetime.date
    end: datetime.date
    area: Place
    measure: str = "count"


class MonthInput(forms.TextInput):
    input_type = "month"


def month_start(text: str) -> datetime.date | None:
    match = MONTH.match(text.strip())
    return datetime.date(int(match[1]), int(match[2]), 1) if match else None


def month_end(first: datetime.date) -> datetime.date:
    return (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(
        days=1
    )


class DashboardForm(forms.Form):
    category = forms.ChoiceField(label=_("What"), choices=Category.choices)
    start = forms.CharField(
        label=_("From (month)"),
        max_length=7,
        widget=MonthInput(attrs={"placeholder": "2023-01", "pattern": r"\d{4}-\d{2}"}),
        help_text=_("YYYY-MM"),
    )
    end = forms.CharField(
        label=_("To (month)"),
        max_length=7,
        widget=MonthInput(attrs={"placeholder": "2023-06", "pattern": r"\d{4}-\d{2}"}),
        help_text=_("YYYY-MM"),
    )
    area = forms.ChoiceField(label=_("Area"))
    measure = forms.ChoiceField(label=_("Map shading"), choices=MEASURES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tree = places.tree()
        country = tree.country
        choices: list[Any] = [(country.code, country.label)]
        for state in tree.children.get(country.code, []):
            label = tree.by_code[state].label
            group = [(state, _("%(state)s (whole state)") % {"state": label})]
            group += [(code, tree.by_code[code].label) for code in tree.children.get(state, [])]
            choices.append((label, group))
        self.fields["area"].choices = choices  # type: ignore[attr-defined]

    def clean_start(self) -> datetime.date:
        return self._month(self.cleaned_data["start"])

    def clean_end(self) -> datetime.date:
        return month_end(self._month(self.cleaned_data["end"]))

    def _month(self, text: str) -> datetime.date:
        first = month_start(text)
        if first is None or first.year < 1900:
            raise forms.ValidationError(_("Write the month as YYYY-MM, for example 2023-06."))
        return first

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The last month must not be before the first."))
        return data

    def choice(self) -> Choice:
        data = self.cleaned_data
        return Choice(
            category=data["category"],
            start=data["start"],
            end=data["end"],
            area=places.tree().by_code[data["area"]],
            measure=data["measure"],
        )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Figures (CSV or XLSX)"),
        help_text=_(
            "First row: period_start, period_end, state, district, category, count, source."
        ),
        widget=forms.FileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
