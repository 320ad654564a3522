from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from direktori.areas.models import Area
from direktori.members.models import Membership, Person
from direktori.outreach.forms import AreaChoiceField, DateInput

from .models import Attendance, Topic, TrainingSession
from .permissions import districts_in_scope, districts_manageable_by, people_registrable_by


def _choices(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    return cast(forms.ModelChoiceField, form.fields[name])


class TopicChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if obj.required:
            return str(_("%(topic)s (required for every member)") % {"topic": obj.name})
        return str(obj.name)


class SessionForm(forms.ModelForm):
    """Creating or changing a session, in a district of the officer's own area; the service
    checks the permission again."""

    class Meta:
        model = TrainingSession
        fields = [
            "title",
            "starts_on",
            "ends_on",
            "district",
            "place",
            "locality",
            "topics",
            "trainer",
            "organiser",
            "notes",
        ]
        field_classes = {"locality": AreaChoiceField, "topics": TopicChoiceField}
        widgets = {
            "starts_on": DateInput,
            "ends_on": DateInput,
            "topics": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        districts = districts_manageable_by(user)
        _choices(self, "district").queryset = districts
        if self.instance._state.adding and districts.count() == 1:
            self.fields["district"].initial = districts.first()
        places = Area.objects.none()
        for district in districts:
            places |= Area.objects.within(district)
        _choices(self, "locality").queryset = places.filter(
            kind__in=[Area.Kind.MUKIM, Area.Kind.LOCALITY]
        ).order_by("path")
        _choices(self, "topics").queryset = Topic.objects.order_by("position", "code")

    def values(self) -> dict[str, Any]:
        """The service's keyword arguments."""
        data = dict(self.cleaned_data)
        data["topics"] = list(data["topics"])
        return data


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        cbo = getattr(obj, "cbo_name", "")
        return f"{obj.full_name} — {cbo}" if cbo else str(obj.full_name)


class RegisterForm(forms.Form):
    """Registering current members of CBOs in the officer's own area for a session."""

    people = PersonChoiceField(
        label=_("Members to register"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Current members of the CBOs in your area who are not registered yet."),
    )

    def __init__(self, *args: Any, user: Any, session: TrainingSession, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "people").queryset = registrable_people(user, session)


def registrable_people(user: Any, session: TrainingSession) -> QuerySet[Person]:
    """Who the officer may still register, with the name of a CBO of theirs (`cbo_name`); the
    session's district's CBOs first."""
    memberships = Membership.objects.current().filter(person=OuterRef("pk"))
    near = Q(cbo__area__path__startswith=session.district.path)
    return (
        people_registrable_by(user)
        .exclude(training_attendances__session=session)
        .annotate(
            cbo_name=Subquery(memberships.order_by("cbo__name").values("cbo__name")[:1]),
            near=Subquery(memberships.filter(near).values("pk")[:1]),
        )
        .order_by(F("near").asc(nulls_last=True), "cbo_name", "full_name")
    )


class AttendanceForm(forms.Form):
    """One box per registered person: ticked, they attended; not ticked, they were absent."""

    def __init__(self, *args: Any, attendances: list[Attendance], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.attendances = attendances
        for attendance in attendances:
            self.fields[self.name_of(attendance)] = forms.BooleanField(
                label=attendance.person.full_name,
                required=False,
                initial=attendance.status == Attendance.Status.ATTENDED,
            )

    @staticmethod
    def name_of(attendance: Attendance) -> str:
        return f"attended-{attendance.pk}"

    def marks(self) -> dict[Person, str]:
        return {
            a.person: Attendance.Status.ATTENDED
            if self.cleaned_data.get(self.name_of(a))
            else Attendance.Status.ABSENT
            for a in self.attendances
        }


class NeedsFilterForm(forms.Form):
    district = forms.ModelChoiceField(
        label=_("District"),
        required=False,
        queryset=Area.objects.none(),
        to_field_name="code",
        empty_label=_("All districts in your area"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "district").queryset = districts_in_scope(user)

    def chosen_district(self) -> Area | None:
        return self.cleaned_data.get("district") if self.is_valid() else None
