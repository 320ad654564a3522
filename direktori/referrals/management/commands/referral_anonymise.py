"""`referral_anonymise`: remove the personal details of referrals ended more than
REFERRAL_RETENTION_DAYS ago, keeping what statistics count. Idempotent; run daily."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from direktori.referrals.management.commands.referral_reminders import moment
from direktori.referrals.retention import referral_anonymise, retention_days


class Command(BaseCommand):
    help = "Anonymise referrals that ended more than REFERRAL_RETENTION_DAYS ago."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="Act as if it were this ISO date and time (tests).")

    def handle(self, *args: Any, **options: Any) -> None:
        count = referral_anonymise(now=moment(options["now"]))
        self.stdout.write(
            f"{count} referral(s) anonymised (ended more than {retention_days()} days ago)."
        )
