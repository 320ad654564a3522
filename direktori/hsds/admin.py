from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _

from .forms import ImportUploadForm
from .models import ChangeRecord, ImportUpload
from .uploads import check_upload, confirm_upload


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ChangeRecord)
class ChangeRecordAdmin(ReadOnlyAdmin):
    list_display = ["last_action_date", "resource_type", "resource_id", "field_name", "updated_by"]
    list_filter = ["resource_type", "last_action_type"]
    search_fields = ["=resource_id", "updated_by"]
    date_hierarchy = "last_action_date"


@admin.register(ImportUpload)
class ImportUploadAdmin(admin.ModelAdmin):
    """Upload an HSDS package, read the dry-run report, then confirm: the web face of import_hsds.

    Who may import is the `hsds.add_importupload` permission (HQ administrators)."""

    list_display = ["filename", "created_at", "uploaded_by", "state", "imported_at"]
    list_filter = ["state"]
    list_select_related = ["uploaded_by"]
    fields = ("filename", "created_at", "uploaded_by", "state", "imported_at")
    readonly_fields = fields

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "<uuid:upload_id>/confirm/",
                self.admin_site.admin_view(self.confirm_view),
                name="hsds_importupload_confirm",
            ),
        ]
        return own + super().get_urls()

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = check_upload(
                uploaded_by=request.user,  # type: ignore[arg-type]
                filename=form.cleaned_data["file"].name,
                content=form.cleaned_data["file"].read(),
            )
            return HttpResponseRedirect(reverse("admin:hsds_importupload_change", args=[upload.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import an HSDS package"),
            "form": form,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "hsds/admin/upload.html", context)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        upload = get_object_or_404(ImportUpload.objects.select_related("uploaded_by"), pk=object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import of %(name)s") % {"name": upload.filename},
            "upload": upload,
            "report": upload.report,
            "may_confirm": upload.state == ImportUpload.State.CHECKED
            and self.has_add_permission(request),
        }
        return TemplateResponse(request, "hsds/admin/report.html", context)

    def confirm_view(self, request: HttpRequest, upload_id: str) -> HttpResponse:
        if request.method != "POST" or not self.has_add_permission(request):
            raise PermissionDenied
        # The row lock makes a double click import once: the second waits, then sees IMPORTED.
        with transaction.atomic():
            upload = get_object_or_404(ImportUpload.objects.select_for_update(), pk=upload_id)
            if upload.state != ImportUpload.State.CHECKED:
                messages.error(request, _("This package was already dealt with."))
                return HttpResponseRedirect(
                    reverse("admin:hsds_importupload_change", args=[upload.pk])
                )
            upload = confirm_upload(upload)
        if upload.state == ImportUpload.State.IMPORTED:
            messages.success(request, _("The package was imported."))
        else:
            messages.error(request, _("Nothing was saved: the package could not be imported."))
        return HttpResponseRedirect(reverse("admin:hsds_importupload_change", args=[upload.pk]))
