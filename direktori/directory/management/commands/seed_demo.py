import os
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from direktori.accounts.demo import demo_accounts_ensure
from direktori.directory.demo import (
    DEMO_ADMIN_DEFAULT_PASSWORD,
    DEMO_ADMIN_USERNAME,
    demo_admin_ensure,
    demo_directory_seed,
)
from direktori.members.demo import demo_register_ensure
from direktori.search.indexing import refresh_since as search_index_refresh
from direktori.stats.demo import demo_statistics_ensure
from direktori.training.demo import demo_training_ensure


class Command(BaseCommand):
    help = (
        "Load the reference data, then the Sepang demo directory (fictional CBOs, centres and NGOs "
        "beside the real agencies) and a demo administrator. Safe to run again."
    )

    def handle(self, *args: object, **options: object) -> None:
        started = time.perf_counter()
        call_command("load_reference", stdout=self.stdout, stderr=self.stderr)
        since = timezone.now()
        summary = demo_directory_seed()
        search_index_refresh(since)
        password = os.environ.get("DEMO_ADMIN_PASSWORD") or DEMO_ADMIN_DEFAULT_PASSWORD
        demo_admin_ensure(password=password)
        accounts = demo_accounts_ensure(password=password)
        register = demo_register_ensure()
        training = demo_training_ensure()
        statistics = demo_statistics_ensure()
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Sepang demo directory: %(demo)d fictional and %(real)d real organisations; "
                    "%(created)d records created, %(changed)d changed (%(seconds).1f s)."
                )
                % {
                    "demo": summary.demo_organizations,
                    "real": summary.real_organizations,
                    "created": summary.report.total_created,
                    "changed": summary.report.total_changed,
                    "seconds": time.perf_counter() - started,
                }
            )
        )
        self.stdout.write(
            self.style.WARNING(
                _(
                    "Demo administrator (demo data only, never use it in production): "
                    "username %(username)s, password %(password)s"
                )
                % {"username": DEMO_ADMIN_USERNAME, "password": password}
            )
        )
        self.stdout.write(
            self.style.WARNING(
                _(
                    "Demo accounts, one per role, with the same password: %(usernames)s. "
                    "Officers set up their authenticator app at the first sign-in."
                )
                % {"usernames": ", ".join(accounts)}
            )
        )
        self.stdout.write(
            _(
                "Demo membership register: %(memberships)d fictional members of the demo CBOs, "
                "%(activities)d outreach activities."
            )
            % {"memberships": register.memberships, "activities": register.activities}
        )
        self.stdout.write(
            _("Demo Programme Pemerkasaan: %(sessions)d sessions, %(certificates)d certificates.")
            % {"sessions": training.sessions, "certificates": training.certificates}
        )
        self.stdout.write(
            _(
                "Statistics: the KPWKM press release's figures for January to June 2023 "
                "(%(created)d added, %(unchanged)d already there)."
            )
            % {"created": statistics.created, "unchanged": statistics.unchanged}
        )
