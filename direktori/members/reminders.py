"""Reminders before terms end (`membership_reminders`): to the CBO's chair and the district
officers over the CBO's area, once per term per day (`ReminderSent`)."""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from direktori.accounts.models import Role, User
from direktori.areas.models import Area

from .models import ENDING_SOON_DAYS, MemberRole, Membership, ReminderSent

logger = logging.getLogger(__name__)


def recipients_for(membership: Membership) -> set[str]:
    cbo = membership.cbo
    chairs = set(
        Membership.objects.current()
        .filter(cbo=cbo, role=MemberRole.PENGERUSI)
        .exclude(person__email="")
        .values_list("person__email", flat=True)
    )
    users = User.objects.filter(is_active=True).exclude(email="")
    chairs |= set(
        users.filter(role=Role.CBO_CHAIR, organisation=cbo).values_list("email", flat=True)
    )
    officers = set(
        users.filter(
            role=Role.DISTRICT_OFFICER, area__in=Area.objects.containing(cbo.area)
        ).values_list("email", flat=True)
    )
    return chairs | officers


def reminders_send(*, today: datetime.date | None = None) -> int:
    """Queues one email per recipient listing the terms ending within 60 days not yet reminded
    today; returns how many terms were reminded."""
    today = today or timezone.localdate()
    due = (
        Membership.objects.ending_within(ENDING_SOON_DAYS, today)
        .select_related("person", "cbo__area")
        .order_by("term_ends_on")
    )
    done = set(
        ReminderSent.objects.filter(sent_on=today).values_list("membership_id", "term_ends_on")
    )
    by_recipient: dict[str, list[Membership]] = defaultdict(list)
    count = 0
    with transaction.atomic():
        for membership in due:
            if membership.term_ends_on is None or (membership.pk, membership.term_ends_on) in done:
                continue
            recipients = recipients_for(membership)
            for address in recipients:
                by_recipient[address].append(membership)
            ReminderSent.objects.create(
                membership=membership,
                term_ends_on=membership.term_ends_on,
                sent_on=today,
                recipients=len(recipients),
            )
            count += 1
        for address, memberships in by_recipient.items():
            transaction.on_commit(partial(_send, address, memberships))
    return count


def _send(address: str, memberships: list[Membership]) -> None:
    with override(settings.LANGUAGE_CODE):
        lines = [
            _("%(name)s, %(role)s of %(cbo)s: the term ends on %(date)s.")
            % {
                "name": m.person.full_name,
                "role": m.get_role_display(),
                "cbo": m.cbo.name,
                "date": m.term_ends_on.isoformat() if m.term_ends_on else "",
            }
            for m in memberships
        ]
        subject = _("CBO terms ending within %(days)d days") % {"days": ENDING_SOON_DAYS}
        body = "\n".join(
            [
                _("These appointments end soon. Re-appoint or replace the members in time."),
                "",
                *lines,
            ]
        )
    try:
        send_mail(subject, body, None, [address])
    except (
        Exception
    ) as error:  # a mail server that does not answer; the address stays out of the log
        logger.warning("term reminder not sent: %s", type(error).__name__)
