"""The equipment list of a project."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from funding.models import FundingProject, ProcurementItem


def project_procurement(*, project: FundingProject) -> QuerySet[ProcurementItem]:
    return ProcurementItem.objects.filter(project=project).select_related("budget_line").order_by("id")


def procurement_item_get(*, project: FundingProject, item_id: int) -> ProcurementItem:
    return get_object_or_404(ProcurementItem.objects.filter(project=project).select_related("budget_line"), pk=item_id)
