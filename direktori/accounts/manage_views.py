"""Officers managing the accounts inside their own scope (issue 5, docs/security.md "Managing
accounts").

Only officers reach these pages (`permissions.grantable_roles` not empty); everyone else signed
in gets 404, as does any account outside the officer's scope, of the officer's rank or above, or
the officer's own. Other accounts are read only through `User.objects.visible_to`. One-time
set-password links are shown on the answer to a POST, never put in a URL, a message or the
session.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, QuerySet, Sum
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from direktori.audit.models import Action
from direktori.audit.services import audit_record
from direktori.core.uploads import uploaded_rows

from . import bulk_invite, permissions, services
from .manage_forms import BulkConfirmForm, BulkUploadForm, InviteForm, RoleForm, UserFilterForm
from .models import User

PER_PAGE = 25


def _officer(request: HttpRequest) -> User:
    """The signed-in officer, or 404 for anyone who may give no role."""
    if not permissions.grantable_roles(request.user):
        raise Http404
    return request.user  # type: ignore[return-value]


def _managed(actor: User) -> QuerySet[User]:
    """Accounts the officer may manage: those they see, less their own."""
    return (
        User.objects.visible_to(actor)
        .exclude(pk=actor.pk)
        .select_related("area", "organisation")
        .annotate(
            has_second_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
        )
    )


def _target(actor: User, pk: int) -> User:
    target = get_object_or_404(_managed(actor), pk=pk)
    if not permissions.may_manage_user(actor, target):
        raise Http404
    return target


def _locked(usernames: list[str]) -> set[str]:
    """Which of these accounts django-axes has locked (failures are counted against the
    lower-cased username; no cool-off in our settings, see docs/security.md)."""
    from axes.models import AccessAttempt

    limit = settings.AXES_FAILURE_LIMIT
    rows = (
        AccessAttempt.objects.filter(username__in={name.lower() for name in usernames})
        .values("username")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=limit)
    )
    return {row["username"] for row in rows}


def _language() -> str:
    return get_language() or settings.LANGUAGE_CODE


@login_required
@never_cache
@require_GET
def manage_list(request: HttpRequest) -> HttpResponse:
    actor = _officer(request)
    form = UserFilterForm(request.GET or None, actor=actor)
    users = form.filter(_managed(actor)).order_by("username")
    page = Paginator(users, PER_PAGE).get_page(request.GET.get("page"))
    locked = _locked([user.username for user in page])
    rows = [(user, user.username.lower() in locked) for user in page]
    audit_record(
        action=Action.RECORD_VIEWED,
        request=request,
        object_type="accounts.user",
        object_id="list",
        area=actor.area,
        detail={"shown": len(rows), "page": page.number},
    )
    context = {"form": form, "page": page, "rows": rows, "count": page.paginator.count}
    return render(request, "accounts/manage/list.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def manage_invite(request: HttpRequest) -> HttpResponse:
    actor = _officer(request)
    form = InviteForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, link = services.user_invite(
                username=data["username"],
                role=data["role"],
                area=data["area"],
                organisation=data["organisation"],
                first_name=data["first_name"],
                email=data["email"],
                phone=data["phone"],
                language=_language(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The account %(username)s was made.") % {"username": user.username}
            )
            return _link_page(request, user, link)
    return render(request, "accounts/manage/invite.html", {"form": form})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def manage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An account, with its role, area and CBO to change (the POST of this page)."""
    actor = _officer(request)
    target = _target(actor, pk)
    initial = {"role": target.role, "area": target.area, "organisation": target.organisation}
    form = RoleForm(request.POST or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_change_role(
                user=target, role=data["role"], area=data["area"], organisation=data["organisation"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            message = _(
                "The role, area and CBO of %(username)s were saved. Their sessions have ended."
            )
            return _done(request, target, message)
    if request.method == "GET":
        audit_record(action=Action.RECORD_VIEWED, request=request, target=target)
    context = {
        "account": target,
        "form": form,
        "locked": bool(_locked([target.username])),
    }
    return render(request, "accounts/manage/detail.html", context)


@login_required
@require_POST
def manage_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _officer(request)
    target = _target(actor, pk)
    if request.POST.get("active") not in {"0", "1"}:
        return HttpResponseBadRequest()
    active = request.POST["active"] == "1"
    services.user_set_active(user=target, active=active)
    if active:
        return _done(request, target, _("%(username)s may sign in again."))
    return _done(
        request, target, _("%(username)s is disabled: their sessions and API tokens have ended.")
    )


@login_required
@require_POST
def manage_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _officer(request)
    target = _target(actor, pk)
    services.user_unlock(user=target)
    return _done(request, target, _("%(username)s is unlocked and may try to sign in again."))


@login_required
@require_POST
def manage_reset_second_factor(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _officer(request)
    target = _target(actor, pk)
    services.user_reset_second_factor(user=target)
    message = _(
        "The second step of %(username)s was reset: they set up a new authenticator app at "
        "their next sign-in. Their sessions have ended."
    )
    return _done(request, target, message)


def _done(request: HttpRequest, target: User, message: str) -> HttpResponse:
    """Back to the account's page, with the message that confirms the action."""
    messages.success(request, message % {"username": target.username})
    return redirect("accounts:manage_detail", pk=target.pk)


@login_required
@never_cache
@require_POST
def manage_password_link(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _officer(request)
    target = _target(actor, pk)
    if not target.is_active:
        messages.error(request, _("Enable the account before making a sign-in link."))
        return redirect("accounts:manage_detail", pk=target.pk)
    link = services.set_password_link(target, language=_language())
    if target.email:
        services.set_password_link_send(user=target, link=link, language=_language())
    messages.success(
        request, _("A new link was made for %(username)s.") % {"username": target.username}
    )
    return _link_page(request, target, link)


def _link_page(request: HttpRequest, user: User, link: str) -> HttpResponse:
    context = {"account": user, "link": link, "emailed": bool(user.email)}
    return render(request, "accounts/manage/link.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def manage_bulk_invite(request: HttpRequest) -> HttpResponse:
    """Upload → preview (every problem by row and column) → confirm, without uploading again."""
    actor = _officer(request)
    context: dict[str, Any] = {"upload_form": BulkUploadForm(), "columns": bulk_invite.COLUMNS}
    if request.method != "POST":
        return render(request, "accounts/manage/bulk.html", context)
    if "token" in request.POST:
        return _bulk_confirm(request, actor, context)
    context["upload_form"], rows = uploaded_rows(request, BulkUploadForm, bulk_invite.read)
    if rows is None:
        return render(request, "accounts/manage/bulk.html", context)
    invitations, problems = bulk_invite.check(rows, actor=actor)
    context.update(problems=problems, invitations=invitations, row_count=len(rows))
    if not problems:
        context["confirm_form"] = BulkConfirmForm(
            initial={"token": bulk_invite.dump(rows, actor=actor)}
        )
    return render(request, "accounts/manage/bulk.html", context)


def _bulk_confirm(request: HttpRequest, actor: User, context: dict[str, Any]) -> HttpResponse:
    confirm_form = BulkConfirmForm(request.POST)
    try:
        if not confirm_form.is_valid():
            raise ValidationError(_("Upload the file again."))
        rows = bulk_invite.load(confirm_form.cleaned_data["token"], actor=actor)
        invited = bulk_invite.invite_all(rows, actor=actor, language=_language())
    except ValidationError as error:
        context["file_errors"] = error.messages
        return render(request, "accounts/manage/bulk.html", context)
    except bulk_invite.Refused as refused:
        context.update(problems=refused.problems, refused=True)
        return render(request, "accounts/manage/bulk.html", context)
    count = len(invited)
    messages.success(
        request,
        ngettext("%(count)d account was made.", "%(count)d accounts were made.", count)
        % {"count": count},
    )
    return render(request, "accounts/manage/bulk_done.html", {"invited": invited})
