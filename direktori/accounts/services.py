"""Writes to accounts (CONVENTIONS 3). Permission checks happen in the callers' views; each
service checks the rules that no caller may break (roles need the right area and CBO)."""

from __future__ import annotations

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
from direktori.directory.models import Organization

from .models import Role, User


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
        is_staff=role == Role.HQ_ADMIN,
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
    """Ends every session and API token of the user (the session hash includes the epoch)."""
    User.objects.filter(pk=user.pk).update(session_epoch=user.session_epoch + 1)
    user.session_epoch += 1
    user.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


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
