from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from direktori.accounts.permissions import scope_paths
from direktori.areas.models import Area

from .models import Action, AuditEventQuerySet
from .services import REASON_MAX_LENGTH, REASON_MIN_LENGTH


class DateInput(forms.DateInput):
    input_type = "date"


class AuditFilterForm(forms.Form):
    """The audit log's filters, read from the query string; every field may be left empty."""

    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All actions")), *Action.choices]
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)
    actor = forms.CharField(
        label=_("Username"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def filter(self, events: AuditEventQuerySet) -> AuditEventQuerySet:
        """`events` narrowed by the valid filters (an invalid form narrows nothing)."""
        if not self.is_valid():
            return events
        data = self.cleaned_data
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["date_from"]:
            events = events.filter(when__gte=_start_of(data["date_from"]))
        if data["date_to"]:
            events = events.filter(when__lt=_start_of(data["date_to"] + datetime.timedelta(1)))
        if data["actor"].strip():
            events = events.filter(actor_username__icontains=data["actor"].strip())
        return events

    def used(self) -> dict[str, str]:
        """The filters given, for the audit event of the audit log's own viewing."""
        if not self.is_valid():
            return {}
        return {name: str(value) for name, value in self.cleaned_data.items() if value}


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _areas_outside(user: Any) -> list[tuple[str, list[tuple[int, str]]]]:
    """States and districts outside the user's own area, grouped by state, for a <select>."""
    outside = Q()
    for path in scope_paths(user, with_grants=False):
        outside &= ~Q(path__startswith=path)
    areas = Area.objects.filter(kind__in=[Area.Kind.STATE, Area.Kind.DISTRICT]).filter(outside)
    groups: dict[str, list[tuple[int, str]]] = {}
    states = {area.path: area for area in Area.objects.states()}
    for area in areas.order_by("path"):
        state_path = "/".join(area.path.split("/")[:3]) + "/"
        state = states.get(state_path, area)
        label = (
            gettext("%(state)s (the whole state)") % {"state": area.name}
            if area.kind == Area.Kind.STATE
            else area.name
        )
        groups.setdefault(state.name, []).append((area.pk, str(label)))
    return sorted(groups.items())


class BreakGlassForm(forms.Form):
    area = forms.TypedChoiceField(label=_("Area"), coerce=int, choices=())
    reason = forms.CharField(
        label=_("Reason"),
        min_length=REASON_MIN_LENGTH,
        max_length=REASON_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area_field = cast(forms.TypedChoiceField, self.fields["area"])
        area_field.choices = [("", gettext("Choose a state or district")), *_areas_outside(user)]
        self.fields["reason"].help_text = gettext(
            "Why you need to see records outside your area, in at least %(count)d characters. "
            "It is sent to your supervisor: write no names or other personal details."
        ) % {"count": REASON_MIN_LENGTH}

    def clean_area(self) -> Area:
        area = Area.objects.filter(pk=self.cleaned_data["area"]).first()
        if area is None:
            raise forms.ValidationError(_("Choose a state or a district."))
        return area
