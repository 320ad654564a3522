"""The membership register's pages under /akaun/ (docs/security.md, "Membership register").

A CBO's members are read only through `Membership.objects.visible_to`; a CBO the user may not
see is a 404, whoever asks. Officers' reads of members' contacts are audited. Officers appoint,
re-appoint, move and end memberships of CBOs in their own area (`permissions.may_import_into`);
for anyone else those pages are a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from direktori.accounts.manage_forms import BulkConfirmForm
from direktori.accounts.models import User
from direktori.accounts.permissions import is_officer
from direktori.audit.models import Action
from direktori.audit.services import audit_record
from direktori.core.uploads import confirmed_upload, uploaded_rows
from direktori.directory.models import Organization

from . import importing, permissions, services
from .forms import (
    AppointForm,
    ContactForm,
    EndForm,
    MoveForm,
    TermForm,
    UploadForm,
    add_service_errors,
)
from .models import Membership, Person
from .selectors import (
    cbos_needing_attention,
    manageable_cbo,
    manageable_membership,
    movable_cbos,
)


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
        "may_manage": permissions.may_import_into(request.user, cbo),
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
        context["upload_form"], rows = uploaded_rows(request, UploadForm, importing.read)
        if rows is not None:
            plans, problems = importing.check(rows, actor=actor)
            context.update(problems=problems, plans=plans)
            if not problems:
                token = importing.dump(rows, actor=actor)
                context["confirm_form"] = BulkConfirmForm(initial={"token": token})
    return render(request, "members/import.html", context)


def _confirm(request: HttpRequest, actor: Any, context: dict[str, Any]) -> HttpResponse:
    def save(token: str) -> dict[str, Any]:
        return {"plans": importing.import_all(importing.load(token, actor=actor), actor=actor)}

    context.update(confirmed_upload(BulkConfirmForm(request.POST), save))
    return render(request, "members/import.html", context)


# An officer's changes to one membership (docs/security.md, "Membership register") -------------


def _manageable_cbo(request: HttpRequest, pk: Any) -> Organization:
    cbo = manageable_cbo(request.user, pk)
    if cbo is None:
        raise Http404
    return cbo


def _manageable_membership(request: HttpRequest, pk: Any) -> Membership:
    membership = manageable_membership(request.user, pk)
    if membership is None:
        raise Http404
    return membership


def _form_page(request: HttpRequest, form: Any, **context: Any) -> HttpResponse:
    context["form"] = form
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "members/membership_form.html", context, status=status)


def _term_initial(membership: Membership) -> dict[str, Any]:
    return {
        "role": membership.role,
        "appointed_by": membership.appointed_by,
        "appointed_on": membership.appointed_on,
        "term_ends_on": membership.term_ends_on,
    }


OUTCOME_MESSAGES = {
    "created": _lazy("%(name)s is appointed."),
    "updated": _lazy(
        "%(name)s's appointment is updated; the previous term is kept in the history."
    ),
    "unchanged": _lazy("Nothing changed: %(name)s already holds this appointment."),
}


def _saved(
    request: HttpRequest, form: Any, write: Callable[[], str], cbo_pk: Any
) -> HttpResponse | None:
    """Runs `write` (a service call that returns what to tell the officer), then back to the
    CBO's members page (POST-redirect-GET); None, with the refusal on the form, if refused."""
    try:
        message = write()
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    messages.success(request, message)
    return redirect("members:cbo_members", pk=cbo_pk)


def _appointed(request: HttpRequest, appointment: services.Appointment) -> str:
    membership, outcome = services.membership_appoint(appointment=appointment, actor=request.user)
    return OUTCOME_MESSAGES[outcome] % {"name": membership.person.full_name}


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def appoint(request: HttpRequest, pk: Any) -> HttpResponse:
    cbo = _manageable_cbo(request, pk)
    form = AppointForm(request.POST or None, initial={"appointed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        done = _saved(request, form, lambda: _appointed(request, form.appointment(cbo)), cbo.pk)
        if done is not None:
            return done
    return _form_page(request, form, cbo=cbo, action="appoint")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def reappoint(request: HttpRequest, pk: Any) -> HttpResponse:
    membership = _manageable_membership(request, pk)
    form = TermForm(request.POST or None, initial=_term_initial(membership))
    if request.method == "POST" and form.is_valid():
        appointment = services.known_person_appointment(
            person=membership.person, cbo=membership.cbo, **form.term()
        )
        done = _saved(request, form, lambda: _appointed(request, appointment), membership.cbo_id)
        if done is not None:
            return done
    return _form_page(request, form, cbo=membership.cbo, membership=membership, action="reappoint")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def end(request: HttpRequest, pk: Any) -> HttpResponse:
    """Two steps: the date and reason, then a page that asks to confirm them."""
    membership = _manageable_membership(request, pk)
    if membership.status != Membership.Status.ACTIVE:
        raise Http404
    form = EndForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    context = {"cbo": membership.cbo, "membership": membership, "action": "end"}
    if request.method == "POST" and form.is_valid():
        if request.POST.get("confirm") != "yes":
            return render(request, "members/end_confirm.html", {**context, "form": form})

        def write() -> str:
            services.membership_end(
                membership=membership,
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["reason"],
                actor=cast(User, request.user),
                request=request,
            )
            return _("%(name)s's membership has ended; it stays in the history.") % {
                "name": membership.person.full_name
            }

        done = _saved(request, form, write, membership.cbo_id)
        if done is not None:
            return done
    return _form_page(request, form, **context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def move(request: HttpRequest, pk: Any) -> HttpResponse:
    membership = _manageable_membership(request, pk)
    if membership.status != Membership.Status.ACTIVE:
        raise Http404
    form = MoveForm(
        request.POST or None,
        cbos=movable_cbos(request.user, membership),
        initial={**_term_initial(membership), "appointed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def write() -> str:
            moved = services.membership_move(
                membership=membership,
                to_cbo=data["cbo"],
                moved_on=data["appointed_on"],
                role=data["role"],
                appointed_by=data["appointed_by"],
                term_ends_on=data["term_ends_on"],
                reason=data["reason"],
                actor=cast(User, request.user),
                request=request,
            )
            return _("%(name)s has moved to %(cbo)s.") % {
                "name": membership.person.full_name,
                "cbo": moved.cbo.name,
            }

        done = _saved(request, form, write, membership.cbo_id)
        if done is not None:
            return done
    return _form_page(request, form, cbo=membership.cbo, membership=membership, action="move")
