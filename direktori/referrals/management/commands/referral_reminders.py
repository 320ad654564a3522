"""`referral_reminders`: remind district officers, and escalate to state officers, about
referrals not acknowledged in time. Once per referral and target; safe to run every few minutes."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from direktori.referrals.reminders import reminders_send


def moment(value: str | None) -> datetime.datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--now: not an ISO date and time: {value}") from error
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


class Command(BaseCommand):
    help = "Remind district officers and escalate to state officers about overdue referrals."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="Act as if it were this ISO date and time (tests).")

    def handle(self, *args: Any, **options: Any) -> None:
        sent = reminders_send(now=moment(options["now"]))
        self.stdout.write(f"{sent['district']} referral(s) reminded, {sent['state']} escalated.")
