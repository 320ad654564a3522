"""Sign-in with a username or a Malaysian mobile number (docs/security.md)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from .models import User


def phone_or_none(text: str) -> str | None:
    """The E.164 form of `text` when it is written as a Malaysian mobile number."""
    from direktori.directory import phones

    stripped = text.strip()
    if not stripped or not any(ch.isdigit() for ch in stripped[:3]):
        return None
    try:
        number = phones.normalise(stripped)
    except ValidationError:
        return None
    return number if number.startswith("+601") else None


def find_account(identifier: str) -> User | None:
    phone = phone_or_none(identifier)
    if phone:
        return User.objects.filter(phone=phone).first()
    return User.objects.filter(username__iexact=identifier.strip()).first()


def axes_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """What failed attempts are counted against: the account's username whichever way it was
    written, or the text as typed (normalised) when no account has it, so that a lockout looks
    the same whether or not the account exists."""
    identifier = str((credentials or {}).get("username") or "")
    if not identifier and request is not None:
        identifier = str(request.POST.get("username", ""))
    account = find_account(identifier) if identifier else None
    if account is not None:
        return account.username.lower()
    return phone_or_none(identifier) or identifier.strip().lower()


class UsernameOrPhoneBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or password is None:
            return None
        account = find_account(username)
        if account is None:
            # The same work as a real check, so the time taken does not tell who exists.
            User().set_password(password)
            return None
        if account.check_password(password) and self.user_can_authenticate(account):
            return account
        return None
