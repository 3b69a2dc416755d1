"""Jobs (one progress page for all), stored-file downloads, and the import/export view bases."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.http import require_POST

from .files import XLSX, stored_file_create
from .jobs import job_create, job_retry, job_status
from .models import StoredFile
from .permissions import PermissionRequiredMixin, permission_required
from .selectors import job_for_user
from .spreadsheets import Exporter, FileRefusedError, Importer
from .tasks import export_spreadsheet, import_spreadsheet


@permission_required(None)
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = job_for_user(user=request.user, job_id=job_id)
    return render(request, "core/job_detail.html", {"job": job, "status": job_status(job)})


@permission_required(None)
def job_status_json(request: HttpRequest, job_id: int) -> JsonResponse:
    job = job_for_user(user=request.user, job_id=job_id)
    return JsonResponse(job_status(job))


@permission_required(None)
def job_download(request: HttpRequest, job_id: int) -> FileResponse:
    job = job_for_user(user=request.user, job_id=job_id)
    if job.result is None:
        raise Http404
    return _file_response(job.result)


@permission_required(None)
@require_POST
def job_retry_view(request: HttpRequest, job_id: int) -> HttpResponse:
    job = job_for_user(user=request.user, job_id=job_id)
    job_retry(job=job)
    return redirect("core:job_detail", job_id=job.pk)


@permission_required(None)
def file_download(request: HttpRequest, file_id: int) -> FileResponse:
    stored = StoredFile.objects.filter(pk=file_id, owner=request.user).first()
    if stored is None:
        raise Http404
    return _file_response(stored)


def _file_response(stored: StoredFile) -> FileResponse:
    if stored.is_expired or not stored.file.storage.exists(stored.file.name):
        raise Http404(_("文件已过期，请重新生成。"))
    return FileResponse(
        stored.file.open("rb"), as_attachment=True, filename=stored.name, content_type=stored.content_type
    )


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel 文件（.xlsx）"))


class ImportView(PermissionRequiredMixin, View):
    """Upload page for one importer. Small files are imported at once; larger ones by a job.

    ``GET ?template=1`` downloads the importer's template.
    """

    importer_class: ClassVar[type[Importer]]
    template_name = "core/import.html"
    success_url: ClassVar[str] = ""
    back_url: ClassVar[str] = ""

    def importer_params(self) -> dict[str, Any]:
        """JSON-serialisable parameters (they travel to the worker)."""
        return {}

    def get_success_url(self) -> str:
        return reverse(self.success_url) if self.success_url else self.request.path

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        importer = self.importer_class(owner_id=request.user.pk, **self.importer_params())
        if request.GET.get("template"):
            response = HttpResponse(importer.template(), content_type=XLSX)
            response["Content-Disposition"] = f'attachment; filename="{importer.filename}"'
            return response
        return self.render_page(importer, UploadForm())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        importer = self.importer_class(owner_id=request.user.pk, **self.importer_params())
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_page(importer, form)
        upload = form.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            form.add_error(
                "file", _("文件超过 %(mb)s MB，请拆分后上传。") % {"mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
            )
            return self.render_page(importer, form)
        data = upload.read()
        try:
            rows = importer.count_rows(data)
        except FileRefusedError as exc:
            form.add_error("file", str(exc))
            return self.render_page(importer, form)
        if rows > settings.IMPORT_MAX_ROWS:  # refused before any job is queued or any row is read
            form.add_error(
                "file",
                _("文件超过每次最多 %(max)s 行数据，请拆分后分批上传。") % {"max": f"{settings.IMPORT_MAX_ROWS:,}"},
            )
            return self.render_page(importer, form)
        if rows > settings.IMPORT_JOB_THRESHOLD_ROWS:
            stored = stored_file_create(
                name=upload.name[:150], content=data, content_type=XLSX, owner_id=request.user.pk
            )
            job = job_create(
                owner=request.user,
                tenant=request.tenant,
                task=import_spreadsheet,
                kind="import",
                title=str(importer.title),
                params={
                    "importer": f"{self.importer_class.__module__}.{self.importer_class.__qualname__}",
                    "params": self.importer_params(),
                    "success_url": self.get_success_url(),
                },
                input_file=stored,
            )
            return redirect("core:job_detail", job_id=job.pk)
        report = importer.run(data)
        if report.ok:
            messages.success(request, report.message)
            return redirect(self.get_success_url())
        error_file = stored_file_create(
            name="errors.xlsx",
            content=importer.error_workbook(data, report),
            content_type=XLSX,
            owner_id=request.user.pk,
        )
        return self.render_page(importer, UploadForm(), report=report, error_file=error_file)

    def render_page(self, importer: Importer, form: forms.Form, **extra: Any) -> HttpResponse:
        context = {
            "importer": importer,
            "form": form,
            "back_url": reverse(self.back_url) if self.back_url else "",
            "max_rows": settings.IMPORT_MAX_ROWS,
            **extra,
        }
        status = 400 if extra.get("report") or form.errors else 200
        return render(self.request, self.template_name, context, status=status)


class ExportView(PermissionRequiredMixin, View):
    """POST starts an export job for ``exporter_class`` and shows its progress page."""

    exporter_class: ClassVar[type[Exporter]]

    def exporter_params(self) -> dict[str, Any]:
        return {}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        job = job_create(
            owner=request.user,
            tenant=request.tenant,
            task=export_spreadsheet,
            kind="export",
            title=str(self.exporter_class.title),
            params={
                "exporter": f"{self.exporter_class.__module__}.{self.exporter_class.__qualname__}",
                "params": self.exporter_params(),
            },
        )
        return redirect("core:job_detail", job_id=job.pk)
