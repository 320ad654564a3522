from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from direktori.directory import phones
from direktori.directory.models import Organization

from .models import AppointingBody, MemberRole, Person
from .services import REASON_MAX_LENGTH, Appointment


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Appointment list (CSV or XLSX)"),
        help_text=_(
            "First row: organisation_id, full_name, phone, email, role, appointed_by, "
            "appointed_on, term_ends_on, listed_publicly."
        ),
        widget=forms.FileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )


def _normalised_phone(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    try:
        return phones.normalise(text)
    except ValidationError as error:
        raise ValidationError(error.messages) from error


PHONE_INPUT = forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"})
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ContactForm(forms.ModelForm):
    """A member's own contact details and consent; only these three fields."""

    class Meta:
        model = Person
        fields = ["phone", "email", "listed_publicly"]
        widgets = {"phone": PHONE_INPUT}

    def clean_phone(self) -> str:
        return _normalised_phone(self.cleaned_data["phone"])


class TermForm(forms.Form):
    """A term: role, appointing body, dates (re-appointing someone the register knows)."""

    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices)
    appointed_by = forms.ChoiceField(label=_("Appointed by"), choices=AppointingBody.choices)
    appointed_on = forms.DateField(label=_("Appointed on"), widget=DATE_INPUT)
    term_ends_on = forms.DateField(
        label=_("Term ends on"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Leave empty if the term has no end date."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        starts, ends = data.get("appointed_on"), data.get("term_ends_on")
        if starts and ends and ends <= starts:
            self.add_error("term_ends_on", _("The term must end after the appointment date."))
        return data

    def term(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in TermForm.base_fields}


class AppointForm(TermForm):
    """Appointing one person to a CBO, as one row of an appointment list."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=40,
        required=False,
        widget=PHONE_INPUT,
        help_text=_("For example 012-345 6789. The same number finds the same person."),
    )
    email = forms.EmailField(label=_("Email"), required=False)
    listed_publicly = forms.BooleanField(
        label=_("They agree that their phone and email appear on the public page"),
        required=False,
    )

    field_order = ["full_name", "phone", "email", "role", "appointed_by", "appointed_on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].initial = MemberRole.AHLI

    def clean_full_name(self) -> str:
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_phone(self) -> str:
        return _normalised_phone(self.cleaned_data["phone"])

    def appointment(self, cbo: Organization) -> Appointment:
        data = self.cleaned_data
        return Appointment(
            cbo=cbo,
            full_name=data["full_name"],
            phone=data["phone"],
            email=data["email"],
            listed_publicly=data["listed_publicly"],
            **self.term(),
        )


def _reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("Reason or notes (optional)"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the membership for officers. No health or family details."),
    )


class EndForm(forms.Form):
    ended_on = forms.DateField(label=_("Ended on"), widget=DATE_INPUT)
    reason = _reason_field()


class CBOChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.area.name})"


class MoveForm(TermForm):
    """Moving a member to another CBO: the date is the end here and the appointment there."""

    cbo = CBOChoiceField(
        label=_("Move to the CBO"), queryset=Organization.objects.none(), empty_label=None
    )
    reason = _reason_field()

    field_order = ["cbo", "appointed_on", "role", "appointed_by", "term_ends_on", "reason"]

    def __init__(self, *args: Any, cbos: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["cbo"]
        assert isinstance(field, CBOChoiceField)  # noqa: S101 -- narrows the type
        field.queryset = cbos
        self.fields["appointed_on"].label = _("Moved on")
        self.fields["appointed_on"].help_text = _(
            "The membership here ends on this day and the new one starts on it."
        )


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal on the form: by field where it names one, above the form otherwise."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)
