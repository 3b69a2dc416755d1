"""Payments: enter one, remove (撤销) one with a reason from its confirmation page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from accounts import roles
from core.permissions import permission_required
from funding.forms.spending import SpendingForm, SpendingRemoveForm
from funding.models import FundingProject, Spending
from funding.money import money
from funding.selectors.projects import project_get
from funding.selectors.settlements import settlement_paid
from funding.selectors.spending import spending_get
from funding.services.spending import spending_create, spending_remove

from .common import bound, confirm_page, form_flow


@permission_required(roles.MANAGE_FUNDING)
def spending_create_view(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get(project_id=project_id)
    return form_flow(
        request,
        project=project,
        form=bound(request, SpendingForm, project=project),
        save=lambda data: spending_create(actor=request.user, **data),
        done=_("支出已登记。"),
        title=_("登记支出"),
    )


def _remove_context(project: FundingProject, spending: Spending) -> dict:
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
    return {
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
        "button": _("确认撤销"),
    }


@permission_required(roles.MANAGE_FUNDING)
def spending_remove_view(request: HttpRequest, project_id: int, spending_id: int) -> HttpResponse:
    project = project_get(project_id=project_id)
    spending = spending_get(project=project, spending_id=spending_id)
    return form_flow(
        request,
        project=project,
        form=bound(request, SpendingRemoveForm),
        save=lambda data: spending_remove(spending=spending, actor=request.user, reason=data["reason"]),
        done=_("支出已撤销。"),
        page=lambda form, status=200: confirm_page(
            request, {**_remove_context(project, spending), "form": form}, status
        ),
    )
