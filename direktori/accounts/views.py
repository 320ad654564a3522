"""Signing in and out, the second factor, and a user's own account (docs/security.md).

Officers and administrators give a TOTP code (or a backup code) after their password; until they
have, `middleware.AccountSessionMiddleware` lets them reach only these pages.
"""

from __future__ import annotations

import time
from typing import Any, cast

import segno
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import PasswordResetConfirmView
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from direktori.audit.models import Action
from direktori.audit.services import audit_record

from . import permissions, services, two_factor
from .forms import CodeForm, ContactForm, SignInForm
from .middleware import SEEN_AT, SIGNED_IN_AT
from .models import User
from .permissions import needs_second_factor


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("accounts:home")


def _with_next(name: str, request: HttpRequest) -> str:
    from urllib.parse import urlencode

    return f"{reverse(name)}?{urlencode({'next': _next(request)})}"


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.method == "GET" and request.user.is_authenticated:
        return redirect(_next(request))  # the masthead's "Sign in" leads the signed-in home
    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        login(request, user)
        request.session[SIGNED_IN_AT] = request.session[SEEN_AT] = time.time()
        if needs_second_factor(user):
            if user_has_device(user, confirmed=True):
                return redirect(_with_next("accounts:verify", request))
            return redirect(_with_next("accounts:enrol", request))
        return redirect(_next(request))
    return render(request, "accounts/sign_in.html", {"form": form, "next": _next(request)})


def locked_out(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """django-axes' answer once a username has failed too often: the sign-in form with an error
    that reads the same whether or not the account exists."""
    form = SignInForm(request, data=None)
    context = {"form": form, "next": _next(request), "locked": True}
    return render(request, "accounts/sign_in.html", context, status=403)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("accounts:sign_in")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not needs_second_factor(user) or user.is_verified():  # type: ignore[union-attr]
        return redirect(_next(request))
    if not user_has_device(user, confirmed=True):
        return redirect(_with_next("accounts:enrol", request))
    account = cast(User, user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["otp_token"])
        if device is not None:
            otp_login(request, device)
            request.session.cycle_key()  # a new session id once the second factor is given
            audit_record(action=Action.SECOND_FACTOR_VERIFIED, request=request, target=account)
            return redirect(_next(request))
        audit_record(action=Action.SECOND_FACTOR_FAILED, request=request, target=account)
        form.add_error(
            "otp_token", _("That code is not right, or it has expired. Try the newest code.")
        )
    return render(request, "accounts/verify.html", {"form": form, "next": _next(request)})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Setting up the authenticator app: a QR code (and the key to type in), then one code to
    prove it works; the backup codes are shown once at the end."""
    user = request.user
    if not needs_second_factor(user):
        raise Http404
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect(_next(request))
    device = two_factor.pending_totp_device(user)  # type: ignore[arg-type]
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["otp_token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            request.session.cycle_key()  # a new session id once the second factor is given
            codes = two_factor.new_backup_codes(user)  # type: ignore[arg-type]
            return render(
                request, "accounts/backup_codes.html", {"codes": codes, "next": _next(request)}
            )
        form.add_error(
            "otp_token",
            _("That code is not right. Check the time on your phone and try the newest code."),
        )
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "next": _next(request),
        "qr_svg": qr.svg_data_uri(scale=5, border=2),
        "secret": two_factor.readable_key(device),
    }
    return render(request, "accounts/enrol.html", context)


@login_required
@never_cache
@require_POST
def backup_codes(request: HttpRequest) -> HttpResponse:
    """New backup codes replace the old ones. Only after the second factor."""
    if not needs_second_factor(request.user):
        raise Http404
    if not request.user.is_verified():  # type: ignore[union-attr]
        return redirect(_with_next("accounts:verify", request))
    codes = two_factor.new_backup_codes(request.user)  # type: ignore[arg-type]
    return render(
        request, "accounts/backup_codes.html", {"codes": codes, "next": reverse("accounts:home")}
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def home(request: HttpRequest) -> HttpResponse:
    """The user's own account: what the system holds about them, and correcting it."""
    user = request.user
    form = ContactForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        services.user_update_contact(user=user, **form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, _("Your details have been saved."))
        return redirect("accounts:home")
    context = {
        "form": form,
        "account": user,
        "needs_second_factor": needs_second_factor(user),
        "may_manage": bool(permissions.grantable_roles(user)),
        "may_audit": permissions.may_view_audit(user),
        "may_break_glass": permissions.may_break_glass(user),
    }
    return render(request, "accounts/home.html", context)


@login_required
@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    services.user_sign_out_everywhere(user=request.user)  # type: ignore[arg-type]
    logout(request)
    messages.info(request, _("You have been signed out on every device."))
    return redirect("accounts:sign_in")


@sensitive_post_parameters()
@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def change_password(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        services.user_tokens_revoke(user=user)
        messages.success(
            request, _("Your password has been changed. Other devices are signed out.")
        )
        return redirect("accounts:home")
    return render(request, "accounts/change_password.html", {"form": form})


class SetPasswordView(PasswordResetConfirmView):
    """The one-time link from `create_user` or an invitation: the new user chooses a password."""

    template_name = "accounts/set_password.html"
    success_url = reverse_lazy("accounts:sign_in")
    post_reset_login = False

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.user_tokens_revoke(user=form.user)
        messages.success(self.request, _("Your password is set. Sign in with it now."))
        return response


set_password = SetPasswordView.as_view()
