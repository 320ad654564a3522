"""Malaysian phone numbers: validate, store in one form, show and link them.

Ordinary numbers are stored in E.164 (`+60389475555`); short codes such as 999 and 15999 are
stored as their digits. See ANCHORS.md: mobiles are 01x + 7–8 digits, 03 landlines 8 digits after
the area code, other landlines 7.
"""

from __future__ import annotations

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SHORT_CODE = re.compile(r"^\d{3,5}$")


def normalise(raw: str, *, short_code: bool = False) -> str:
    text = raw.strip()
    if short_code:
        digits = re.sub(r"[\s-]", "", text)
        if not SHORT_CODE.match(digits):
            raise ValidationError(
                _("A short code has 3 to 5 digits, for example 999 or 15999."), code="short_code"
            )
        return digits
    try:
        parsed = phonenumbers.parse(text, "MY")
    except phonenumbers.NumberParseException as error:
        raise ValidationError(
            _("“%(number)s” is not a phone number."), code="invalid", params={"number": text}
        ) from error
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(
            _(
                "“%(number)s” is not a valid Malaysian phone number. Write it as 03-8947 5555 "
                "or 019-261 5999."
            ),
            code="invalid",
            params={"number": text},
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _parse(number: str) -> phonenumbers.PhoneNumber | None:
    if SHORT_CODE.match(number):
        return None
    try:
        return phonenumbers.parse(number, "MY")
    except phonenumbers.NumberParseException:
        return None


def display(number: str) -> str:
    """As people write it: 03-8947 5555 at home, +44 … abroad, 15999 for short codes."""
    parsed = _parse(number)
    if parsed is None:
        return number
    if parsed.country_code == 60:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def tel_uri(number: str) -> str:
    return f"tel:{number}"


def whatsapp_url(number: str) -> str:
    return f"https://wa.me/{number.lstrip('+')}"
