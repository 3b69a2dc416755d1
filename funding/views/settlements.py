"""Settlement statement pages: the school admin and the organisation's reviewer read the same statement
(roles.VIEW_SETTLEMENTS); only the school admin creates one (roles.MANAGE_FUNDING)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.selectors import current_school
from core.feedback import run_action
from core.permissions import permission_required
from core.views import ExportView
from funding.forms.settlements import SettlementCreateForm
from funding.selectors.projects import projects_list
from funding.selectors.settlements import settlement_get, settlement_statement, settlement_suggestions, settlements_list
from funding.services.settlements import settlement_create
from funding.spreadsheets.settlements import SettlementExporter

CANDIDATES_PER_PAGE = 200


@permission_required(roles.VIEW_SETTLEMENTS)
def settlement_list(request: HttpRequest) -> HttpResponse:
    school = current_school(request)
    may_create = request.tenant.has(roles.MANAGE_FUNDING)
    context = {
        "settlements": settlements_list(for_organisation=school is None),
        "for_school": school is not None,
        "suggestions": settlement_suggestions(school=school) if school is not None and may_create else [],
        "may_create": may_create,
    }
    return render(request, "funding/settlements/list.html", context)


@permission_required(roles.MANAGE_FUNDING)
@require_POST
def settlement_create_view(request: HttpRequest) -> HttpResponse:
    form = SettlementCreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择培训评价组织和年度。"))
        return redirect("funding:settlement_list")
    data = form.cleaned_data
    settlement = run_action(
        request,
        lambda: settlement_create(school=current_school(request), actor=request.user, **data),
        _("考核费结算单已生成。"),
    )
    if settlement is None:
        return redirect("funding:settlement_list")
    return redirect("funding:settlement_detail", settlement_id=settlement.pk)


@permission_required(roles.VIEW_SETTLEMENTS)
def settlement_detail(request: HttpRequest, settlement_id: int) -> HttpResponse:
    settlement = settlement_get(settlement_id=settlement_id)
    may_pay = request.tenant.school_id is not None and request.tenant.has(roles.MANAGE_FUNDING)
    statement = settlement_statement(settlement)
    context = {
        "settlement": settlement,
        "statement": statement,
        # The full list is in the .xlsx export; the page shows it a page at a time.
        "page": Paginator(statement.candidates, CANDIDATES_PER_PAGE).get_page(request.GET.get("page")),
        "for_school": request.tenant.school_id is not None,
        "may_pay": may_pay,
        "projects": list(projects_list()) if may_pay else [],
    }
    return render(request, "funding/settlements/detail.html", context)


class SettlementExportView(ExportView):
    permission = roles.VIEW_SETTLEMENTS
    exporter_class = SettlementExporter

    def exporter_params(self) -> dict[str, Any]:
        settlement = settlement_get(settlement_id=self.kwargs["settlement_id"])  # 404 for anyone else's
        return {"settlement_id": settlement.pk}
