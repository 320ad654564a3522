"""Referral pages under /akaun/rujukan/ (docs/security.md, "Referrals"). Reads start from
`Referral.objects.visible_to(user)` and are audited (`auditing.referral_record_read`); writes go
through `services`. A page or referral the user may not see is 404; anonymous visitors are sent
to sign in. URLs carry only a referral's UUID and filter codes, never personal data."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Min
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from direktori.accounts.models import User
from direktori.accounts.permissions import area_q, is_officer
from direktori.areas.models import Area
from direktori.audit.models import Action

from . import auditing, permissions, selectors, services
from .forms import (
    ALL,
    CONFIRM_FIRST,
    OPEN,
    QueueFilterForm,
    ReferralForm,
    action_form,
    district_by_code,
)
from .models import EventAction, Referral, Status, Urgency
from .permissions import View
from .summary import summary_filename, summary_pdf
from .targets import targets
from .workflow import actions_from

PAGE_SIZE = 25
#: Sent by the form's script: a successful submit answers JSON instead of a redirect.
FETCH_HEADER = "X-Referral-Form"


def _visible(request: HttpRequest, pk: Any) -> Referral:
    referral = (
        Referral.objects.visible_to(request.user)
        .select_related(
            "area", "district", "assigned_office", "assigned_officer", "reporter", "area__parent"
        )
        .filter(pk=pk)
        .first()
    )
    if referral is None:
        raise Http404
    return referral


def _read(request: HttpRequest, **kwargs: Any) -> None:
    auditing.referral_record_read(user=request.user, request=request, via="page", **kwargs)


def target_text(urgency: str) -> str:
    """The acknowledgement target of an urgency, in words."""
    target = targets()[urgency]
    days = target.get("working_days", 0)
    if days:
        return ngettext("within %(count)d working day", "within %(count)d working days", days) % {
            "count": days
        }
    hours = target.get("hours", 0)
    return ngettext("within %(count)d hour", "within %(count)d hours", hours) % {"count": hours}


# Submitting ---------------------------------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    """The referral form. Works without JavaScript; with it, the script submits with fetch and
    keeps the form filled while the connection is away (referral_form.js). The hidden
    `client_token` makes a double submit or a retry one referral."""
    user = cast(User, request.user)
    if not permissions.may_submit(user):
        raise Http404
    if request.method == "GET":
        district = district_by_code(request.GET.get("district", ""))
        return _form_page(request, ReferralForm(user=user, district=district), fresh=True)
    if "show_places" in request.POST:  # without JavaScript: the places of another district
        kept = {name: request.POST.get(name) for name in ReferralForm.base_fields}
        initial = {name: value for name, value in kept.items() if value is not None}
        district = district_by_code(request.POST.get("district", ""))
        form = ReferralForm(initial=initial, user=user, district=district)
        return _form_page(request, form, focus_places=True)
    form = ReferralForm(request.POST, user=user)
    if form.is_valid():
        try:
            referral, _created = services.referral_submit(
                reporter=user,
                submission=form.submission(),
                client_token=form.cleaned_data["client_token"],
                request=request,
            )
        except PermissionDenied as error:
            raise Http404 from error
        except ValidationError as error:
            form.add_service_errors(error)
        except services.TooManyReferrals as error:
            form.add_error(None, str(error))
        else:
            location = reverse("referrals:sent", kwargs={"pk": referral.pk})
            if request.headers.get(FETCH_HEADER) == "fetch":
                return JsonResponse({"location": location})
            return redirect(location)
    return _form_page(request, form)


def _form_page(
    request: HttpRequest, form: ReferralForm, *, fresh: bool = False, focus_places: bool = False
) -> HttpResponse:
    if focus_places:  # back from "show the places": where the user was going next
        form.fields["mukim"].widget.attrs["autofocus"] = True
    context = {"form": form, "fresh": fresh, "urgency_field": form["urgency"]}
    return render(request, "referrals/form.html", context)


@login_required
@never_cache
@require_GET
def sent(request: HttpRequest, pk: Any) -> HttpResponse:
    """What the reporter sees after submitting: the reference and what happens next."""
    referral = _visible(request, pk)
    if not permissions.is_reporter(request.user, referral):
        raise Http404
    _read(request, referral=referral, what="confirmation")
    context = {
        "referral": referral,
        "target": target_text(referral.urgency),
        "is_officer": is_officer(request.user),
    }
    return render(request, "referrals/sent.html", context)


# Lists --------------------------------------------------------------------------------------------


@login_required
@never_cache
@require_GET
def referral_list(request: HttpRequest) -> HttpResponse:
    """Officers: the queue of their area; everyone else (and officers with `?mine=1`): the
    referrals they made."""
    user = request.user
    if not permissions.may_submit(user):
        raise Http404
    if is_officer(user) and request.GET.get("mine") != "1":
        return _queue(request)
    page = Paginator(selectors.reported_by(user), PAGE_SIZE).get_page(request.GET.get("page"))
    _read(request, what="mine", shown=len(page.object_list))
    context = {
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number),
        "is_officer": is_officer(user),
    }
    return render(request, "referrals/mine.html", context)


def _queue(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = QueueFilterForm(request.GET or None)
    chosen = form.values()
    found = Referral.objects.visible_to(user).filter(area_q(user, "assigned_office"))
    if chosen["status"] == OPEN:
        found = found.open()
    elif chosen["status"] != ALL:
        found = found.filter(status=chosen["status"])
    if chosen["urgency"]:
        found = found.filter(urgency=chosen["urgency"])
    if chosen["target_group"]:
        found = found.filter(target_group=chosen["target_group"])
    found = found.in_queue_order().select_related("assigned_office", "area")
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [
        {
            "referral": referral,
            "overdue": referral.status == Status.SUBMITTED and referral.due_at < now,
            "read_only": not permissions.may_act_as_officer(user, referral),
        }
        for referral in page.object_list
    ]
    _read(request, what="queue", shown=len(rows))
    context = {
        "form": form,
        "rows": rows,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number),
        "filtered": chosen != {"status": OPEN, "urgency": "", "target_group": ""},
        "has_mine": selectors.reported_by(user).exists(),
    }
    return render(request, "referrals/queue.html", context)


@login_required
@never_cache
@require_GET
def overdue(request: HttpRequest) -> HttpResponse:
    """Referrals not acknowledged by their target, by district: district and state officers
    (and HQ administrators), for their own area."""
    user = request.user
    if not is_officer(user):
        raise Http404
    now = timezone.now()
    found = selectors.overdue(user, now)
    totals = list(
        found.order_by()
        .values("assigned_office")
        .annotate(count=Count("pk"), oldest=Min("due_at"))
        .order_by("-count", "oldest")
    )
    offices = Area.objects.in_bulk([row["assigned_office"] for row in totals])
    districts = [
        {"office": offices[row["assigned_office"]], "count": row["count"], "oldest": row["oldest"]}
        for row in totals
    ]
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    _read(request, what="overdue", shown=len(page.object_list))
    context = {
        "districts": districts,
        "total": sum(row["count"] for row in districts),
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number),
        "now": now,
        "targets": [(urgency.label, target_text(urgency.value)) for urgency in Urgency],
    }
    return render(request, "referrals/overdue.html", context)


# One referral -------------------------------------------------------------------------------------


@login_required
@never_cache
@require_GET
def detail(request: HttpRequest, pk: Any) -> HttpResponse:
    referral = _visible(request, pk)
    return _detail_page(request, referral)


def _detail_page(
    request: HttpRequest,
    referral: Referral,
    *,
    failed: tuple[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    view = permissions.view_of(user, referral)
    if view is None:
        raise Http404
    _read(request, referral=referral)
    allowed = [
        action
        for action in actions_from(referral.status)
        if not referral.is_anonymised and permissions.may_do(user, referral, action)
    ]
    forms = {action: action_form(action, referral=referral) for action in allowed}
    if failed is not None:
        forms[failed[0]] = failed[1]
    context: dict[str, Any] = {
        "referral": referral,
        "forms": forms,
        "failed": failed[1] if failed else None,
        "failed_action": failed[0] if failed else "",
    }
    if view == View.REPORTER:
        context["history"] = selectors.shared_history(referral)
        return render(request, "referrals/detail_reporter.html", context, status=status)
    context.update(
        events=list(
            referral.events.select_related("actor", "from_office", "to_office").order_by("at", "pk")
        ),
        overdue=referral.status == Status.SUBMITTED and referral.due_at < timezone.now(),
        emergency_access=permissions.through_emergency_access(user, referral),
        target=target_text(referral.urgency),
    )
    return render(request, "referrals/detail_officer.html", context, status=status)


@login_required
@never_cache
@require_POST
def act(request: HttpRequest, pk: Any) -> HttpResponse:
    """One move (`action` in the form) through `services.referral_transition`. A move that
    cannot be undone (close, reject, withdraw, transfer) shows what it will do and asks first."""
    referral = _visible(request, pk)
    user = cast(User, request.user)
    action = request.POST.get("action", "")
    if action not in services.SERVICES or not permissions.may_do(user, referral, action):
        raise Http404
    form = action_form(action, referral=referral, data=request.POST)
    if not form.is_valid():
        return _detail_page(request, referral, failed=(action, form), status=400)
    if action in CONFIRM_FIRST and request.POST.get("confirm") != "yes":
        return render(
            request,
            "referrals/confirm.html",
            {
                "referral": referral,
                "action": action,
                "form": form,
                "district": district_by_code(form.cleaned_data.get("district", "")),
            },
        )
    values = dict(form.cleaned_data)
    note = values.pop("note", "")
    if action == "transfer":
        values["district"] = district_by_code(values["district"])
    try:
        moved = services.referral_transition(
            referral=referral, action=action, actor=user, note=note, request=request, **values
        )
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        for name, problems in getattr(error, "message_dict", {"": error.messages}).items():
            form.add_error(name if name in form.fields else None, problems)
        return _detail_page(request, referral, failed=(action, form), status=400)
    messages.success(request, _done_message(moved, action))
    if permissions.view_of(user, moved) is None:
        return redirect("referrals:list")
    return redirect("referrals:detail", pk=moved.pk)


def _done_message(referral: Referral, action: str) -> str:
    if action == EventAction.TRANSFER:
        return _("Referral %(reference)s was sent to %(district)s.") % {
            "reference": referral.reference,
            "district": referral.assigned_office.name,
        }
    if action == EventAction.NOTE:
        return _("The note is saved.")
    return _("Referral %(reference)s is now “%(status)s”.") % {
        "reference": referral.reference,
        "status": Status(referral.status).label,
    }


@login_required
@never_cache
@require_GET
def printable_summary(request: HttpRequest, pk: Any) -> HttpResponse:
    """The printable summary for the officer's case file: officers over its office (and break
    the glass, reading) only."""
    referral = _visible(request, pk)
    if permissions.view_of(request.user, referral) != View.OFFICER:
        raise Http404
    pdf = summary_pdf(referral, user=request.user, target=target_text(referral.urgency))
    _read(request, referral=referral, what="summary_pdf", action=Action.RECORD_EXPORTED)
    response = HttpResponse(pdf, content_type="application/pdf", headers={"X-Robots-Tag": "none"})
    response["Content-Disposition"] = f'inline; filename="{summary_filename(referral)}"'
    return response
