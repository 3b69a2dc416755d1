"""The project list, a project's page (with its change log), its header and its plan exports."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.selectors import current_school
from core.feedback import job_started
from core.permissions import permission_required
from core.views import ExportView
from funding.forms.projects import ProjectEditForm, ProjectForm
from funding.selectors.budget import project_totals
from funding.selectors.procurement import project_procurement
from funding.selectors.projects import project_get, project_history, projects_list
from funding.selectors.spending import project_spendings
from funding.selectors.targets import pass_rate, target_actuals
from funding.services.projects import project_create, project_update
from funding.spreadsheets.plan import PlanExporter
from funding.tasks import render_plan_pdf

from .common import bound, form_flow


@permission_required(roles.MANAGE_FUNDING)
def project_list(request: HttpRequest) -> HttpResponse:
    return render(request, "funding/projects/list.html", {"projects": projects_list()})


@permission_required(roles.MANAGE_FUNDING)
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get(project_id=project_id)
    context = {
        "project": project,
        "totals": project_totals(project=project),
        "procurement": project_procurement(project=project),
        "spendings": project_spendings(project=project),
        "targets": target_actuals(project),
        "pass_rate": pass_rate(project=project),
        "log": project_history(project=project),
    }
    return render(request, "funding/projects/detail.html", context)


@permission_required(roles.MANAGE_FUNDING)
def project_create_view(request: HttpRequest) -> HttpResponse:
    return form_flow(
        request,
        project=None,
        form=bound(request, ProjectForm),
        save=lambda data: project_create(school=current_school(request), **data),
        done=_("专项资金项目已创建。"),
        title=_("新建专项资金项目"),
    )


@permission_required(roles.MANAGE_FUNDING)
def project_edit(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get(project_id=project_id)
    return form_flow(
        request,
        project=project,
        form=bound(request, ProjectEditForm, instance=project),
        save=lambda data: project_update(project=project_get(project_id=project_id), actor=request.user, **data),
        done=_("项目已保存。"),
        title=_("编辑项目"),
        refresh=lambda: {"instance": project_get(project_id=project_id)},
    )


@permission_required(roles.MANAGE_FUNDING)
@require_POST
def plan_pdf(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get(project_id=project_id)
    return job_started(
        request,
        task=render_plan_pdf,
        kind="funding_plan_pdf",
        title=_("专项资金项目方案 PDF：%(name)s") % {"name": project.name},
        params={"project_id": project.pk},
    )


class BudgetExportView(ExportView):
    permission = roles.MANAGE_FUNDING
    exporter_class = PlanExporter

    def exporter_params(self) -> dict[str, Any]:
        project = project_get(project_id=self.kwargs["project_id"])  # 404 for another school's project
        return {"project_id": project.pk}
