"""Outreach records hold counts, never people: text that looks like a MyKad or a Malaysian phone
number is refused (issue 6, item 5; individual cases belong to referrals)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_SEP = r"[\s-]?"
#: 12 digits as on a MyKad, the date of birth first: 900101-14-5678, 900101 14 5678, 900101145678.
MYKAD = re.compile(rf"(?<![\d+]){r'\d' * 6}{_SEP}\d\d{_SEP}\d{{4}}(?!\d)")
#: Mobiles (012-345 6789, 011-1234 5678) and fixed lines (03-1234 5678, 082-123 456), with or
#: without +60 / 60 in front.
PHONE = re.compile(
    rf"(?<!\d)(?:\+?60{_SEP}|0)"
    rf"(?:1\d{_SEP}\d{{3,4}}{_SEP}\d{{4}}|[3-9]\d?{_SEP}\d{{3,4}}{_SEP}\d{{3,4}})(?!\d)"
)


def looks_like_mykad(text: str) -> bool:
    return MYKAD.search(text or "") is not None


def looks_like_phone(text: str) -> bool:
    return PHONE.search(text or "") is not None


def no_personal_numbers(text: str) -> None:
    if looks_like_mykad(text):
        raise ValidationError(
            _(
                "This looks like a MyKad number. Remove it: outreach records hold no details "
                "that identify a person. Record an individual case as a referral."
            ),
            code="mykad",
        )
    if looks_like_phone(text):
        raise ValidationError(
            _(
                "This looks like a phone number. Remove it: outreach records hold no details "
                "that identify a person. Record an individual case as a referral."
            ),
            code="phone",
        )
