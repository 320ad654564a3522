"""The district booklet on the web (docs/security.md "Booklets"): the public list and downloads
of the booklets made so far, and the officers' page that asks for a new one and follows it being
made by the background worker."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, re_path
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from direktori.areas.models import Area

from .. import services
from ..models import BookletBuild, Language, Paper
from ..permissions import districts_of, may_build

#: Seconds between refreshes of a status page while its booklet is being made.
REFRESH_SECONDS = 3
#: How many of the area's recent builds the officers' page lists.
RECENT_BUILDS = 20


class BookletRequestForm(forms.Form):
    district = forms.ModelChoiceField(
        label=gettext_lazy("District"), queryset=Area.objects.none(), to_field_name="code"
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language"), choices=Language.choices, widget=forms.RadioSelect
    )
    paper = forms.ChoiceField(
        label=gettext_lazy("Paper size"), choices=Paper.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, districts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["district"]
        field.queryset = districts
        if districts.count() == 1:
            field.empty_label = None


def _published() -> list[tuple[Area, list[BookletBuild]]]:
    """Each district with a booklet, and its booklets: the newest per language and paper."""
    latest: dict[tuple[int, str, str], BookletBuild] = {}
    for build in BookletBuild.objects.published().order_by("finished_at"):
        latest[(build.district_id, build.language, build.paper)] = build
    by_district: dict[int, tuple[Area, list[BookletBuild]]] = {}
    for build in sorted(latest.values(), key=lambda b: (b.district.path, b.language, b.paper)):
        by_district.setdefault(build.district_id, (build.district, []))[1].append(build)
    return list(by_district.values())


@require_GET
def booklet_list(request: HttpRequest) -> HttpResponse:
    return render(request, "publishing/booklet_list.html", {"districts": _published()})


@require_GET
def booklet_download(request: HttpRequest, code: str, language: str, paper: str) -> FileResponse:
    district = get_object_or_404(Area.objects.districts(), code=code)
    build = (
        BookletBuild.objects.published()
        .for_key(district, language, paper)
        .order_by("-finished_at")
        .first()
    )
    if build is None:
        raise Http404
    try:
        pdf = build.pdf.open("rb")
    except OSError as missing:
        raise Http404 from missing
    response = FileResponse(
        pdf, as_attachment=True, filename=build.file_name, content_type="application/pdf"
    )
    response["Cache-Control"] = "public, max-age=600"
    return response


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def booklet_request(request: HttpRequest) -> HttpResponse:
    if not may_build(request.user):
        raise Http404
    districts = districts_of(request.user).order_by("path")
    initial = {"language": "en" if (get_language() or "").startswith("en") else "ms", "paper": "a5"}
    form = BookletRequestForm(request.POST or None, districts=districts, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            requested = services.booklet_request(
                district=form.cleaned_data["district"],
                language=form.cleaned_data["language"],
                paper=form.cleaned_data["paper"],
                requested_by=request.user,
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.info(request, _outcome_message(requested.outcome))
            return redirect("publishing:booklet_status", pk=requested.build.pk)
    builds = BookletBuild.objects.visible_to(request.user).select_related("district")
    context = {"form": form, "builds": builds[:RECENT_BUILDS], "has_districts": districts.exists()}
    return render(request, "publishing/booklet_request.html", context)


def _outcome_message(outcome: str) -> str:
    if outcome == "unchanged":
        return _(
            "Nothing in the directory has changed since this booklet was made, so it was not "
            "made again: download it below."
        )
    if outcome == "in_progress":
        return _("This booklet is already being made; follow it below.")
    return _("The booklet will be made in the background; this page follows it.")


@login_required
@never_cache
@require_GET
def booklet_status(request: HttpRequest, pk: str) -> HttpResponse:
    if not may_build(request.user):
        raise Http404
    services.booklet_builds_expire()
    build = get_object_or_404(
        BookletBuild.objects.visible_to(request.user).select_related("district"), pk=pk
    )
    context = {"build": build, "refresh_seconds": REFRESH_SECONDS}
    return render(request, "publishing/booklet_status.html", context)


urlpatterns: list[URLPattern] = [
    path("buku/", booklet_list, name="booklet_list"),
    re_path(
        r"^buku/(?P<code>[0-9A-Za-z_]+)/(?P<language>ms|en)-(?P<paper>a5|a4)\.pdf$",
        booklet_download,
        name="booklet_download",
    ),
    path("akaun/buku/", booklet_request, name="booklet_request"),
    path("akaun/buku/<uuid:pk>/", booklet_status, name="booklet_status"),
]
