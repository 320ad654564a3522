"""Sign-in and account changes, recorded from Django's, django-axes' and django-otp's signals.

Signals only observe: each receiver calls `services.audit_record` and changes nothing else.
Who made an account change is the user of the surrounding `services.audit_context` (the
middleware sets it for every request); from the command line it is nobody (actor empty).
Changes made with `QuerySet.update()` send no signal; their services record them themselves.
"""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save, pre_save
from django_otp.forms import otp_verification_failed
from django_otp.plugins.otp_totp.models import TOTPDevice

from direktori.accounts.backends import find_account, phone_or_none
from direktori.accounts.models import ApiToken, User

from .models import Action
from .services import audit_record

#: How much of a username typed at a failed sign-in is kept.
TYPED_USERNAME_LENGTH = 64
#: User fields whose changes are recorded; `password` and `session_epoch` as events of their own,
#: never with their values.
WATCHED_USER_FIELDS = (
    "role",
    "area_id",
    "organisation_id",
    "is_active",
    "is_staff",
    "is_superuser",
    "password",
    "session_epoch",
)
PERMISSION_FIELDS = ("role", "area", "organisation", "is_staff", "is_superuser")
BEFORE = "_audit_before"
M2M_FIELDS = {
    User.groups.through: "groups",
    User.user_permissions.through: "user_permissions",
    Group.permissions.through: "permissions",
}


def _sign_in_name(typed: str) -> tuple[User | None, str]:
    """The account a name typed at sign-in belongs to, and the name as the log keeps it: the
    account's username when one matches, otherwise the text, shortened, and never a mobile
    number."""
    account = find_account(typed) if typed else None
    if account is not None:
        return account, account.get_username()
    if phone_or_none(typed):
        return None, "(mobile number)"
    return None, typed.strip()[:TYPED_USERNAME_LENGTH]


def on_logged_in(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    audit_record(action=Action.SIGN_IN, request=request, actor=user, target=user)


def on_logged_out(sender: Any, request: Any, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        audit_record(action=Action.SIGN_OUT, request=request, actor=user, target=user)


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    # Only the username is read: Django has masked the password, and nothing else is wanted.
    account, name = _sign_in_name(str(credentials.get("username") or ""))
    audit_record(
        action=Action.SIGN_IN_FAILED, request=request, actor=None, username=name, target=account
    )


def on_locked_out(sender: Any, request: Any, username: str, **kwargs: Any) -> None:
    account, name = _sign_in_name(str(username or ""))
    audit_record(
        action=Action.LOCKED_OUT, request=request, actor=None, username=name, target=account
    )


def on_otp_failed(sender: Any, user: User, **kwargs: Any) -> None:
    audit_record(action=Action.SECOND_FACTOR_FAILED, actor=user, target=user)


def _area_code(area_id: int | None) -> str | None:
    from direktori.areas.models import Area

    if area_id is None:
        return None
    return Area.objects.filter(pk=area_id).values_list("code", flat=True).first()


def _attname(name: str) -> str:
    return str(getattr(User._meta.get_field(name), "attname", name))


def before_user_saved(sender: Any, instance: User, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance.pk is None:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None:
        names = {_attname(name) for name in update_fields}
        if names == {"password"}:
            return  # a stronger hash of the same password, after a sign-in (check_password)
        if not names & set(WATCHED_USER_FIELDS):
            return
    stored = User.objects.filter(pk=instance.pk).values(*WATCHED_USER_FIELDS).first()
    setattr(instance, BEFORE, stored)


def after_user_saved(
    sender: Any, instance: User, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw:
        return
    if created:
        detail = {"role": instance.role, "area": _area_code(instance.area_id)}
        audit_record(action=Action.ACCOUNT_CREATED, target=instance, detail=detail)
        return
    before = instance.__dict__.pop(BEFORE, None)
    if not before:
        return
    after = {name: getattr(instance, name) for name in WATCHED_USER_FIELDS}
    changed = {name for name in WATCHED_USER_FIELDS if before[name] != after[name]}
    if "is_active" in changed:
        action = Action.ACCOUNT_ENABLED if instance.is_active else Action.ACCOUNT_DISABLED
        audit_record(action=action, target=instance, detail={"fields": ["is_active"]})
    if "password" in changed:
        audit_record(action=Action.PASSWORD_CHANGED, target=instance)
    if "session_epoch" in changed:
        audit_record(action=Action.SESSIONS_ENDED, target=instance)
    permission_changes: dict[str, Any] = {}
    for field in PERMISSION_FIELDS:
        attname = _attname(field)
        if attname not in changed:
            continue
        old, new = before[attname], after[attname]
        if field == "area":
            old, new = _area_code(old), _area_code(new)
        permission_changes[field] = {"from": old, "to": new}
    if permission_changes:
        audit_record(
            action=Action.PERMISSION_CHANGED,
            target=instance,
            detail={"fields": sorted(permission_changes), **permission_changes},
        )


def _name(obj: Any) -> str:
    if isinstance(obj, Permission):
        return f"{obj.content_type.app_label}.{obj.codename}"
    return str(obj)


def on_m2m_changed(
    sender: Any,
    instance: Any,
    action: str,
    reverse: bool,
    model: Any,
    pk_set: set[Any] | None,
    **kwargs: Any,
) -> None:
    """Groups and permissions of a user, and permissions of a group, changed from either side.
    Group names and permission codenames are recorded; they are not personal."""
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    field = M2M_FIELDS[sender]
    verb = action.removeprefix("post_")
    related = model.objects.filter(pk__in=pk_set or ())
    if model is Permission:
        related = related.select_related("content_type")
    if reverse and pk_set is not None:
        # group.user_set.add(user): `instance` is the group, `pk_set` the users.
        targets, names = list(related), [_name(instance)]
    else:
        targets, names = [instance], sorted(_name(obj) for obj in related)
    for target in targets:
        detail = {"fields": [field], verb: names}
        audit_record(action=Action.PERMISSION_CHANGED, target=target, detail=detail)


def before_device_saved(
    sender: Any, instance: TOTPDevice, raw: bool = False, **kwargs: Any
) -> None:
    if raw or instance.pk is None:
        setattr(instance, BEFORE, False)
        return
    stored = TOTPDevice.objects.filter(pk=instance.pk).values_list("confirmed", flat=True).first()
    setattr(instance, BEFORE, bool(stored))


def after_device_saved(sender: Any, instance: TOTPDevice, raw: bool = False, **kwargs: Any) -> None:
    was_confirmed = instance.__dict__.pop(BEFORE, True)
    if raw or was_confirmed or not instance.confirmed:
        return
    user = instance.user
    audit_record(action=Action.SECOND_FACTOR_ENROLLED, actor=user, target=user)


def after_token_saved(
    sender: Any, instance: ApiToken, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw:
        return
    user = instance.user
    if created:
        detail = {"token": instance.pk, "expires_at": instance.expires_at}
        audit_record(action=Action.TOKEN_ISSUED, actor=user, target=user, detail=detail)
    elif instance.revoked_at is not None and "revoked_at" in (kwargs.get("update_fields") or ()):
        audit_record(action=Action.TOKEN_REVOKED, target=user, detail={"token": instance.pk})


def connect() -> None:
    uid = "direktori.audit"
    user_logged_in.connect(on_logged_in, dispatch_uid=f"{uid}.logged_in")
    user_logged_out.connect(on_logged_out, dispatch_uid=f"{uid}.logged_out")
    user_login_failed.connect(on_login_failed, dispatch_uid=f"{uid}.login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid=f"{uid}.locked_out")
    otp_verification_failed.connect(on_otp_failed, dispatch_uid=f"{uid}.otp_failed")
    pre_save.connect(before_user_saved, sender=User, dispatch_uid=f"{uid}.user_pre")
    post_save.connect(after_user_saved, sender=User, dispatch_uid=f"{uid}.user_post")
    pre_save.connect(before_device_saved, sender=TOTPDevice, dispatch_uid=f"{uid}.totp_pre")
    post_save.connect(after_device_saved, sender=TOTPDevice, dispatch_uid=f"{uid}.totp_post")
    post_save.connect(after_token_saved, sender=ApiToken, dispatch_uid=f"{uid}.token_post")
    for through, field in M2M_FIELDS.items():
        m2m_changed.connect(on_m2m_changed, sender=through, dispatch_uid=f"{uid}.m2m.{field}")
