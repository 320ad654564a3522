"""Password rules beyond Django's: officers and administrators need at least 12 characters."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

OFFICER_MIN_LENGTH = 12


class OfficerMinimumLengthValidator:
    def validate(self, password: str, user: Any = None) -> None:
        from .permissions import needs_second_factor

        if user is None:
            return
        if needs_second_factor(user) and len(password) < OFFICER_MIN_LENGTH:
            raise ValidationError(
                ngettext(
                    "An officer's password must have at least %(min_length)d character.",
                    "An officer's password must have at least %(min_length)d characters.",
                    OFFICER_MIN_LENGTH,
                )
                % {"min_length": OFFICER_MIN_LENGTH},
                code="password_too_short",
            )

    def get_help_text(self) -> str:
        return _("Officers and administrators: at least %(min_length)d characters.") % {
            "min_length": OFFICER_MIN_LENGTH
        }
