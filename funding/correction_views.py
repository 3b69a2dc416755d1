"""Correction pages of a funding project (roles.MANAGE_FUNDING): edit and delete a typed budget line or
an equipment row, remove a spending. A delete or a removal is a POST from its confirmation page (GET),
which says what will happen before it does."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import roles
from core.feedback import errors_to_form, errors_to_messages
from core.permissions import permission_required

from .correction_services import (
    budget_line_delete,
    budget_line_update,
    check_deletable,
    check_typed,
    procurement_item_delete,
    procurement_item_update,
    spending_remove,
)
from .forms import BudgetLineEditForm, ProcurementItemEditForm, SpendingRemoveForm, VersionForm, refreshed_form
from .models import FundingProject
from .selectors import line_get, line_use, procurement_item_get, project_get, spending_get
from .services import StaleVersionError, money
from .settlement_selectors import settlement_paid


def _to_project(project: FundingProject) -> HttpResponse:
    return redirect("funding:project_detail", project_id=project.pk)


def _edit_page(
    request: HttpRequest, form: forms.Form, title: str, project: FundingProject, intro: str, status: int = 200
) -> HttpResponse:
    context = {"form": form, "title": title, "project": project, "intro": intro}
    return render(request, "funding/form.html", context, status=status)


def _line_intro(line: Any) -> str:
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
    project = project_get(project_id=project_id)
    line = line_get(project=project, line_id=line_id)
    try:
        check_typed(line)
    except ValidationError as exc:
        errors_to_messages(request, exc)
        return _to_project(project)
    title = _("修改预算明细")
    if request.method != "POST":
        initial = {
            "category": line.category,
            "sub_project": line.sub_project,
            "content": line.content,
            "amount": line.amount,
            "version": line.version,
        }
        return _edit_page(request, BudgetLineEditForm(initial=initial), title, project, _line_intro(line))
    form = BudgetLineEditForm(request.POST)
    if form.is_valid():
        try:
            budget_line_update(line=line, actor=request.user, **form.cleaned_data)
        except StaleVersionError as exc:
            form = refreshed_form(BudgetLineEditForm, request, exc)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("预算明细已保存。"))
            return _to_project(project)
    line = line_get(project=project, line_id=line_id)  # as saved now, for the intro
    return _edit_page(request, form, title, project, _line_intro(line), status=400)


def _confirm_page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, "funding/confirm.html", context, status=status)


@permission_required(roles.MANAGE_FUNDING)
def line_delete(request: HttpRequest, project_id: int, line_id: int) -> HttpResponse:
    project = project_get(project_id=project_id)
    line = line_get(project=project, line_id=line_id)
    try:
        check_typed(line)
    except ValidationError as exc:
        errors_to_messages(request, exc)
        return _to_project(project)
    form = VersionForm(request.POST or None, initial={"version": line.version})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                budget_line_delete(line=line, actor=request.user, version=form.cleaned_data["version"])
            except StaleVersionError as exc:
                form = refreshed_form(VersionForm, request, exc)
                line = line_get(project=project, line_id=line_id)
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, _("预算明细已删除。"))
                return _to_project(project)
    blocked = ""
    try:
        check_deletable(line)
    except ValidationError as exc:
        blocked = " ".join(exc.messages)
    use = line_use(line)
    context = {
        "project": project,
        "title": _("删除预算明细"),
        "rows": [
            (_("类别"), line.category),
            (_("子项目"), line.sub_project or "—"),
            (_("建设内容"), line.content),
            (_("预算金额（元）"), money(line.amount)),
            (_("已支出（元）"), use.spent),
        ],
        "notes": [_("删除后预算合计将减少 %(amount)s 元；删除记入变更记录。") % {"amount": money(line.amount)}],
        "blocked": blocked,
        "form": form,
        "button": _("确认删除"),
    }
    return _confirm_page(request, context, status)


@permission_required(roles.MANAGE_FUNDING)
def procurement_edit(request: HttpRequest, project_id: int, item_id: int) -> HttpResponse:
    project = project_get(project_id=project_id)
    item = procurement_item_get(project=project, item_id=item_id)
    title = _("修改采购设备")
    if request.method != "POST":
        initial = {
            "budget_line": item.budget_line_id,
            "item": item.item,
            "spec": item.spec,
            "unit": item.unit,
            "quantity": item.quantity,
            "unit_price": item.unit_price,
            "version": item.version,
        }
        return _edit_page(request, ProcurementItemEditForm(initial=initial, project=project), title, project, "")
    form = ProcurementItemEditForm(request.POST, project=project)
    if form.is_valid():
        try:
            procurement_item_update(procurement_item=item, actor=request.user, **form.cleaned_data)
        except StaleVersionError as exc:
            form = refreshed_form(ProcurementItemEditForm, request, exc, project=project)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("采购设备已保存。"))
            return _to_project(project)
    return _edit_page(request, form, title, project, "", status=400)


@permission_required(roles.MANAGE_FUNDING)
def procurement_delete(request: HttpRequest, project_id: int, item_id: int) -> HttpResponse:
    project = project_get(project_id=project_id)
    item = procurement_item_get(project=project, item_id=item_id)
    form = VersionForm(request.POST or None, initial={"version": item.version})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                procurement_item_delete(procurement_item=item, actor=request.user, version=form.cleaned_data["version"])
            except StaleVersionError as exc:
                form = refreshed_form(VersionForm, request, exc)
                item = procurement_item_get(project=project, item_id=item_id)
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, _("采购设备已删除。"))
                return _to_project(project)
    context = {
        "project": project,
        "title": _("删除采购设备"),
        "rows": [
            (_("设备名称"), item.item),
            (_("规格参数"), item.spec or "—"),
            (_("数量"), f"{item.quantity}{item.unit}"),
            (_("单价（元）"), money(item.unit_price)),
            (_("金额（元）"), item.line_total),
            (_("预算明细"), item.budget_line),
        ],
        "notes": [_("删除后设备购置清单合计将减少 %(amount)s 元；删除记入变更记录。") % {"amount": item.line_total}],
        "blocked": "",
        "form": form,
        "button": _("确认删除"),
    }
    return _confirm_page(request, context, status)


@permission_required(roles.MANAGE_FUNDING)
def spending_remove_view(request: HttpRequest, project_id: int, spending_id: int) -> HttpResponse:
    project = project_get(project_id=project_id)
    spending = spending_get(project=project, spending_id=spending_id)
    form = SpendingRemoveForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                spending_remove(spending=spending, actor=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, _("支出已撤销。"))
                return _to_project(project)
    notes = [
        _("撤销后该预算明细的已支出减少 %(amount)s 元。支出记录将从支出表中删除，其内容和撤销原因保存在变更记录中。")
        % {"amount": money(spending.amount)}
    ]
    if spending.settlement_id:
        paid = settlement_paid(spending.settlement)
        notes.append(
            _(
                "这笔付款登记在考核费结算单“%(settlement)s”上。撤销后结算单将不再列出这笔付款，"
                "已付金额由 %(paid)s 元减为 %(after)s 元；培训评价组织看到的结算单也随之变化。"
            )
            % {"settlement": spending.settlement, "paid": paid, "after": money(paid - spending.amount)}
        )
    context = {
        "project": project,
        "title": _("撤销支出"),
        "rows": [
            (_("支出日期"), spending.date.isoformat()),
            (_("预算明细"), spending.budget_line),
            (_("金额（元）"), money(spending.amount)),
            (_("收款单位"), spending.payee),
            (_("凭证号"), spending.voucher_number or "—"),
            (_("结算单"), spending.settlement or "—"),
            (_("登记人"), spending.created_by or "—"),
        ],
        "notes": notes,
        "blocked": "",
        "form": form,
        "button": _("确认撤销"),
    }
    return _confirm_page(request, context, status)
