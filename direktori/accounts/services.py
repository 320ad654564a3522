"""Writes to accounts (CONVENTIONS 3). Permission checks happen in the callers' views; each
service checks the rules that no caller may break (roles need the right area and CBO)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import override

from direktori.areas.models import Area
from direktori.audit.models import Action
from direktori.audit.services import audit_record
from direktori.directory.models import Organization

from .models import ApiToken, Role, User


def user_create(
    *,
    username: str,
    role: str,
    area: Area | None,
    organisation: Organization | None = None,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone: str = "",
) -> User:
    """A new account. Without a password it cannot sign in until its owner sets one through
    `set_password_link`."""
    if role and area is None:
        raise ValidationError({"area": _("Every role has an area.")})
    user = User(
        username=username,
        role=role,
        area=area,
        organisation=organisation,
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        # The Django admin is the HQ administrators' tool, and theirs alone (docs/security.md).
        is_staff=role == Role.HQ_ADMIN,
        is_superuser=role == Role.HQ_ADMIN,
    )
    user.full_clean(exclude=["password"])
    if password is not None:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    with transaction.atomic():
        user.save()
    return user


def set_password_link(user: User, *, language: str = "ms") -> str:
    """A one-time link where the user chooses their password (valid until used or
    PASSWORD_RESET_TIMEOUT passes)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    with override(language):
        path = reverse("accounts:set_password", kwargs={"uidb64": uid, "token": token})
    return str(settings.DIREKTORI["PUBLIC_BASE_URL"]).rstrip("/") + path


def user_sign_out_everywhere(*, user: User) -> None:
    """Ends every session and API token of the user (the session hash includes the epoch).
    The audit app records the new epoch as `sessions_ended` (a signal on save)."""
    user.session_epoch += 1
    user.save(update_fields=["session_epoch"])
    user_tokens_revoke(user=user)


def user_set_active(*, user: User, active: bool) -> None:
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        user_sign_out_everywhere(user=user)


def user_update_contact(
    *, user: User, first_name: str, last_name: str, email: str, phone: str
) -> User:
    user.first_name, user.last_name, user.email, user.phone = first_name, last_name, email, phone
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "last_name", "email", "phone"])
    return user


# API tokens (docs/security.md, "API authentication") ---------------------------------------------

#: `last_used_at` is written at most this often, not on every request.
TOKEN_USE_RESOLUTION = timedelta(minutes=1)


def api_token_issue(*, user: User, verified_second_factor: bool) -> tuple[ApiToken, str]:
    """A new bearer token for `user`, valid for API_TOKEN_LIFETIME_SECONDS. Returns the row and
    the key; only the key's digest is stored, so the key cannot be shown again."""
    lifetime = timedelta(seconds=settings.API_TOKEN_LIFETIME_SECONDS)
    with transaction.atomic():
        return ApiToken.issue(
            user=user, lifetime=lifetime, verified_second_factor=verified_second_factor
        )


def api_token_revoke(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def api_token_mark_used(*, token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_USE_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def user_tokens_revoke(*, user: User) -> int:
    """Ends every API token of the user, e.g. after a password change (a password change does
    not move `session_epoch`, so tokens would outlive it otherwise). Returns how many."""
    count = user.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    if count:
        audit_record(action=Action.TOKEN_REVOKED, target=user, detail={"count": count})
    return count


# Managing accounts (manage_views, bulk_invite; docs/security.md "Managing accounts") -----------
# Imports stay inside these functions so that this section can be added without touching the
# module's import block, which other work edits at the same time.


def user_invite(
    *,
    username: str,
    role: str,
    area: Area,
    organisation: Organization | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone: str = "",
    language: str = "ms",
) -> tuple[User, str]:
    """A new account without a password, and the one-time link where its owner chooses one. The
    link is emailed (after commit) when the account has an email address; the caller shows it."""
    user = user_create(
        username=username,
        role=role,
        area=area,
        organisation=organisation,
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
    )
    link = set_password_link(user, language=language)
    if user.email:
        set_password_link_send(user=user, link=link, language=language)
    return user, link


def set_password_link_send(*, user: User, link: str, language: str = "ms") -> None:
    """Emails the one-time link once the transaction commits. A mail server that refuses is not
    an error for the caller: the officer also sees the link and can hand it over."""
    import logging

    from django.core.mail import send_mail

    with override(language):
        subject = _("Your Direktori CBO account")
        body = _(
            "An account on Direktori CBO has been made for you, with the username %(username)s.\n\n"
            "Choose your password here (the link works once):\n%(link)s\n\n"
            "If you did not expect this message, ignore it."
        ) % {"username": user.username, "link": link}
    recipient = user.email

    def send() -> None:
        try:
            send_mail(subject, body, None, [recipient])
        except Exception as error:  # the address stays out of the log
            logging.getLogger(__name__).warning(
                "set-password email not sent: %s", type(error).__name__
            )

    transaction.on_commit(send)


def user_change_role(
    *, user: User, role: str, area: Area, organisation: Organization | None
) -> User:
    """A new role, area or CBO. A change ends the user's sessions and API tokens, so that no
    session carries on with the old rights."""
    changed = (user.role, user.area_id, user.organisation_id) != (
        role,
        area.pk,
        organisation.pk if organisation else None,
    )
    user.role, user.area, user.organisation = role, area, organisation
    user.full_clean(exclude=["password"])
    with transaction.atomic():
        user.save(update_fields=["role", "area", "organisation"])
        if changed:
            user_sign_out_everywhere(user=user)
    return user


def user_unlock(*, user: User) -> int:
    """Clears django-axes' failed attempts for the user (counted against the lower-cased
    username, see backends.axes_username). Returns how many records were removed."""
    from axes.utils import reset

    names = {user.username, user.username.lower()}
    removed = sum(reset(username=name) for name in names)
    audit_record(action=Action.ACCOUNT_UNLOCKED, target=user, detail={"attempts": removed})
    return removed


def user_reset_second_factor(*, user: User) -> None:
    """Recovery by a higher officer: the user enrols a new authenticator at the next sign-in.
    Their sessions and tokens end too, in case the lost phone was signed in."""
    from .two_factor import reset_second_factor

    with transaction.atomic():
        reset_second_factor(user)
        audit_record(action=Action.SECOND_FACTOR_RESET, target=user)
        user_sign_out_everywhere(user=user)
