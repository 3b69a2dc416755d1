"""A sheet's page and its notice: publishing, objections and their answers, ending (school admin)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from core.feedback import run_action
from core.permissions import permission_required

from ..forms.notice import AnswerForm, ObjectionForm, PublishForm
from ..models import ResultSheet
from ..selectors.results import (
    grid_rows,
    is_school_admin,
    may_write_sheet,
    objection_get,
    sheet_get,
    sheet_objections,
    sheet_summary,
)
from ..services.notice import objection_answer, objection_record, sheet_end, sheet_missing_count, sheet_publish


def _school_admin(request: HttpRequest, sheet: ResultSheet) -> bool:
    return (
        request.tenant is not None
        and request.tenant.school_id is not None
        and is_school_admin(request.user, sheet.batch.school_id)
    )


# --- a sheet ---------------------------------------------------------------------------------


def _sheet_page(request: HttpRequest, sheet: ResultSheet, status: int = 200, **forms: Any) -> HttpResponse:
    admin = _school_admin(request, sheet)
    objections = list(sheet_objections(sheet))
    context = {
        "sheet": sheet,
        "summary": sheet_summary(sheet),
        "missing": sheet_missing_count(sheet) if sheet.status == ResultSheet.Status.ENTERING else 0,
        "objections": objections,
        "is_admin": admin,
        "can_write": request.tenant is not None
        and request.tenant.has(roles.ENTER_RESULTS)
        and may_write_sheet(request.user, sheet),
        "rows": grid_rows(sheet),
        "publish_form": forms.get("publish_form") or PublishForm(initial={"notice_days": sheet.notice_days}),
        "objection_form": forms.get("objection_form") or (ObjectionForm(sheet=sheet) if admin else None),
        "answer_form": AnswerForm(),
        "Status": ResultSheet.Status,
    }
    return render(request, "certificates/results/sheet_detail.html", context, status=status)


@permission_required(None)  # the scoped selector decides (reviewers: from 成绩公示中 on)
def sheet_detail(request: HttpRequest, sheet_id: int) -> HttpResponse:
    return _sheet_page(request, sheet_get(sheet_id=sheet_id))


@permission_required(roles.MANAGE_SCHOOL)
@require_POST
def sheet_publish_view(request: HttpRequest, sheet_id: int) -> HttpResponse:
    sheet = sheet_get(sheet_id=sheet_id)
    form = PublishForm(request.POST)
    if not form.is_valid():
        return _sheet_page(request, sheet, status=400, publish_form=form)
    days = form.cleaned_data["notice_days"]
    run_action(request, lambda: sheet_publish(sheet=sheet, actor=request.user, notice_days=days), _("成绩已发布公示。"))
    return redirect("certificates:sheet_detail", sheet_id=sheet.pk)


@permission_required(roles.MANAGE_SCHOOL)
@require_POST
def sheet_end_view(request: HttpRequest, sheet_id: int) -> HttpResponse:
    sheet = sheet_get(sheet_id=sheet_id)
    run_action(request, lambda: sheet_end(sheet=sheet, actor=request.user), _("公示已结束，成绩已锁定。"))
    return redirect("certificates:sheet_detail", sheet_id=sheet.pk)


@permission_required(roles.MANAGE_SCHOOL)
@require_POST
def objection_create(request: HttpRequest, sheet_id: int) -> HttpResponse:
    sheet = sheet_get(sheet_id=sheet_id)
    form = ObjectionForm(request.POST, sheet=sheet)
    if not form.is_valid():
        return _sheet_page(request, sheet, status=400, objection_form=form)
    data = form.cleaned_data
    run_action(request, lambda: objection_record(sheet=sheet, actor=request.user, **data), _("异议已登记。"))
    return redirect("certificates:sheet_detail", sheet_id=sheet.pk)


@permission_required(roles.MANAGE_SCHOOL)
@require_POST
def objection_answer_view(request: HttpRequest, objection_id: int) -> HttpResponse:
    objection = objection_get(objection_id=objection_id)
    form = AnswerForm(request.POST)
    if form.is_valid():
        answer = form.cleaned_data["answer"]
        run_action(
            request, lambda: objection_answer(objection=objection, actor=request.user, answer=answer), _("答复已记录。")
        )
    else:
        messages.error(request, _("请填写答复内容。"))
    return redirect("certificates:sheet_detail", sheet_id=objection.sheet_id)
