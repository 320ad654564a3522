from django.core.management.base import BaseCommand

from direktori.areas.services import areas_load_reference


class Command(BaseCommand):
    help = "Load every state and district of Malaysia (DOSM) and Sepang's mukim and localities."

    def handle(self, *args: object, **options: object) -> None:
        report = areas_load_reference()
        summary = f"Areas: {report.created} created, {report.existing} already present."
        self.stdout.write(self.style.SUCCESS(summary))
