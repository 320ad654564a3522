"""Pages for keeping entries true. Who may not use a page gets 404; anonymous visitors are sent
to sign in (docs/security.md, the access matrix)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from direktori.accounts.models import Role, User
from direktori.accounts.permissions import has_role, is_officer
from direktori.directory.models import Organization, Service

from . import fields, selectors, services
from .forms import ProposalForm, RejectForm
from .models import ChangeProposal
from .permissions import entries_for_chair, organisations_q, services_q

SORTS = {"district": "district", "share": "share", "-share": "-share"}
QUEUE_PAGE_SIZE = 50


def _officer(request: HttpRequest) -> User:
    if not is_officer(request.user):
        raise Http404
    return request.user  # type: ignore[return-value]


def _chair(request: HttpRequest) -> User:
    if not has_role(request.user, Role.CBO_CHAIR):
        raise Http404
    return request.user  # type: ignore[return-value]


def verifiable_entry(user: Any, kind: str, pk: Any) -> Organization | Service:
    """The entry, if `user` may verify it; 404 otherwise."""
    if kind == "organization":
        return get_object_or_404(Organization.objects.filter(organisations_q(user)), pk=pk)
    if kind == "service":
        return get_object_or_404(Service.objects.filter(services_q(user)), pk=pk)
    raise Http404


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
@never_cache
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    user = _officer(request)
    page = Paginator(selectors.OverdueQueue(user), QUEUE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number),
        "entries": page.object_list,
        "overdue": page.paginator.count,
        "pending": ChangeProposal.objects.visible_to(user).pending().count(),
    }
    return render(request, "verification/queue.html", context)


@login_required
@require_POST
def verify(request: HttpRequest, kind: str, pk: Any) -> HttpResponse:
    user = _officer(request)
    entry = verifiable_entry(user, kind, pk)
    try:
        services.entry_verify(entry=entry, user=user, request=request)
    except PermissionDenied as error:
        raise Http404 from error
    messages.success(
        request, _("“%(name)s” is marked as verified today.") % {"name": entry.display_name}
    )
    page = request.POST.get("page", "")
    if page.isdigit() and page != "1":  # back to the page the officer was working through
        return redirect(f"{reverse('verification:queue')}?page={page}")
    return redirect("verification:queue")


def _review_page(
    request: HttpRequest, user: User, bound: tuple[int, RejectForm] | None = None
) -> HttpResponse:
    proposals = list(
        ChangeProposal.objects.visible_to(user)
        .pending()
        .select_related("organization", "service", "proposed_by")
    )
    rows = []
    for proposal in proposals:
        current = fields.current_values(proposal.kind, proposal.entry)
        changes = [
            (fields.label(proposal.kind, name), current.get(name, ""), value)
            for name, value in proposal.changes.items()
        ]
        form = (
            bound[1]
            if bound and bound[0] == proposal.pk
            else RejectForm(auto_id=f"id_%s_{proposal.pk}")
        )
        rows.append((proposal, changes, form))
    status = 400 if bound else 200
    return render(request, "verification/proposals.html", {"rows": rows}, status=status)


@login_required
@never_cache
@require_GET
def proposals(request: HttpRequest) -> HttpResponse:
    return _review_page(request, _officer(request))


def _reviewable(user: User, pk: int) -> ChangeProposal:
    return get_object_or_404(
        ChangeProposal.objects.visible_to(user).select_related("organization__area"), pk=pk
    )


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    user = _officer(request)
    proposal = _reviewable(user, pk)
    try:
        services.change_proposal_accept(proposal=proposal, user=user, request=request)
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("The changes to “%(name)s” are made and the entry is verified.")
            % {"name": proposal.entry.display_name},
        )
    return redirect("verification:proposals")


@login_required
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    user = _officer(request)
    proposal = _reviewable(user, pk)
    form = RejectForm(request.POST, auto_id=f"id_%s_{pk}")
    if not form.is_valid():
        return _review_page(request, user, (pk, form))
    try:
        services.change_proposal_reject(
            proposal=proposal, user=user, reason=form.cleaned_data["reason"], request=request
        )
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The proposal is rejected; the chair sees your reason."))
    return redirect("verification:proposals")


def _chosen_entry(user: User, value: str) -> tuple[str, Organization | Service] | None:
    for entry in entries_for_chair(user):
        kind = services.kind_of(entry)
        if value == f"{kind}:{entry.pk}":
            return kind, entry
    return None


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest) -> HttpResponse:
    user = _chair(request)
    source = request.POST if request.method == "POST" else request.GET
    chosen = _chosen_entry(user, source.get("entry", ""))
    form = None
    if chosen is not None:
        kind, entry = chosen
        form = ProposalForm(request.POST or None, kind=kind, entry=entry)
        if request.method == "POST" and form.is_valid():
            try:
                services.change_proposal_create(
                    user=user,
                    entry=entry,
                    changes=form.changes(),
                    note=form.cleaned_data["note"],
                    request=request,
                )
            except PermissionDenied as error:
                raise Http404 from error
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                messages.success(request, _("Your proposal is sent to the district officer."))
                return redirect("verification:propose")
    elif request.method == "POST":
        raise Http404
    context = {
        "entries": [(services.kind_of(e), e) for e in entries_for_chair(user)],
        "chosen": chosen,
        "form": form,
        "proposals": ChangeProposal.objects.visible_to(user)
        .select_related("organization", "service")
        .order_by("-proposed_at", "-pk")[:50],
    }
    return render(
        request, "verification/propose.html", context, status=400 if form and form.errors else 200
    )


@login_required
@never_cache
@require_GET
def freshness(request: HttpRequest) -> HttpResponse:
    user = _officer(request)
    rows, total = selectors.freshness(user)
    sort = SORTS.get(request.GET.get("sort", ""), "district")
    if sort == "share":
        rows.sort(key=lambda row: (row.share is None, row.share or 0.0))
    elif sort == "-share":  # districts without entries last in both directions
        rows.sort(key=lambda row: (row.share is None, -(row.share or 0.0)))
    return render(
        request, "verification/freshness.html", {"rows": rows, "total": total, "sort": sort}
    )
