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
from core.feedback import errors_to_messages
from core.jobs import job_create
from core.permissions import permission_required
from core.views import ExportView

from .forms import (
    BudgetLineForm,
    ExamFeeComputeForm,
    ProcurementItemForm,
    ProjectEditForm,
    ProjectForm,
    SpendingForm,
    TargetForm,
    TargetReportForm,
    refreshed_form,
)
from .selectors import (
    exam_fee_preview,
    pass_rate,
    project_events,
    project_get,
    project_procurement,
    project_spendings,
    project_totals,
    projects_list,
    target_actuals,
    target_get,
    target_report_get,
)
from .services import (
    StaleVersionError,
    budget_line_create,
    exam_fee_lines_compute,
    performance_target_create,
    procurement_item_create,
    project_create,
    project_update,
    spending_create,
    target_report,
)
from .spreadsheets import PlanExporter
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
        "log": project_events(project=project),
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
    form = ProjectEditForm(request.POST or None, instance=project)
    if request.method == "POST":
        if form.is_valid():
            try:
                project_update(project=project_get(project_id=project_id), actor=request.user, **form.cleaned_data)
            except StaleVersionError as exc:
                form = refreshed_form(ProjectEditForm, request, exc, instance=project_get(project_id=project_id))
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
        save=lambda project, data: budget_line_create(project=project, actor=request.user, **data),
        done=_("预算明细已添加。"),
    )


@permission_required(roles.MANAGE_FUNDING)
def exam_fee_compute(request: HttpRequest, project_id: int) -> HttpResponse:
    """GET previews the exam-fee lines computed from the pilots; POST (with the preview's signature) writes them."""
    project = project_get(project_id=project_id)
    status = 200
    if request.method == "POST":
        form = ExamFeeComputeForm(request.POST)
        status = 400
        if not form.is_valid():
            messages.error(request, _("请在预览中核对计算结果后再确认。"))
        else:
            try:
                outcome = exam_fee_lines_compute(
                    project=project, actor=request.user, expected=form.cleaned_data["signature"]
                )
            except ValidationError as exc:
                errors_to_messages(request, exc)
            else:
                if outcome.created or outcome.updated or outcome.removed:
                    messages.success(
                        request,
                        _("已按收费标准计算考核费：新增 %(c)s 条，更新 %(u)s 条，删除 %(r)s 条，计算合计 %(t)s 元。")
                        % {"c": outcome.created, "u": outcome.updated, "r": outcome.removed, "t": outcome.total},
                    )
                else:
                    messages.info(request, _("考核费明细已与试点指标和收费标准一致，无需修改。"))
                for note in outcome.notes:
                    messages.warning(request, note)
                return redirect("funding:project_detail", project_id=project.pk)
    # After a refusal the page shows the numbers as they are now, ready to be confirmed again.
    preview = exam_fee_preview(project=project)
    context = {
        "project": project,
        "preview": preview,
        "form": ExamFeeComputeForm(initial={"signature": preview.signature}),
        "budget": project_totals(project=project).budget,
    }
    return render(request, "funding/exam_fees.html", context, status=status)


@permission_required(roles.MANAGE_FUNDING)
def procurement_create(request: HttpRequest, project_id: int) -> HttpResponse:
    return _child_form(
        request,
        project_id,
        form_class=ProcurementItemForm,
        title=_("添加采购设备"),
        save=lambda project, data: procurement_item_create(project=project, actor=request.user, **data),
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
        save=lambda project, data: performance_target_create(project=project, actor=request.user, **data),
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
def target_report_evidence(request: HttpRequest, project_id: int, target_id: int, report_id: int) -> HttpResponse:
    """The evidence of an earlier report (the target itself holds only the latest one)."""
    target = target_get(project=project_get(project_id=project_id), target_id=target_id)
    report = target_report_get(target=target, report_id=report_id)
    if not report.evidence_file:
        raise Http404
    name = report.evidence_file.name.rsplit("/", 1)[-1]
    return FileResponse(report.evidence_file.open("rb"), as_attachment=True, filename=name)


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
    exporter_class = PlanExporter

    def exporter_params(self) -> dict[str, Any]:
        project = project_get(project_id=self.kwargs["project_id"])  # 404 for another school's project
        return {"project_id": project.pk}
