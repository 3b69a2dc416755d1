"""The equipment list: add, correct and delete a row."""

from __future__ import annotations

from functools import partial

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from accounts import roles
from core.permissions import permission_required
from funding.forms.procurement import ProcurementItemEditForm, ProcurementItemForm
from funding.models import FundingProject, ProcurementItem
from funding.money import money
from funding.selectors.procurement import procurement_item_get
from funding.selectors.projects import project_get
from funding.services.procurement import procurement_item_create, procurement_item_delete, procurement_item_update

from .common import add_flow, bound, delete_flow, form_flow

FIELDS = ("item", "spec", "unit", "quantity", "unit_price", "version")


@permission_required(roles.MANAGE_FUNDING)
def procurement_create(request: HttpRequest, project_id: int) -> HttpResponse:
    project = project_get(project_id=project_id)
    form = bound(request, ProcurementItemForm, project=project)
    return add_flow(
        request, project, form, procurement_item_create, title=_("添加采购设备"), done=_("采购设备已添加。")
    )


@permission_required(roles.MANAGE_FUNDING)
def procurement_edit(request: HttpRequest, project_id: int, item_id: int) -> HttpResponse:
    project = project_get(project_id=project_id)
    item = procurement_item_get(project=project, item_id=item_id)
    initial = {"budget_line": item.budget_line_id, **{name: getattr(item, name) for name in FIELDS}}
    return form_flow(
        request,
        project=project,
        form=bound(request, ProcurementItemEditForm, initial=initial, project=project),
        save=lambda data: procurement_item_update(procurement_item=item, actor=request.user, **data),
        done=_("采购设备已保存。"),
        title=_("修改采购设备"),
        refresh=lambda: {"project": project},
    )


def _delete_context(project: FundingProject, item: ProcurementItem) -> dict:
    return {
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
        "button": _("确认删除"),
    }


@permission_required(roles.MANAGE_FUNDING)
def procurement_delete(request: HttpRequest, project_id: int, item_id: int) -> HttpResponse:
    project = project_get(project_id=project_id)
    item = procurement_item_get(project=project, item_id=item_id)
    return delete_flow(
        request,
        project,
        item,
        reload=lambda: procurement_item_get(project=project, item_id=item_id),
        delete=partial(procurement_item_delete, procurement_item=item, actor=request.user),
        context=partial(_delete_context, project),
        done=_("采购设备已删除。"),
    )
