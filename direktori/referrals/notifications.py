"""Telling officers about referrals: email (Django's `MAILERS`) and SMS through an `SmsProvider`
chosen by the setting `DIREKTORI_SMS_BACKEND` (a dotted path; by default `ConsoleSmsProvider`,
which prints and collects the messages, as the console email backend does in development).

Messages carry the reference, the urgency, the target and a link, and never the person's name or
description, what was seen, or a MyKad number: a phone's lock screen or a shared mailbox may show
them to anyone. They are sent after the transaction commits (`transaction.on_commit`), so a
rolled-back referral notifies nobody, and a mail server or SMS gateway that fails never undoes
an accepted referral: the failure is logged by its type only.
"""

from __future__ import annotations

import logging
import sys
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import override

from direktori.accounts.models import Role, User
from direktori.areas.models import Area

from .models import Referral, Urgency

logger = logging.getLogger(__name__)

DEFAULT_SMS_BACKEND = "direktori.referrals.notifications.ConsoleSmsProvider"


class SmsProvider(ABC):
    """Sends one text message. A WhatsApp or SMS gateway implements `send` and is named in
    `DIREKTORI_SMS_BACKEND`; it raises on failure."""

    @abstractmethod
    def send(self, phone: str, text: str) -> None: ...


@dataclass(frozen=True)
class SmsMessage:
    phone: str
    text: str


#: What `ConsoleSmsProvider` sent, for tests (as `django.core.mail.outbox`).
outbox: list[SmsMessage] = []


class ConsoleSmsProvider(SmsProvider):
    def send(self, phone: str, text: str) -> None:
        outbox.append(SmsMessage(phone=phone, text=text))
        sys.stdout.write(f"SMS to …{phone[-4:]}: {text}\n")


def sms_provider() -> SmsProvider:
    path = getattr(settings, "DIREKTORI_SMS_BACKEND", "") or DEFAULT_SMS_BACKEND
    provider: SmsProvider = import_string(path)()
    return provider


class Notice(StrEnum):
    NEW = "new"
    TRANSFERRED = "transferred"
    REMINDER = "reminder"
    ESCALATION = "escalation"


# Who is told -------------------------------------------------------------------------------------


def _active() -> QuerySet[User]:
    return User.objects.filter(is_active=True)


def district_officers(office: Area) -> QuerySet[User]:
    return _active().filter(role=Role.DISTRICT_OFFICER, area=office)


def state_of(office: Area) -> Area | None:
    return Area.objects.containing(office).filter(kind=Area.Kind.STATE).first()


def state_officers(office: Area) -> QuerySet[User]:
    """The active state officers of the office's state; the HQ administrators when it has none,
    so that an escalation always reaches someone."""
    officers = _active().filter(role=Role.STATE_OFFICER, area=state_of(office))
    return officers if officers.exists() else _active().filter(role=Role.HQ_ADMIN)


# What they are told ------------------------------------------------------------------------------


def referral_link(referral: Referral) -> str:
    """The officer's page of the referral (`referrals:detail`, in Malay: the link does not
    depend on the language of whoever caused the message), on the site's public address."""
    base_url = str(settings.DIREKTORI["PUBLIC_BASE_URL"]).rstrip("/")
    with override(settings.LANGUAGE_CODE):
        path = reverse("referrals:detail", kwargs={"pk": referral.pk})
    return base_url + path


def _text(referral: Referral, notice: Notice) -> str:
    facts = {
        "reference": referral.reference,
        "urgency": Urgency(referral.urgency).label,
        "due": timezone.localtime(referral.due_at).strftime("%d/%m/%Y %H:%M"),
        "district": referral.assigned_office.name,
    }
    if notice == Notice.NEW:
        message = _("New referral %(reference)s (%(urgency)s). Acknowledge it by %(due)s.")
    elif notice == Notice.TRANSFERRED:
        message = _(
            "Referral %(reference)s (%(urgency)s) was transferred to your office. "
            "Acknowledge it by %(due)s."
        )
    elif notice == Notice.REMINDER:
        message = _(
            "Referral %(reference)s (%(urgency)s) is not acknowledged yet; the target was %(due)s."
        )
    else:
        message = _(
            "Escalation: referral %(reference)s (%(urgency)s) in %(district)s is not "
            "acknowledged; the target was %(due)s."
        )
    return message % facts


def _subject(referral: Referral, notice: Notice) -> str:
    if notice in (Notice.NEW, Notice.TRANSFERRED):
        subject = _("Referral %(reference)s: %(urgency)s")
    elif notice == Notice.REMINDER:
        subject = _("Reminder: referral %(reference)s not acknowledged")
    else:
        subject = _("Escalation: referral %(reference)s not acknowledged")
    return subject % {"reference": referral.reference, "urgency": Urgency(referral.urgency).label}


def message(referral: Referral, notice: Notice) -> tuple[str, str, str]:
    """(email subject, email body, SMS text): email in Malay and English, SMS in Malay."""
    link = referral_link(referral)
    subjects, parts = [], []
    for language in ("ms", "en"):
        with override(language):
            subjects.append(_subject(referral, notice))
            parts.append(f"{_text(referral, notice)}\n{link}")
    with override(settings.LANGUAGE_CODE):
        sms = f"{_text(referral, notice)} {link}"
    return " / ".join(dict.fromkeys(subjects)), "\n\n-----\n\n".join(parts) + "\n", sms


def notify(*, referral_id: uuid.UUID, notice: Notice, recipients: Iterable[User]) -> int:
    """Emails and texts each recipient (one message each: they do not see each other's
    addresses); returns how many people were reached by at least one of them."""
    referral = Referral.objects.select_related("assigned_office").get(pk=referral_id)
    people = list(recipients)
    subject, body, sms = message(referral, notice)
    reached: set[int] = set()
    emails = [person for person in people if person.email]
    try:
        send_mass_mail(tuple((subject, body, None, [person.email]) for person in emails))
        reached.update(person.pk for person in emails)
    except Exception as error:  # the mail server is away; the addresses stay out of the log
        logger.warning("referral %s: email not sent: %s", notice, type(error).__name__)
    provider = sms_provider()
    for person in people:
        if not person.phone:
            continue
        try:
            provider.send(person.phone, sms)
            reached.add(person.pk)
        except Exception as error:  # the gateway failed; the number stays out of the log
            logger.warning("referral %s: SMS not sent: %s", notice, type(error).__name__)
    return len(reached)


def office_notify(*, referral_id: uuid.UUID, notice: Notice) -> int:
    """A new or transferred referral: the district officers of the office it is assigned to."""
    office = Referral.objects.values_list("assigned_office", flat=True).get(pk=referral_id)
    return notify(
        referral_id=referral_id,
        notice=notice,
        recipients=district_officers(Area.objects.get(pk=office)),
    )
