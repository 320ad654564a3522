from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from direktori.areas.services import areas_load_reference
from direktori.directory.reference import taxonomies_load_reference
from direktori.training.reference import topics_load_reference


class Command(BaseCommand):
    help = (
        "Load the reference data: Malaysia's states and districts, Sepang's mukim and localities, "
        "the target groups, the service categories and the topics of the Programme Pemerkasaan. "
        "Safe to run again."
    )

    def handle(self, *args: object, **options: object) -> None:
        areas = areas_load_reference()
        terms = taxonomies_load_reference()
        topics = topics_load_reference()  # after the target groups they concern
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Reference data: areas %(areas_created)d created, %(areas_existing)d already "
                    "present; taxonomies and terms %(terms_created)d created, %(terms_existing)d "
                    "already present; training topics %(topics_created)d created, "
                    "%(topics_existing)d already present."
                )
                % {
                    "areas_created": areas.created,
                    "areas_existing": areas.existing,
                    "terms_created": terms.created,
                    "terms_existing": terms.existing,
                    "topics_created": topics.created,
                    "topics_existing": topics.existing,
                }
            )
        )
