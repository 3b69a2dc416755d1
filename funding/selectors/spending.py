"""The payments of a project."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from funding.models import FundingProject, Spending


def project_spendings(*, project: FundingProject) -> QuerySet[Spending]:
    return (
        Spending.objects.filter(budget_line__project=project)
        .select_related("budget_line", "created_by", "settlement__organisation")
        .order_by("date", "id")
    )


def spending_get(*, project: FundingProject, spending_id: int) -> Spending:
    return get_object_or_404(
        Spending.objects.filter(budget_line__project=project).select_related(
            "budget_line", "created_by", "settlement__organisation"
        ),
        pk=spending_id,
    )
