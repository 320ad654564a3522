"""Daily reminders to district officers of the entries overdue for re-verification."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from direktori.accounts.models import Role, User

from .models import ReminderSent
from .selectors import overdue_count


def _message(officer: User, overdue: int) -> tuple[str, str]:
    base_url = str(settings.DIREKTORI["PUBLIC_BASE_URL"]).rstrip("/")
    subjects, parts = [], []
    for language in ("ms", "en"):
        with override(language):
            subjects.append(_("%(count)d directory entries to re-verify") % {"count": overdue})
            context = {"overdue": overdue, "queue_url": base_url + reverse("verification:queue")}
            parts.append(render_to_string("verification/email/reminder.txt", context).strip())
    return " / ".join(subjects), "\n\n-----\n\n".join(parts) + "\n"


def reminders_send(*, today: datetime.date | None = None) -> int:
    """Emails each active district officer with an email address and overdue entries, at most
    once a day (a second run the same day sends nothing). Returns how many were sent."""
    today = today or timezone.localdate()
    sent = 0
    officers = User.objects.filter(
        role=Role.DISTRICT_OFFICER, is_active=True, area__isnull=False
    ).exclude(email="")
    for officer in officers.select_related("area").order_by("pk"):
        if ReminderSent.objects.filter(user=officer, sent_on=today).exists():
            continue
        overdue = overdue_count(officer)
        if not overdue:
            continue
        subject, body = _message(officer, overdue)
        try:
            with transaction.atomic():
                ReminderSent.objects.create(user=officer, sent_on=today, overdue=overdue)
        except IntegrityError:  # another run got there first
            continue
        try:
            send_mail(subject, body, None, [officer.email])
        except Exception:
            ReminderSent.objects.filter(user=officer, sent_on=today).delete()  # try again later
            raise
        sent += 1
    return sent
