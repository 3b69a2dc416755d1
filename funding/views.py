"""Funding pages: all of them are the school admin's (roles.MANAGE_FUNDING), reads included."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.selectors import current_school
from core.jobs import job_create
from core.permissions import permission_required
from core.views import ExportView

from .forms import BudgetLineForm, ProcurementItemForm, ProjectForm, SpendingForm, TargetForm, TargetReportForm
from .selectors import (
    pass_rate,
    project_get,
    project_procurement,
    project_spendings,
    project_totals,
    projects_list,
    target_actuals,
    target_get,
)
from .services import (
    budget_line_create,
    performance_target_create,
    procurement_item_create,
    project_create,
    project_update,
    spending_create,
    target_report,
)
from .spreadsheets import BudgetExporter
from .tasks import render_plan_pdf


@permission_required(roles.MANAGE_FUNDING)
def project_list(request: HttpRequest) -> HttpResponse:
    return render(request, "funding/project_list.html", {"projects": projects_list()})


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
    }
    return render(request, "funding/project_detail.html", context)


def _form_page(request: HttpRequest, form: Any, title: str, project: Any = None, status: int = 200) -> HttpResponse:
    return render(request, "funding/form.html", {"form": form, "title": title, "project": project}, status=status)


@permission_required(roles.MANAGE_FUNDING)
def project_create_view(request: HttpRequest) -> HttpResponse:
    form = ProjectForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                project = project_create(school=current_school(request), **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("专项资金项目已创建。"))
                return redirect("funding:project_detail", project_id=project.pk)
        return _form_page(request, form, _("新建专项资金项目"), status=400)
    return _form_page(request, form, _("新建专项资金项目"))


@permission_required(roles.MANAGE_FUNDING)
def project_edit(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get(project_id=project_id)
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST":
        if form.is_valid():
            try:
                project_update(project=project_get(project_id=project_id), **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("项目已保存。"))
                return redirect("funding:project_detail", project_id=project.pk)
        return _form_page(request, form, _("编辑项目"), project, status=400)
    return _form_page(request, form, _("编辑项目"), project)


def _child_form(
    request: HttpRequest,
    project_id: int,
    *,
    form_class: type,
    title: str,
    save: Any,
    done: str,
    with_project: bool = False,
) -> HttpResponse:
    """GET shows the form; POST validates it, calls the service and returns to the project."""
    project = project_get(project_id=project_id)
    extra = {"project": project} if with_project else {}
    form = form_class(request.POST or None, **extra)
    if request.method == "POST":
        if form.is_valid():
            try:
                save(project, form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, done)
                return redirect("funding:project_detail", project_id=project.pk)
        return _form_page(request, form, title, project, status=400)
    return _form_page(request, form, title, project)


@permission_required(roles.MANAGE_FUNDING)
def line_create(request: HttpRequest, project_id: int) -> HttpResponse:
    return _child_form(
        request,
        project_id,
        form_class=BudgetLineForm,
        title=_("添加预算明细"),
        save=lambda project, data: budget_line_create(project=project, **data),
        done=_("预算明细已添加。"),
    )


@permission_required(roles.MANAGE_FUNDING)
def procurement_create(request: HttpRequest, project_id: int) -> HttpResponse:
    return _child_form(
        request,
        project_id,
        form_class=ProcurementItemForm,
        title=_("添加采购设备"),
        save=lambda project, data: procurement_item_create(project=project, **data),
        done=_("采购设备已添加。"),
        with_project=True,
    )


@permission_required(roles.MANAGE_FUNDING)
def spending_create_view(request: HttpRequest, project_id: int) -> HttpResponse:
    return _child_form(
        request,
        project_id,
        form_class=SpendingForm,
        title=_("登记支出"),
        save=lambda project, data: spending_create(actor=request.user, **data),
        done=_("支出已登记。"),
        with_project=True,
    )


@permission_required(roles.MANAGE_FUNDING)
def target_create(request: HttpRequest, project_id: int) -> HttpResponse:
    return _child_form(
        request,
        project_id,
        form_class=TargetForm,
        title=_("添加绩效目标"),
        save=lambda project, data: performance_target_create(project=project, **data),
        done=_("绩效目标已添加。"),
    )


@permission_required(roles.MANAGE_FUNDING)
def target_report_view(request: HttpRequest, project_id: int, target_id: int) -> HttpResponse:
    project = project_get(project_id=project_id)
    target = target_get(project=project, target_id=target_id)
    title = _("填报实际值：%(name)s") % {"name": target.label}
    initial = {"value": target.reported_value, "evidence_note": target.evidence_note}
    form = TargetReportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                target_report(
                    target=target,
                    value=form.cleaned_data["value"],
                    evidence_note=form.cleaned_data["evidence_note"],
                    evidence_file=form.cleaned_data["evidence_file"],
                    actor=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("实际值已填报。"))
                return redirect("funding:project_detail", project_id=project.pk)
        return _form_page(request, form, title, project, status=400)
    return _form_page(request, form, title, project)


@permission_required(roles.MANAGE_FUNDING)
def target_evidence(request: HttpRequest, project_id: int, target_id: int) -> HttpResponse:
    target = target_get(project=project_get(project_id=project_id), target_id=target_id)
    if not target.evidence_file:
        raise Http404
    name = target.evidence_file.name.rsplit("/", 1)[-1]
    return FileResponse(target.evidence_file.open("rb"), as_attachment=True, filename=name)


@permission_required(roles.MANAGE_FUNDING)
@require_POST
def plan_pdf(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get(project_id=project_id)
    job = job_create(
        owner=request.user,
        tenant=request.tenant,
        task=render_plan_pdf,
        kind="funding_plan_pdf",
        title=_("专项资金项目方案 PDF：%(name)s") % {"name": project.name},
        params={"project_id": project.pk},
    )
    return redirect("core:job_detail", job_id=job.pk)


class BudgetExportView(ExportView):
    permission = roles.MANAGE_FUNDING
    exporter_class = BudgetExporter

    def exporter_params(self) -> dict[str, Any]:
        project = project_get(project_id=self.kwargs["project_id"])  # 404 for another school's project
        return {"project_id": project.pk}
