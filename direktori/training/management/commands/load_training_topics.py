from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from direktori.training.reference import topics_load_reference


class Command(BaseCommand):
    help = (
        "Load the topics of the Programme Pemerkasaan (training/data/topics.csv); run it after "
        "load_reference, which loads the target groups the topics concern. Safe to run again."
    )

    def handle(self, *args: object, **options: object) -> None:
        report = topics_load_reference()
        self.stdout.write(
            self.style.SUCCESS(
                _("Training topics: %(created)d created, %(existing)d already present.")
                % {"created": report.created, "existing": report.existing}
            )
        )
