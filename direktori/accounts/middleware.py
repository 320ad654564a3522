"""Session limits and the second factor, for every request (docs/security.md).

- A session ends SESSION_IDLE_SECONDS after its last request and SESSION_MAX_SECONDS after
  sign-in, whatever happens in between.
- A user who needs a second factor (officers, administrators) and has not given it this session
  reaches only the pages that ask for it (enrol, verify, sign out); everything else redirects.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, ResolverMatch, resolve, reverse

from .permissions import needs_second_factor

SIGNED_IN_AT = "direktori.signed_in_at"
SEEN_AT = "direktori.seen_at"
#: The last-seen time is written at most this often, not on every request.
SEEN_RESOLUTION_SECONDS = 60

#: Views a user waiting for the second factor may reach (URL names in the `accounts` namespace).
SECOND_FACTOR_VIEWS = {"sign_out", "verify", "enrol", "sign_in"}


class AccountSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            if self._expired(request):
                logout(request)
            else:
                response = self._second_factor_gate(request)
                if response is not None:
                    return response
        return self.get_response(request)

    def _expired(self, request: HttpRequest) -> bool:
        now = time.time()
        session = request.session
        signed_in_at = session.get(SIGNED_IN_AT)
        seen_at = session.get(SEEN_AT, signed_in_at)
        if signed_in_at is None or seen_at is None:
            session[SIGNED_IN_AT] = session[SEEN_AT] = now
            return False
        if now - signed_in_at > settings.SESSION_MAX_SECONDS:
            return True
        if now - seen_at > settings.SESSION_IDLE_SECONDS:
            return True
        if now - seen_at > SEEN_RESOLUTION_SECONDS:
            session[SEEN_AT] = now
        return False

    def _second_factor_gate(self, request: HttpRequest) -> HttpResponse | None:
        user = request.user
        if not needs_second_factor(user) or user.is_verified():  # type: ignore[union-attr]
            return None
        match = request.resolver_match or _resolve(request)
        if (
            match is not None
            and match.namespace == "accounts"
            and match.url_name in SECOND_FACTOR_VIEWS
        ):
            return None
        if request.path.startswith(settings.STATIC_URL):
            return None
        if request.path.startswith("/api/"):
            return None  # the API authenticates by token, never by this session
        return redirect(f"{reverse('accounts:verify')}?next={_safe_next(request)}")


def _resolve(request: HttpRequest) -> ResolverMatch | None:

    try:
        return resolve(request.path_info)
    except Resolver404:
        return None


def _safe_next(request: HttpRequest) -> str:
    from urllib.parse import quote

    return quote(request.path, safe="/")
