"""Writing the audit log, and emergency access ("break the glass") (docs/security.md).

`audit_record` is the one function that writes an audit event. Every view, endpoint and service
that reads or changes guarded data calls it: sign-in and account changes are recorded by
`signals.py`; the apps that hold personal data (members, referrals, …) call it themselves for every
read (`record_viewed`), change (`record_changed`) and export (`record_exported`).
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import models, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from direktori.accounts.models import AccessGrant, Role, User
from direktori.accounts.permissions import in_scope
from direktori.areas.models import Area

from .models import Action, AuditEvent
from .permissions import may_break_glass

logger = logging.getLogger(__name__)

USER_AGENT_LENGTH = AuditEvent._meta.get_field("user_agent").max_length or 200
USERNAME_LENGTH = AuditEvent._meta.get_field("actor_username").max_length or 150
REASON_MIN_LENGTH = 20
REASON_MAX_LENGTH = 1000

#: Keys that `detail` never keeps, whatever a caller passes: a part of the key's name, or the whole.
SENSITIVE_KEY_PARTS = ("password", "token", "secret", "otp", "phone", "mobile", "mykad", "nric")
SENSITIVE_KEYS = frozenset({"code", "codes", "key", "ic", "digest"})

_current_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)


@contextmanager
def audit_context(request: HttpRequest) -> Iterator[None]:
    """Events recorded inside the block without a request of their own (by signals, or by
    services that are not given one) name this request's user, address and browser:

        with audit_context(request):
            services.user_set_active(user=target, active=False)

    `middleware.AuditContextMiddleware` does this for every request."""
    token = _current_request.set(request)
    try:
        yield
    finally:
        _current_request.reset(token)


def current_request() -> HttpRequest | None:
    return _current_request.get()


def behind_proxy() -> bool:
    """True when a proxy in front sets X-Forwarded-For (`DJANGO_BEHIND_PROXY=1`, which is also
    what sets SECURE_PROXY_SSL_HEADER; `BEHIND_PROXY` in settings overrides)."""
    explicit = getattr(settings, "BEHIND_PROXY", None)
    if explicit is not None:
        return bool(explicit)
    return getattr(settings, "SECURE_PROXY_SSL_HEADER", None) is not None


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from. Behind a proxy, the last X-Forwarded-For hop: the one
    our own proxy added. The first hop is whatever the client chose to send, so it could put
    someone else's address in the log."""
    address = str(request.META.get("REMOTE_ADDR", ""))
    if behind_proxy():
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if hops:
            address = hops[-1]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _is_sensitive(key: str) -> bool:
    lowered = key.lower()
    return lowered in SENSITIVE_KEYS or any(part in lowered for part in SENSITIVE_KEY_PARTS)


def scrub(detail: Any) -> Any:
    """`detail` without the keys that could hold a secret or personal number; the names of the
    removed keys are kept under "removed" so that the mistake shows."""
    if isinstance(detail, dict):
        clean: dict[str, Any] = {}
        removed: list[str] = []
        for key, value in detail.items():
            if _is_sensitive(str(key)):
                removed.append(str(key))
            else:
                clean[str(key)] = scrub(value)
        if removed:
            clean["removed"] = sorted(removed)
        return clean
    if isinstance(detail, list | tuple):
        return [scrub(item) for item in detail]
    return detail


def _area_of(target: Any) -> Area | None:
    area = getattr(target, "area", None)
    return area if isinstance(area, Area) else None


def audit_record(
    *,
    action: Action | str,
    request: HttpRequest | None = None,
    actor: Any = None,
    username: str = "",
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    area: Area | None = None,
    detail: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Record that `actor` did `action` to `target` (or to `object_type` + `object_id`).

    Call it for every read and change of guarded data, in the same transaction as the change.
    - `request`: gives the address and browser, and the actor when none is given; without it the
      request of the surrounding `audit_context` is used.
    - `area`: the area of the record, which decides which officers see the event; by default the
      target's own `area`.
    - `detail`: the NAMES of fields changed and facts that are not personal (role names, area
      codes, counts). Never values of personal fields, passwords, codes, tokens, phone numbers or
      MyKad numbers; keys that look like them are dropped (`scrub`).
    - `username`: who, when there is no account (a failed sign-in: the name as typed).
    """
    request = request or _current_request.get()
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or str(target.pk)
        area = area or _area_of(target)
    event = AuditEvent(
        action=Action(action),
        actor=actor,
        actor_username=(actor.get_username() if actor is not None else username)[:USERNAME_LENGTH],
        object_type=object_type[:100],
        object_id=str(object_id)[:64],
        area=area,
        reason=reason,
        detail=scrub(detail or {}),
    )
    if request is not None:
        event.ip_address = client_ip(request)
        event.user_agent = str(request.META.get("HTTP_USER_AGENT", ""))[:USER_AGENT_LENGTH]
    event.save()
    return event


# Break the glass ---------------------------------------------------------------------------------


def break_glass_hours() -> int:
    return int(getattr(settings, "BREAK_GLASS_HOURS", 4))


def access_grant_open(
    *, user: User, area: Area, reason: str, request: HttpRequest | None = None
) -> AccessGrant:
    """Opens `area` (a state or district outside the officer's own) to `user` for
    BREAK_GLASS_HOURS, records it, and reports it to their supervisor once committed."""
    if not may_break_glass(user):
        raise PermissionDenied
    reason = reason.strip()
    errors: dict[str, str] = {}
    if len(reason) < REASON_MIN_LENGTH:
        errors["reason"] = _("Say why you need this access, in at least %(count)d characters.") % {
            "count": REASON_MIN_LENGTH
        }
    elif len(reason) > REASON_MAX_LENGTH:
        errors["reason"] = _("Keep the reason under %(count)d characters.") % {
            "count": REASON_MAX_LENGTH
        }
    if area.kind not in (Area.Kind.STATE, Area.Kind.DISTRICT):
        errors["area"] = _("Choose a state or a district.")
    elif in_scope(user, area, with_grants=False):
        errors["area"] = _("This area is already yours; you need no emergency access to it.")
    elif AccessGrant.objects.current().filter(user=user, area=area).exists():
        errors["area"] = _("You already have emergency access to this area.")
    if errors:
        raise ValidationError(errors)
    hours = break_glass_hours()
    now = timezone.now()
    with transaction.atomic():
        grant = AccessGrant.objects.create(
            user=user, area=area, reason=reason, starts_at=now, ends_at=now + timedelta(hours=hours)
        )
        audit_record(
            action=Action.ACCESS_GRANTED,
            request=request,
            actor=user,
            target=grant,
            area=area,
            reason=reason,
            detail={"area_code": area.code, "hours": hours, "ends_at": grant.ends_at},
        )
        transaction.on_commit(partial(access_grant_report, grant_id=grant.pk), robust=True)
    return grant


def access_grant_end(*, grant: AccessGrant, user: User, request: HttpRequest | None = None) -> None:
    """The officer closes their own emergency access before its time is up."""
    if grant.user_id != user.pk:
        raise PermissionDenied
    if not AccessGrant.objects.current().filter(pk=grant.pk).exists():
        raise ValidationError(_("This emergency access has already ended."))
    with transaction.atomic():
        grant.revoked_at = timezone.now()
        grant.save(update_fields=["revoked_at"])
        audit_record(
            action=Action.ACCESS_ENDED,
            request=request,
            actor=user,
            target=grant,
            area=grant.area,
            detail={"area_code": grant.area.code},
        )


def supervisors_of(user: User) -> models.QuerySet[User]:
    """Who is told when `user` breaks the glass: the active state officers of a district
    officer's own state; the HQ administrators for a state officer, or when a state has none
    with an email address."""
    active = User.objects.filter(is_active=True).exclude(email="").exclude(pk=user.pk)
    if user.role == Role.DISTRICT_OFFICER and user.area is not None:
        state = Area.objects.containing(user.area).filter(kind=Area.Kind.STATE).first()
        officers = active.filter(role=Role.STATE_OFFICER, area=state)
        if state is not None and officers.exists():
            return officers
    return active.filter(role=Role.HQ_ADMIN)


def access_grant_report(*, grant_id: int) -> int:
    """Emails the supervisors, one message each (they do not see each other's addresses), in
    Malay and English. Returns how many were sent."""
    grant = AccessGrant.objects.select_related("user__area", "area").get(pk=grant_id)
    recipients = list(supervisors_of(grant.user).values_list("email", flat=True))
    if not recipients:
        logger.warning("Emergency access %s: no supervisor with an email address", grant.pk)
        return 0
    base_url = str(settings.DIREKTORI["PUBLIC_BASE_URL"]).rstrip("/")
    subjects, parts = [], []
    for language in ("ms", "en"):
        with override(language):
            context = {
                "grant": grant,
                "officer": grant.user,
                "role": grant.user.get_role_display(),
                "audit_url": base_url + reverse("audit:log") + "?action=access_granted",
            }
            subjects.append(
                _("Emergency access opened by %(username)s")
                % {"username": grant.user.get_username()}
            )
            parts.append(render_to_string("audit/email/break_glass.txt", context).strip())
    subject = " / ".join(dict.fromkeys(subjects))
    body = "\n\n-----\n\n".join(parts) + "\n"
    return send_mass_mail(tuple((subject, body, None, [address]) for address in recipients))
