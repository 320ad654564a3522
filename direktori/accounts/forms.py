from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import User


class SignInForm(AuthenticationForm):
    """Username or Malaysian mobile number, and password. The one error message for every
    failure says nothing about whether the account exists."""

    error_messages = {
        "invalid_login": _(
            "The username or mobile number and password do not match an account that may sign in."
        ),
        "inactive": _(
            "The username or mobile number and password do not match an account that may sign in."
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username or mobile number")
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        )
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"


class CodeForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
        help_text=_("The 6-digit code from your authenticator app, or one of your backup codes."),
    )

    def clean_otp_token(self) -> str:
        return "".join(self.cleaned_data["otp_token"].split())


class ContactForm(forms.ModelForm):
    """What a user may correct about themselves (PDPA access and correction)."""

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "phone"]
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }
