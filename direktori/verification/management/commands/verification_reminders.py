from typing import Any

from django.core.management.base import BaseCommand

from direktori.verification.reminders import reminders_send


class Command(BaseCommand):
    help = (
        "Emails each district officer how many entries in their area are overdue for "
        "re-verification; at most once a day per officer."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = reminders_send()
        self.stdout.write(f"Reminders sent: {sent}")
