"""`/api/v1/auth/…` (CONTRACT `POST /api/v1/auth/token`; docs/security.md, "API authentication").

A token is had the way a session is: the same backends, so django-axes counts failures per
username and locks exactly as on the sign-in page, and the same second factor for officers and
administrators. The answers never say whether an account exists.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django_otp import match_token, user_has_device
from ninja import Field, Router, Schema, Status
from ninja.throttling import AnonRateThrottle
from pydantic import SecretStr

from . import services
from .api_auth import BearerToken
from .backends import axes_username
from .models import ApiToken, User
from .permissions import needs_second_factor

router = Router()

#: Per client address, on top of django-axes' count per username. Counted in the default cache,
#: i.e. per process; see docs/security.md.
ISSUE_RATE_PER_ADDRESS = "30/m"


class ErrorOut(Schema):
    detail: str


class TokenIn(Schema):
    username: str = Field(..., max_length=150, description="Username or Malaysian mobile number")
    password: SecretStr = Field(..., max_length=4096)
    otp: str | None = Field(
        None,
        max_length=16,
        description="For officers and administrators: the 6-digit code from the authenticator "
        "app, or a backup code",
    )


class TokenOut(Schema):
    token: str = Field(..., description="Send as `Authorization: Bearer <token>`")
    expires_at: datetime


class AreaOut(Schema):
    code: str
    name: str


class OrganisationOut(Schema):
    id: uuid.UUID
    name: str


class MeOut(Schema):
    username: str
    role: str
    area: AreaOut | None
    organisation: OrganisationOut | None
    expires_at: datetime = Field(..., description="When the token in use expires")


def _refused(message: str) -> Status[dict[str, str]]:
    return Status(401, {"detail": message})


def _no_store(response: HttpResponse) -> None:
    response["Cache-Control"] = "no-store"


@router.post(
    "/token",
    response={200: TokenOut, 400: ErrorOut, 401: ErrorOut, 429: ErrorOut},
    throttle=AnonRateThrottle(ISSUE_RATE_PER_ADDRESS),
    summary="Get a bearer token",
    description="A short-lived token for `Authorization: Bearer <token>`. Wrong credentials, a "
    "missing or wrong `otp` where one is needed, and a locked username answer 401.",
)
def token_create(
    request: HttpRequest, response: HttpResponse, payload: TokenIn
) -> Status[dict[str, object]] | Status[dict[str, str]]:
    _no_store(response)
    user = authenticate(
        request, username=payload.username, password=payload.password.get_secret_value()
    )
    # django-axes flags a locked username on the request, and its middleware would then answer
    # with the sign-in page; this endpoint answers in JSON instead.
    locked = bool(getattr(request, "axes_locked_out", False))
    request.axes_locked_out = False  # type: ignore[attr-defined]
    if locked:
        return _refused(
            _(
                "Too many failed attempts. For your protection, signing in with this username or "
                "mobile number is now blocked. Ask your district officer or administrator to "
                "unlock it."
            )
        )
    if not isinstance(user, User):
        return _refused(
            _(
                "The username or mobile number and password do not match an account that may "
                "sign in."
            )
        )
    verified = False
    if needs_second_factor(user):
        if not user_has_device(user, confirmed=True):
            return _refused(
                _(
                    "Your account needs an authenticator app first. Sign in on the website to "
                    "set one up, then ask for a token again."
                )
            )
        code = "".join((payload.otp or "").split())
        if not code:
            return _refused(
                _('Give the code from your authenticator app, or a backup code, as "otp".')
            )
        if match_token(user, code) is None:
            return _refused(_("That code is not right, or it has expired. Try the newest code."))
        verified = True
    if settings.AXES_RESET_ON_SUCCESS:
        axes_reset(username=axes_username(request, {"username": user.username}))
    token, key = services.api_token_issue(user=user, verified_second_factor=verified)
    return Status(200, {"token": key, "expires_at": token.expires_at})


@router.delete(
    "/token",
    auth=BearerToken(),
    response={204: None, 401: ErrorOut},
    summary="Revoke the bearer token in use",
)
def token_revoke(request: HttpRequest) -> Status[None]:
    services.api_token_revoke(token=_token(request))
    return Status(204, None)


@router.get(
    "/me",
    auth=BearerToken(),
    response={200: MeOut, 401: ErrorOut},
    summary="Who the bearer token belongs to",
)
def me(request: HttpRequest) -> MeOut:
    user: User = request.user  # type: ignore[assignment]
    area = user.area
    organisation = user.organisation
    return MeOut(
        username=user.username,
        role=user.role,
        area=AreaOut(code=area.code, name=area.name) if area else None,
        organisation=(
            OrganisationOut(id=organisation.pk, name=organisation.name) if organisation else None
        ),
        expires_at=_token(request).expires_at,
    )


def _token(request: HttpRequest) -> ApiToken:
    return request.auth_token  # type: ignore[attr-defined]
