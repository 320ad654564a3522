"""Acknowledgement targets by urgency (settings `REFERRAL_TARGETS`): by default immediate danger
within 1 hour, urgent within 1 working day, routine within 5 working days.

Working days skip the weekend of the office's state: Saturday and Sunday, or Friday and Saturday
in the states listed in `REFERRAL_FRIDAY_WEEKEND_STATES` (DOSM codes; by default Kedah `2`,
Kelantan `3` and Terengganu `11` — Johor went back to Saturday and Sunday on 1 January 2025).
Public holidays are not counted: a target that falls on one is reached a day early.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from direktori.areas.models import Area

DEFAULT_TARGETS: dict[str, dict[str, int]] = {
    "immediate": {"hours": 1},
    "urgent": {"working_days": 1},
    "routine": {"working_days": 5},
}
DEFAULT_FRIDAY_WEEKEND_STATES = ("2", "3", "11")
SATURDAY_SUNDAY = frozenset({5, 6})
FRIDAY_SATURDAY = frozenset({4, 5})


def targets() -> dict[str, dict[str, int]]:
    return {**DEFAULT_TARGETS, **getattr(settings, "REFERRAL_TARGETS", {})}


def weekend_of(office: Area) -> frozenset[int]:
    """The weekend (`weekday()` numbers) of the state `office` lies in."""
    codes = [code for code in office.path.split("/") if code]  # country, state, district, …
    state_code = codes[1] if len(codes) > 1 else ""
    friday_states = getattr(
        settings, "REFERRAL_FRIDAY_WEEKEND_STATES", DEFAULT_FRIDAY_WEEKEND_STATES
    )
    return FRIDAY_SATURDAY if state_code in friday_states else SATURDAY_SUNDAY


def add_working_days(
    start: datetime.datetime, days: int, weekend: frozenset[int]
) -> datetime.datetime:
    """`days` working days after `start`, at the same time of day (local time)."""
    moment = timezone.localtime(start)
    counted = 0
    while counted < days:
        moment += datetime.timedelta(days=1)
        if moment.weekday() not in weekend:
            counted += 1
    return moment


def due_at(*, urgency: str, office: Area, start: datetime.datetime) -> datetime.datetime:
    target = targets()[urgency]
    moment = start + datetime.timedelta(hours=target.get("hours", 0))
    return add_working_days(moment, target.get("working_days", 0), weekend_of(office))
