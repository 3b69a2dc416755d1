"""The exam-fee computation: a preview (GET), then the lines written as previewed (POST)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts import roles
from core.feedback import run_action
from core.permissions import permission_required
from funding.forms.budget import ExamFeeComputeForm
from funding.models import FundingProject
from funding.selectors.budget import project_totals
from funding.selectors.exam_fees import exam_fee_preview
from funding.selectors.projects import project_get
from funding.services.exam_fees import ExamFeeOutcome, exam_fee_lines_compute

from .common import to_project


def _say(request: HttpRequest, outcome: ExamFeeOutcome) -> None:
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


def _apply(request: HttpRequest, project: FundingProject) -> HttpResponse | None:
    """Write the lines as previewed; None (with the reason as a message) when refused."""
    form = ExamFeeComputeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请在预览中核对计算结果后再确认。"))
        return None
    signature = form.cleaned_data["signature"]
    outcome = run_action(
        request, lambda: exam_fee_lines_compute(project=project, actor=request.user, expected=signature)
    )
    if outcome is None:
        return None
    _say(request, outcome)
    return to_project(project)


@permission_required(roles.MANAGE_FUNDING)
def exam_fee_compute(request: HttpRequest, project_id: int) -> HttpResponse:
    """GET previews the exam-fee lines computed from the pilots; POST (with the preview's signature) writes them."""
    project = project_get(project_id=project_id)
    if request.method == "POST" and (done := _apply(request, project)) is not None:
        return done
    # After a refusal the page shows the numbers as they are now, ready to be confirmed again.
    preview = exam_fee_preview(project=project)
    context = {
        "project": project,
        "preview": preview,
        "form": ExamFeeComputeForm(initial={"signature": preview.signature}),
        "budget": project_totals(project=project).budget,
    }
    return render(request, "funding/exam_fees/preview.html", context, status=400 if request.method == "POST" else 200)
