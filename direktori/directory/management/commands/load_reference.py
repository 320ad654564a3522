from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from direktori.areas.services import areas_load_reference
from direktori.directory.reference import taxonomies_load_reference


class Command(BaseCommand):
    help = (
        "Load the reference data: Malaysia's states and districts, Sepang's mukim and localities, "
        "the target groups and the service categories. Safe to run again."
    )

    def handle(self, *args: object, **options: object) -> None:
        areas = areas_load_reference()
        terms = taxonomies_load_reference()
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Reference data: areas %(areas_created)d created, %(areas_existing)d already "
                    "present; taxonomies and terms %(terms_created)d created, %(terms_existing)d "
                    "already present."
                )
                % {
                    "areas_created": areas.created,
                    "areas_existing": areas.existing,
                    "terms_created": terms.created,
                    "terms_existing": terms.existing,
                }
            )
        )
