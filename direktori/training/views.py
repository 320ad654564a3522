"""Programme Pemerkasaan pages under /akaun/latihan/ (docs/security.md, "Programme
Pemerkasaan"). Who may not see a page gets 404; anonymous visitors are sent to sign in. The public
check of a certificate is the one page without an account."""

from __future__ import annotations

import csv
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from direktori.accounts.models import Role, User
from direktori.accounts.permissions import has_role
from direktori.audit.models import Action
from direktori.audit.services import audit_record
from direktori.core.spreadsheets import csv_cell
from direktori.members.models import Membership, Person

from . import services
from .certificates import certificate_filename, certificate_pdf
from .forms import AttendanceForm, NeedsFilterForm, RegisterForm, SessionForm
from .models import Attendance, Topic, TrainingSession
from .permissions import (
    may_manage_session,
    may_manage_sessions,
    may_view_needs,
    may_view_sessions,
    people_visible_q,
)
from .selectors import needs_csv_rows, sessions_annotated, training_needs, training_record

PAGE_SIZE = 20


@login_required
@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    if not may_view_sessions(request.user):
        raise Http404
    past = request.GET.get("when") == "past"
    visible = TrainingSession.objects.visible_to(request.user)
    sessions = sessions_annotated(visible.past() if past else visible.upcoming())
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "past": past,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number),
        "may_manage": may_manage_sessions(request.user),
        "may_view_needs": may_view_needs(request.user),
    }
    return render(request, "training/session_list.html", context)


def _visible_session(request: HttpRequest, pk: object) -> TrainingSession:
    return get_object_or_404(
        TrainingSession.objects.visible_to(request.user).select_related(
            "district", "locality", "created_by"
        ),
        pk=pk,
    )


def _managed_session(request: HttpRequest, pk: object) -> TrainingSession:
    session = _visible_session(request, pk)
    if not may_manage_session(request.user, session):
        raise Http404
    return session


@login_required
@never_cache
@require_GET
def session_detail(request: HttpRequest, pk: object) -> HttpResponse:
    session = _visible_session(request, pk)
    attendances = (
        Attendance.objects.visible_to(request.user)
        .filter(session=session)
        .select_related("person")
        .order_by("person__full_name")
    )
    context = {
        "session": session,
        "topics": session.topics.order_by("position", "code"),
        "attendances": attendances,
        "may_manage": may_manage_session(request.user, session),
    }
    return render(request, "training/session_detail.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest) -> HttpResponse:
    if not may_manage_sessions(request.user):
        raise Http404
    user = cast(User, request.user)
    form = SessionForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(actor=user, request=request, **form.values())
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied as error:
            raise Http404 from error
        else:
            messages.success(request, _("The session is saved. Now register the members."))
            return redirect("training:attendance", pk=session.pk)
    return render(request, "training/session_form.html", {"form": form, "session": None})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: object) -> HttpResponse:
    session = _managed_session(request, pk)
    user = cast(User, request.user)
    # The form gets its own copy: validating a model form changes its instance, and the service
    # compares the session as it is with the changes.
    copy = TrainingSession.objects.get(pk=session.pk)
    form = SessionForm(request.POST or None, instance=copy, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(actor=user, session=session, request=request, **form.values())
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied as error:
            raise Http404 from error
        else:
            messages.success(request, _("The session is changed."))
            return redirect("training:detail", pk=session.pk)
    return render(request, "training/session_form.html", {"form": form, "session": session})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, pk: object) -> HttpResponse:
    """Register members, then tick who attended. Works as a plain form; with htmx, the page's
    panel is swapped in place (the response is the same page)."""
    session = _managed_session(request, pk)
    user = cast(User, request.user)
    rows = list(session.attendances.select_related("person").order_by("person__full_name"))
    action = request.POST.get("action")
    register_form = RegisterForm(
        request.POST if action == "register" else None, user=user, session=session
    )
    attendance_form = AttendanceForm(request.POST if action == "mark" else None, attendances=rows)
    forms: dict[str, RegisterForm | AttendanceForm] = {
        "register": register_form,
        "mark": attendance_form,
    }
    form = forms.get(action or "")
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            if isinstance(form, RegisterForm):
                done = services.attendance_register(
                    actor=user,
                    session=session,
                    people=list(form.cleaned_data["people"]),
                    request=request,
                )
                note = _("%(count)d registered.") % {"count": len(done)}
            else:
                done = services.attendance_record(
                    actor=user, session=session, marks=form.marks(), request=request
                )
                note = _("Attendance saved: %(count)d changed.") % {"count": len(done)}
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, note)
            return redirect("training:attendance", pk=session.pk)
    context = {
        "session": session,
        "rows": rows,
        "register_form": register_form,
        "attendance_form": attendance_form,
        "attendance_fields": [(row, attendance_form[AttendanceForm.name_of(row)]) for row in rows],
    }
    return render(request, "training/attendance.html", context)


def _record_context(request: HttpRequest, person: Person) -> dict[str, Any]:
    record = training_record(person=person, viewer=request.user)
    return {"person": person, "record": record, "required": Topic.objects.required()}


@login_required
@never_cache
@require_GET
def my_record(request: HttpRequest) -> HttpResponse:
    person = Person.objects.filter(user=cast(User, request.user)).first()
    context: dict[str, Any] = {"person": None, "own": True}
    if person is not None:
        context.update(_record_context(request, person))
    if has_role(request.user, Role.CBO_CHAIR) and request.user.organisation_id:  # type: ignore[union-attr]
        context["cbo_needs"] = training_needs(user=request.user).cbos
    return render(request, "training/record.html", context)


@login_required
@never_cache
@require_GET
def person_record(request: HttpRequest, pk: object) -> HttpResponse:
    person = get_object_or_404(Person.objects.filter(people_visible_q(request.user)), pk=pk)
    memberships = Membership.objects.current().filter(person=person).select_related("cbo")
    context = {**_record_context(request, person), "own": False, "memberships": memberships}
    return render(request, "training/record.html", context)


@login_required
@never_cache
@require_GET
def needs(request: HttpRequest) -> HttpResponse:
    if not may_view_needs(request.user):
        raise Http404
    form = NeedsFilterForm(request.GET or None, user=request.user)
    result = training_needs(user=request.user, district=form.chosen_district())
    return render(request, "training/needs.html", {"form": form, "needs": result})


@login_required
@never_cache
@require_GET
def needs_csv(request: HttpRequest) -> HttpResponse:
    if not may_view_needs(request.user):
        raise Http404
    district = NeedsFilterForm(request.GET or None, user=request.user).chosen_district()
    result = training_needs(user=request.user, district=district)
    rows = needs_csv_rows(result)
    audit_record(
        action=Action.RECORD_EXPORTED,
        request=request,
        object_type="training.needs",
        area=district or request.user.area,  # type: ignore[union-attr]
        detail={"members": len(rows) - 2, "district": district.code if district else ""},
    )
    response = HttpResponse(
        content_type="text/csv; charset=utf-8", headers={"X-Robots-Tag": "none"}
    )
    response["Content-Disposition"] = 'attachment; filename="keperluan-latihan.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return response


@login_required
@never_cache
@require_GET
def certificate(request: HttpRequest, number: str) -> HttpResponse:
    attendance = get_object_or_404(
        Attendance.objects.visible_to(request.user)
        .certificate(number)
        .select_related("person", "session__district"),
    )
    pdf = certificate_pdf(attendance)
    audit_record(
        action=Action.RECORD_EXPORTED,
        request=request,
        target=attendance,
        object_type="training.certificate",
        area=attendance.session.district,
        detail={"certificate": attendance.certificate_number, "language": get_language()},
    )
    response = HttpResponse(pdf, content_type="application/pdf", headers={"X-Robots-Tag": "none"})
    filename = certificate_filename(attendance.certificate_number or "")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
def certificate_check(request: HttpRequest, number: str) -> HttpResponse:
    """Public: that a certificate number is genuine, with the holder's initials only."""
    attendance = get_object_or_404(
        Attendance.objects.certificate(number).select_related("person", "session")
    )
    return render(request, "training/check.html", {"attendance": attendance})
