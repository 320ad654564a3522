"""Accounts: who a user is, what role they hold and over which area (DESIGN §5, docs/security.md).

A user sees records in their area and everything below it; a user without a role or an area sees
nothing. What each role may do lives in `permissions.py`, never here.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """CONTRACT role names, from the least to the most powerful."""

    CBO_MEMBER = "cbo_member", _("CBO member")
    CBO_CHAIR = "cbo_chair", _("CBO chair")
    DISTRICT_OFFICER = "district_officer", _("District officer")
    STATE_OFFICER = "state_officer", _("State officer")
    HQ_ADMIN = "hq_admin", _("HQ administrator")

    @property
    def rank(self) -> int:
        return list(Role).index(self) + 1

    @property
    def is_officer(self) -> bool:
        return self.rank >= Role.DISTRICT_OFFICER.rank

    @property
    def is_cbo(self) -> bool:
        return self in (Role.CBO_MEMBER, Role.CBO_CHAIR)


class UserQuerySet(models.QuerySet["User"]):
    def with_role(self) -> UserQuerySet:
        return self.exclude(role="")

    def visible_to(self, actor: object) -> UserQuerySet:
        """The only door to other people's accounts: see `permissions.users_visible_q`."""
        from .permissions import users_visible_q

        return self.filter(users_visible_q(actor))


class DirektoriUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """The account of a person who signs in.

    `session_epoch` is part of the session hash: raising it ends every session and token of the
    user at once ("sign out everywhere"), as a password change does.
    """

    role = models.CharField(_("role"), max_length=32, choices=Role, blank=True, default="")
    area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The user sees records in this area and below it; no area means nothing."),
    )
    organisation = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("CBO"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
        help_text=_("For CBO members and chairs: the CBO they belong to."),
    )
    phone = models.CharField(
        _("mobile number"),
        max_length=20,
        blank=True,
        default="",
        help_text=_("Malaysian mobile number; may be used to sign in instead of the username."),
    )
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    objects = DirektoriUserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["phone"], condition=~models.Q(phone=""), name="user_unique_phone"
            ),
        ]

    @property
    def role_choice(self) -> Role | None:
        return Role(self.role) if self.role else None

    @property
    def rank(self) -> int:
        role = self.role_choice
        return role.rank if role else 0

    @property
    def is_officer(self) -> bool:
        role = self.role_choice
        return bool(role and role.is_officer)

    def clean(self) -> None:
        super().clean()
        if self.phone:
            from direktori.directory import phones

            try:
                self.phone = phones.normalise(self.phone)
            except ValidationError as error:
                raise ValidationError({"phone": error.messages}) from error
            if not self.phone.startswith("+601"):
                raise ValidationError({"phone": _("Give a Malaysian mobile number (01x).")})
        role = self.role_choice
        if role and role.is_cbo and self.organisation_id is None:
            raise ValidationError({"organisation": _("A CBO member or chair belongs to a CBO.")})
        if role and not role.is_cbo and self.organisation_id is not None:
            raise ValidationError({"organisation": _("Only CBO members and chairs have a CBO.")})

    def set_password(self, raw_password: str | None) -> None:
        """A new password ends every session (the hash includes the password) and every API
        token (they carry the epoch) of the user, wherever it is set: pages, admin, commands."""
        super().set_password(raw_password)
        self.session_epoch += 1

    def get_session_auth_hash(self) -> str:
        return salted_hmac(
            "direktori.accounts.User.session",
            f"{self.password}:{self.session_epoch}",
            algorithm="sha256",
        ).hexdigest()


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A short-lived bearer token for `/api/v1/`. Only its SHA-256 digest is stored; the token
    stops working when it expires, is revoked, or the user's `session_epoch` moves on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    session_epoch = models.PositiveIntegerField(editable=False)
    verified_second_factor = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d %H:%M}"

    @classmethod
    def issue(
        cls, *, user: User, lifetime: timedelta, verified_second_factor: bool
    ) -> tuple[ApiToken, str]:
        key = secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            digest=_digest(key),
            session_epoch=user.session_epoch,
            verified_second_factor=verified_second_factor,
            expires_at=timezone.now() + lifetime,
        )
        return token, key

    @classmethod
    def find(cls, key: str) -> ApiToken | None:
        token = cls.objects.usable().select_related("user").filter(digest=_digest(key)).first()
        if token is None or not token.user.is_active:
            return None
        if token.session_epoch != token.user.session_epoch:
            return None
        return token


class AccessGrantQuerySet(models.QuerySet["AccessGrant"]):
    def current(self) -> AccessGrantQuerySet:
        now = timezone.now()
        return self.filter(starts_at__lte=now, ends_at__gt=now, revoked_at__isnull=True)


class AccessGrant(models.Model):
    """ "Break the glass": an officer's time-limited access to an area outside their own, opened
    by stating a reason, audited and reported to their supervisor."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_grants"
    )
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = AccessGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency access")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"{self.user} → {self.area}"
