"""Opening hours as people read them: a week table, and whether a place is open now."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from .models import Schedule
from .models.details import Weekday


@dataclass
class Day:
    weekday: int
    label: str
    periods: list[Schedule] = field(default_factory=list)
    is_today: bool = False


def week(schedules: Iterable[Schedule], *, today: datetime.date | None = None) -> list[Day]:
    """Seven days, Monday first, each with its opening periods (empty = closed)."""
    today = today or timezone.localdate()
    days = [
        Day(weekday=value, label=str(label), is_today=value == today.isoweekday())
        for value, label in Weekday.choices
    ]
    for schedule in schedules:
        if schedule.valid_to and schedule.valid_to < today:
            continue
        days[schedule.weekday - 1].periods.append(schedule)
    return days


def is_open(
    schedules: Iterable[Schedule], *, moment: datetime.datetime | None = None
) -> bool | None:
    """True or False when there are opening hours to go by; None when nobody has recorded any."""
    moment = timezone.localtime(moment)
    rows = list(schedules)
    if not rows:
        return None
    return any(row.is_open_at(moment) for row in rows)
