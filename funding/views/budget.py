"""Typed budget lines: add, correct and delete (a computed exam-fee line is only recomputed)."""

from __future__ import annotations

from functools import partial

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from accounts import roles
from core.feedback import errors_to_messages
from core.permissions import permission_required
from funding.forms.budget import BudgetLineEditForm, BudgetLineForm
from funding.models import BudgetLine, FundingProject
from funding.money import money
from funding.selectors.budget import line_get, line_use
from funding.selectors.projects import project_get
from funding.services.budget import (
    budget_line_create,
    budget_line_delete,
    budget_line_update,
    check_deletable,
    check_typed,
)

from .common import add_flow, bound, delete_flow, form_flow, form_page, to_project


@permission_required(roles.MANAGE_FUNDING)
def line_create(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get(project_id=project_id)
    form = bound(request, BudgetLineForm)
    return add_flow(request, project, form, budget_line_create, title=_("添加预算明细"), done=_("预算明细已添加。"))


def _typed_line(request: HttpRequest, project_id: int, line_id: int) -> tuple[FundingProject, BudgetLine, bool]:
    """The project and its line; False (with the reason as a message) for a computed line."""
    project = project_get(project_id=project_id)
    line = line_get(project=project, line_id=line_id)
    try:
        check_typed(line)
    except ValidationError as exc:
        errors_to_messages(request, exc)
        return project, line, False
    return project, line, True


def _line_intro(line: BudgetLine) -> str:
    use = line_use(line)
    return _("“%(line)s”当前预算 %(amount)s 元，已支出 %(spent)s 元（%(n)s 笔），采购设备 %(items)s 项。") % {
        "line": line,
        "amount": money(line.amount),
        "spent": use.spent,
        "n": use.spendings,
        "items": use.items,
    }


@permission_required(roles.MANAGE_FUNDING)
def line_edit(request: HttpRequest, project_id: int, line_id: int) -> HttpResponse:
    project, line, typed = _typed_line(request, project_id, line_id)
    if not typed:
        return to_project(project)
    initial = {name: getattr(line, name) for name in ("category", "sub_project", "content", "amount", "version")}

    def page(form: BudgetLineEditForm, status: int = 200) -> HttpResponse:
        current = line_get(project=project, line_id=line_id)  # as saved now, for the intro
        return form_page(request, form, _("修改预算明细"), project, intro=_line_intro(current), status=status)

    return form_flow(
        request,
        project=project,
        form=bound(request, BudgetLineEditForm, initial=initial),
        save=lambda data: budget_line_update(line=line, actor=request.user, **data),
        done=_("预算明细已保存。"),
        page=page,
    )


def _delete_context(project: FundingProject, line: BudgetLine) -> dict:
    blocked = ""
    try:
        check_deletable(line)
    except ValidationError as exc:
        blocked = " ".join(exc.messages)
    return {
        "project": project,
        "title": _("删除预算明细"),
        "rows": [
            (_("类别"), line.category),
            (_("子项目"), line.sub_project or "—"),
            (_("建设内容"), line.content),
            (_("预算金额（元）"), money(line.amount)),
            (_("已支出（元）"), line_use(line).spent),
        ],
        "notes": [_("删除后预算合计将减少 %(amount)s 元；删除记入变更记录。") % {"amount": money(line.amount)}],
        "blocked": blocked,
        "button": _("确认删除"),
    }


@permission_required(roles.MANAGE_FUNDING)
def line_delete(request: HttpRequest, project_id: int, line_id: int) -> HttpResponse:
    project, line, typed = _typed_line(request, project_id, line_id)
    if not typed:
        return to_project(project)
    return delete_flow(
        request,
        project,
        line,
        reload=lambda: line_get(project=project, line_id=line_id),
        delete=partial(budget_line_delete, line=line, actor=request.user),
        context=partial(_delete_context, project),
        done=_("预算明细已删除。"),
    )
