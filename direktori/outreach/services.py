"""Recording, changing and deleting outreach activity (CONVENTIONS 3). Every write is audited."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest

from direktori.accounts.models import User
from direktori.areas.models import Area
from direktori.audit.models import Action
from direktori.audit.services import audit_record
from direktori.directory.models import Organization, TaxonomyTerm

from .models import Activity
from .permissions import may_change, may_record

#: The fields a change may touch; the CBO and who recorded it never change.
CHANGEABLE = (
    "target_group",
    "kind",
    "date",
    "locality",
    "people_reached",
    "volunteers",
    "description",
)


def _audit(
    action: Action,
    *,
    actor: User,
    activity: Activity,
    request: HttpRequest | None,
    detail: dict[str, Any],
) -> None:
    audit_record(
        action=action,
        request=request,
        actor=actor,
        target=activity,
        area=activity.cbo.area,
        detail={"cbo": str(activity.cbo_id), **detail},
    )


def activity_create(
    *,
    actor: User,
    cbo: Organization,
    target_group: TaxonomyTerm,
    kind: str,
    date: datetime.date,
    locality: Area,
    people_reached: int,
    volunteers: int = 0,
    description: str = "",
    request: HttpRequest | None = None,
) -> Activity:
    if not may_record(actor, cbo):
        raise PermissionDenied
    activity = Activity(
        cbo=cbo,
        target_group=target_group,
        kind=kind,
        date=date,
        locality=locality,
        people_reached=people_reached,
        volunteers=volunteers,
        description=description.strip(),
        recorded_by=actor,
    )
    activity.full_clean()
    with transaction.atomic():
        activity.save()
        _audit(
            Action.RECORD_CREATED,
            actor=actor,
            activity=activity,
            request=request,
            detail={"people_reached": activity.people_reached, "locality": locality.code},
        )
    return activity


def activity_update(
    *, actor: User, activity: Activity, request: HttpRequest | None = None, **changes: Any
) -> list[str]:
    """Applies `changes` (only CHANGEABLE fields); returns the names of the fields that changed."""
    if not may_change(actor, activity):
        raise PermissionDenied
    unknown = set(changes) - set(CHANGEABLE)
    if unknown:
        raise TypeError(f"Not changeable: {', '.join(sorted(unknown))}")
    if isinstance(changes.get("description"), str):
        changes["description"] = changes["description"].strip()
    changed = [name for name, value in changes.items() if getattr(activity, name) != value]
    for name in changed:
        setattr(activity, name, changes[name])
    if not changed:
        return []
    activity.full_clean()
    with transaction.atomic():
        activity.save()
        _audit(
            Action.RECORD_CHANGED,
            actor=actor,
            activity=activity,
            request=request,
            detail={"fields": changed},
        )
    return changed


def activity_delete(*, actor: User, activity: Activity, request: HttpRequest | None = None) -> None:
    if not may_change(actor, activity):
        raise PermissionDenied
    with transaction.atomic():
        # The audit log has no "deleted" action: a deletion is a change, named as one.
        _audit(
            Action.RECORD_CHANGED,
            actor=actor,
            activity=activity,
            request=request,
            detail={"deleted": True, "date": activity.date.isoformat()},
        )
        activity.delete()
