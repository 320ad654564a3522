"""Referrals for tests: `submit(reporter)` makes one through the service, as the API does."""

from __future__ import annotations

import datetime
from typing import Any

from direktori.areas.models import Area
from direktori.referrals.models import Referral
from direktori.referrals.services import referral_submit
from direktori.referrals.submission import Submission

#: Text that must never leave the referral: not in search, exports, logs, audit or messages.
SECRET_NAME = "Zulaikha binti Rahsia"
SECRET_CONCERN = "Kanak-kanak ditinggalkan bersendirian di rumah kayu biru berhampiran surau"
SECRET_MYKAD = "900101105678"
SECRET_ADDRESS = "Lorong Rahsia 7, belakang kedai runcit"


def submission(**overrides: Any) -> Submission:
    fields: dict[str, Any] = {
        "target_group": "children",
        "concern": SECRET_CONCERN,
        "urgency": "urgent",
        "area": Area.objects.get(code="10_7"),
        "consent_given": True,
        "consent_by": "guardian",
        "address_or_landmark": SECRET_ADDRESS,
        "subject_description": SECRET_NAME,
        "subject_age": 7,
        "subject_sex": "female",
        "subject_mykad": SECRET_MYKAD,
        "reporter_phone": "012-345 6789",
    }
    fields.update(overrides)
    return Submission(**fields)


def submit(reporter: Any, *, now: datetime.datetime | None = None, **overrides: Any) -> Referral:
    referral, _created = referral_submit(
        reporter=reporter, submission=submission(**overrides), now=now
    )
    return referral
