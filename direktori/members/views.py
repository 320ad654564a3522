"""The membership register's pages under /akaun/ (docs/security.md, "Membership register").

A CBO's members are read only through `Membership.objects.visible_to`; a CBO the user may not
see is a 404, whoever asks. Officers' reads of members' contacts are audited.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from direktori.accounts.manage_forms import BulkConfirmForm
from direktori.accounts.models import User
from direktori.accounts.permissions import is_officer
from direktori.audit.models import Action
from direktori.audit.services import audit_record
from direktori.directory.models import Organization

from . import importing, permissions, services
from .forms import ContactForm, UploadForm
from .models import Membership, Person
from .selectors import cbos_needing_attention


@login_required
@never_cache
@require_GET
def cbo_members(request: HttpRequest, pk: str) -> HttpResponse:
    cbo = get_object_or_404(
        Organization.objects.filter(kind=Organization.Kind.CBO).select_related("area"), pk=pk
    )
    if not permissions.may_view_cbo(request.user, cbo):
        raise Http404
    memberships = list(
        Membership.objects.visible_to(request.user)
        .filter(cbo=cbo)
        .select_related("person")
        .prefetch_related("terms")
        .in_role_order()
    )
    if is_officer(request.user):
        audit_record(
            action=Action.RECORD_VIEWED,
            request=request,
            object_type="members.membership",
            object_id=str(cbo.pk),
            area=cbo.area,
            detail={"shown": len(memberships)},
        )
    context = {
        "cbo": cbo,
        "current": [m for m in memberships if m.status == Membership.Status.ACTIVE],
        "ended": [m for m in memberships if m.status != Membership.Status.ACTIVE],
    }
    return render(request, "members/cbo_members.html", context)


@login_required
@never_cache
@require_GET
def attention(request: HttpRequest) -> HttpResponse:
    if not is_officer(request.user):
        raise Http404
    cbos = cbos_needing_attention(request.user)
    return render(request, "members/attention.html", {"cbos": cbos})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def my_membership(request: HttpRequest) -> HttpResponse:
    person = Person.objects.filter(user=cast(User, request.user)).first()
    if person is None:
        return render(request, "members/me.html", {"person": None})
    form = ContactForm(request.POST or None, instance=Person.objects.get(pk=person.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update_contact(
                person=person,
                phone=form.cleaned_data["phone"],
                email=form.cleaned_data["email"],
                listed_publicly=form.cleaned_data["listed_publicly"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your details have been saved."))
            return redirect("members:me")
    memberships = person.memberships.select_related("cbo").in_role_order()
    return render(
        request, "members/me.html", {"person": person, "form": form, "memberships": memberships}
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def import_members(request: HttpRequest) -> HttpResponse:
    """Upload → preview (every problem, or what each row will do) → confirm."""
    if not permissions.may_import(request.user):
        raise Http404
    actor = request.user
    context: dict[str, Any] = {"upload_form": UploadForm(), "columns": importing.COLUMNS}
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, actor, context)
    if request.method == "POST":
        form = context["upload_form"] = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                rows = importing.read(form.cleaned_data["file"])
            except ValidationError as error:
                form.add_error("file", error)
            else:
                plans, problems = importing.check(rows, actor=actor)
                context.update(problems=problems, plans=plans)
                if not problems:
                    token = importing.dump(rows, actor=actor)
                    context["confirm_form"] = BulkConfirmForm(initial={"token": token})
    return render(request, "members/import.html", context)


def _confirm(request: HttpRequest, actor: Any, context: dict[str, Any]) -> HttpResponse:
    form = BulkConfirmForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Upload the file again."))
        rows = importing.load(form.cleaned_data["token"], actor=actor)
        plans = importing.import_all(rows, actor=actor)
    except ValidationError as error:
        context["file_errors"] = error.messages
        return render(request, "members/import.html", context)
    except importing.Refused as refused:
        context.update(problems=refused.problems)
        return render(request, "members/import.html", context)
    context.update(plans=plans, done=True)
    return render(request, "members/import.html", context)
