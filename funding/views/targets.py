"""Performance targets: add one, report a reported target's value, download the evidence."""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from accounts import roles
from core.permissions import permission_required
from funding.forms.targets import TargetForm, TargetReportForm
from funding.selectors.projects import project_get
from funding.selectors.targets import target_get, target_report_get
from funding.services.targets import performance_target_create, target_report

from .common import add_flow, bound, form_flow


@permission_required(roles.MANAGE_FUNDING)
def target_create(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get(project_id=project_id)
    form = bound(request, TargetForm)
    return add_flow(
        request, project, form, performance_target_create, title=_("添加绩效目标"), done=_("绩效目标已添加。")
    )


@permission_required(roles.MANAGE_FUNDING)
def target_report_view(request: HttpRequest, project_id: int, target_id: int) -> HttpResponse:
    project = project_get(project_id=project_id)
    target = target_get(project=project, target_id=target_id)
    initial = {"value": target.reported_value, "evidence_note": target.evidence_note}
    return form_flow(
        request,
        project=project,
        form=bound(request, TargetReportForm, initial=initial),
        save=lambda data: target_report(target=target, actor=request.user, **data),
        done=_("实际值已填报。"),
        title=_("填报实际值：%(name)s") % {"name": target.label},
    )


def _download(file: FieldFile) -> FileResponse:
    if not file:
        raise Http404
    return FileResponse(file.open("rb"), as_attachment=True, filename=file.name.rsplit("/", 1)[-1])


@permission_required(roles.MANAGE_FUNDING)
def target_evidence(request: HttpRequest, project_id: int, target_id: int) -> HttpResponse:
    target = target_get(project=project_get(project_id=project_id), target_id=target_id)
    return _download(target.evidence_file)


@permission_required(roles.MANAGE_FUNDING)
def target_report_evidence(request: HttpRequest, project_id: int, target_id: int, report_id: int) -> HttpResponse:
    """The evidence of an earlier report (the target itself holds only the latest one)."""
    target = target_get(project=project_get(project_id=project_id), target_id=target_id)
    return _download(target_report_get(target=target, report_id=report_id).evidence_file)
