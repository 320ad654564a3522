"""`membership_reminders`: email chairs and district officers about terms ending soon."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from direktori.members.reminders import reminders_send


class Command(BaseCommand):
    help = "Email CBO chairs and district officers about terms ending within 60 days."

    def handle(self, *args: Any, **options: Any) -> None:
        count = reminders_send()
        self.stdout.write(f"{count} term(s) reminded.")
