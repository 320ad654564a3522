"""The audit events of referrals: every change and every read (docs/security.md, "Referrals").
`detail` holds actions, statuses, office codes, outcome codes and counts: never a note, a reason
or a personal field."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from direktori.audit.models import Action
from direktori.audit.services import audit_record

from . import permissions
from .models import Referral

OBJECT_TYPE = "referrals.referral"


def referral_record_read(
    *,
    user: Any,
    request: HttpRequest | None,
    referral: Referral | None = None,
    what: str = "detail",
    shown: int | None = None,
    via: str = "api",
    action: Action = Action.RECORD_VIEWED,
) -> None:
    """Every read of referral data is an audit event: one referral (`what`: detail, events,
    confirmation, summary_pdf) or a list (`what`: mine, queue, overdue; `shown`: how many).
    Reads through emergency access say so. A printed summary is `RECORD_EXPORTED`."""
    detail: dict[str, Any] = {"what": what, "via": via}
    if referral is None:
        detail["shown"] = shown or 0
        audit_record(
            action=action,
            request=request,
            actor=user,
            object_type=OBJECT_TYPE,
            detail=detail,
        )
        return
    if permissions.through_emergency_access(user, referral):
        detail["emergency_access"] = True
    audit_record(
        action=action,
        request=request,
        actor=user,
        target=referral,
        area=referral.assigned_office,
        detail=detail,
    )
