"""Bearer tokens for `/api/v1/` (CONTRACT `POST /api/v1/auth/token`; docs/security.md, "API
authentication")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from ninja.security import HttpBearer

from . import services
from .models import ApiToken
from .permissions import needs_second_factor

if TYPE_CHECKING:
    from .models import User

#: Keys from `ApiToken.issue` are 43 characters; anything much longer is not one of ours.
MAX_KEY_LENGTH = 128


class BearerToken(HttpBearer):
    """Put `auth=BearerToken()` on an operation (or a router) that needs a signed-in caller.

    The client sends `Authorization: Bearer <token>`, the token from `POST /api/v1/auth/token`.
    When the token is good the operation runs with:

    - `request.user`: the token's user, so the same permission functions and
      `…objects.visible_to(request.user)` querysets as the pages apply;
    - `request.auth`: the same user (django-ninja's convention);
    - `request.auth_token`: the `ApiToken` row (e.g. to revoke it);
    - `request.user.is_verified()`: whether the token was issued after the second factor, as
      django-otp answers it for a session.

    Otherwise django-ninja answers 401 `{"detail": "Unauthorized"}` and the operation never runs:
    no or a malformed header; an unknown, expired or revoked token; a disabled user; a user who
    signed out everywhere or changed their password since; a token issued without the second
    factor to someone who now needs one (e.g. a CBO member made an officer).

    Authentication is not permission: the operation still asks `permissions.py` what this user
    may do, and answers 404 for records outside their scope.
    """

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        if not token or len(token) > MAX_KEY_LENGTH:
            return None
        found = ApiToken.find(token)
        if found is None:
            return None
        user = found.user
        if needs_second_factor(user) and not found.verified_second_factor:
            return None
        services.api_token_mark_used(token=found)
        verified = found.verified_second_factor
        user.otp_device = None  # type: ignore[attr-defined]
        user.is_verified = lambda: verified  # type: ignore[attr-defined]
        request.user = user
        request.auth_token = found  # type: ignore[attr-defined]
        return user
