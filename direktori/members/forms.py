from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from direktori.directory import phones

from .models import Person


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


class ContactForm(forms.ModelForm):
    """A member's own contact details and consent; only these three fields."""

    class Meta:
        model = Person
        fields = ["phone", "email", "listed_publicly"]
        widgets = {"phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})}

    def clean_phone(self) -> str:
        text = self.cleaned_data["phone"].strip()
        if not text:
            return ""
        try:
            return phones.normalise(text)
        except ValidationError as error:
            raise ValidationError(error.messages) from error
