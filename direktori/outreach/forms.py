from __future__ import annotations

import datetime
import re
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from direktori.accounts.permissions import scope_paths
from direktori.areas.models import Area
from direktori.directory.models import TaxonomyTerm

from .models import Activity, ActivityQuerySet
from .permissions import cbos_recordable_by
from .selectors import default_period

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def _choices(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    return cast(forms.ModelChoiceField, form.fields[name])


class DateInput(forms.DateInput):
    input_type = "date"


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


class ActivityForm(forms.ModelForm):
    """Recording or changing an activity. The CBO is chosen only when recording, from those the
    user may record for; the service checks the permission again."""

    class Meta:
        model = Activity
        fields = [
            "cbo",
            "target_group",
            "kind",
            "date",
            "locality",
            "people_reached",
            "volunteers",
            "description",
        ]
        field_classes = {"locality": AreaChoiceField}
        widgets = {
            "date": DateInput,
            "description": forms.Textarea(attrs={"rows": 3}),
            "people_reached": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "volunteers": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "target_group").queryset = TaxonomyTerm.objects.target_groups()
        if not self.instance._state.adding:
            del self.fields["cbo"]
            areas = Area.objects.within(self.instance.cbo.area)
        else:
            cbos = cbos_recordable_by(user).select_related("area")
            _choices(self, "cbo").queryset = cbos
            first_two = list(cbos[:2])
            if len(first_two) == 1:
                self.fields["cbo"].initial = first_two[0]
                areas = Area.objects.within(first_two[0].area)
            else:
                areas = Area.objects.none()
                for path in scope_paths(user, with_grants=False):
                    areas |= Area.objects.filter(path__startswith=path)
            self.fields["date"].initial = timezone.localdate()
        _choices(self, "locality").queryset = areas.exclude(
            kind__in=[Area.Kind.COUNTRY, Area.Kind.STATE]
        ).order_by("path")

    def cleaned_changes(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "cbo"}


class ActivityFilterForm(forms.Form):
    """The list's filters, from the query string; every field may be left empty."""

    target_group = forms.ModelChoiceField(
        label=_("Target group"),
        required=False,
        queryset=TaxonomyTerm.objects.none(),
        to_field_name="code",
        empty_label=_("All target groups"),
    )
    month = forms.CharField(
        label=_("Month"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-01"}),
        help_text=_("Year and month, e.g. 2026-01."),
    )
    locality = AreaChoiceField(
        label=_("Locality"),
        required=False,
        queryset=Area.objects.none(),
        to_field_name="code",
        empty_label=_("All places"),
    )

    def __init__(self, *args: Any, activities: ActivityQuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "target_group").queryset = TaxonomyTerm.objects.target_groups()
        used = activities.order_by().values("locality")
        _choices(self, "locality").queryset = Area.objects.filter(pk__in=used).order_by("path")

    def clean_month(self) -> tuple[int, int] | None:
        value = (self.cleaned_data.get("month") or "").strip()
        if not value:
            return None
        match = MONTH.match(value)
        if not match:
            raise forms.ValidationError(_("Give the month as year-month, e.g. 2026-01."))
        return int(match.group(1)), int(match.group(2))

    def filter(self, activities: ActivityQuerySet) -> ActivityQuerySet:
        if not self.is_valid():
            return activities
        return filter_activities(activities, **self.cleaned_data)


def filter_activities(
    activities: ActivityQuerySet,
    *,
    target_group: TaxonomyTerm | None = None,
    month: tuple[int, int] | None = None,
    locality: Area | None = None,
) -> ActivityQuerySet:
    """The list filters, shared by the page and the API."""
    if target_group is not None:
        activities = activities.for_target_group(target_group)
    if month is not None:
        activities = activities.in_month(*month)
    if locality is not None:
        activities = activities.in_locality(locality)
    return activities


class PeriodForm(forms.Form):
    """The summary's period; the last three months when none is given."""

    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def period(self) -> tuple[datetime.date, datetime.date]:
        start, end = default_period(timezone.localdate())
        if self.is_valid():
            start = self.cleaned_data["date_from"] or start
            end = self.cleaned_data["date_to"] or end
        return start, end
