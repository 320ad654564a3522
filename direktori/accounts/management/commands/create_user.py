"""CONTRACT: `create_user --username U --role ROLE [--area CODE] [--organisation UUID]
[--password P]`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from direktori.accounts import services
from direktori.accounts.models import Role
from direktori.areas.models import Area
from direktori.directory.models import Organization


class Command(BaseCommand):
    help = (
        "Provision an account with a role and an area (DOSM code). Without --password, prints a "
        "one-time link where the user chooses their password."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--area", help="DOSM code, e.g. 10 (Selangor) or 10_7 (Sepang)")
        parser.add_argument("--organisation", help="the CBO's UUID (CBO members and chairs)")
        parser.add_argument("--password")
        parser.add_argument("--email", default="")
        parser.add_argument("--phone", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        role = Role(options["role"])
        area = self._area(options["area"], role)
        organisation = None
        if options["organisation"]:
            try:
                organisation = Organization.objects.get(pk=options["organisation"])
            except (Organization.DoesNotExist, ValidationError) as error:
                raise CommandError(
                    _("No organisation has the id %(id)s.") % {"id": options["organisation"]}
                ) from error
        try:
            user = services.user_create(
                username=options["username"],
                role=role,
                area=area,
                organisation=organisation,
                password=options["password"],
                email=options["email"],
                phone=options["phone"],
            )
        except ValidationError as error:
            raise CommandError("; ".join(_messages(error))) from error
        self.stdout.write(
            _("Created %(username)s (%(role)s, %(area)s).")
            % {"username": user.username, "role": role.label, "area": area}
        )
        if options["password"] is None:
            self.stdout.write(
                _("One-time link to choose a password: %(link)s")
                % {"link": services.set_password_link(user)}
            )

    def _area(self, code: str | None, role: Role) -> Area:
        if not code:
            if role == Role.HQ_ADMIN:
                return Area.objects.get(kind=Area.Kind.COUNTRY)
            raise CommandError(_("The role %(role)s needs --area.") % {"role": role.value})
        area = Area.objects.filter(code=code).first()
        if area is None:
            raise CommandError(_("No area has the code %(code)s.") % {"code": code})
        return area


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items()]
    return list(error.messages)
