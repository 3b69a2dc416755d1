"""Budget lines and the computed totals of a project: spent, remaining and execution rate per line,
per category and in all. Totals are never stored."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, QuerySet, Sum, When
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from funding.models import BudgetLine, FundingProject, ProcurementItem, Spending
from funding.money import FEN, ZERO, percent
from pilots.models import Level

from .procurement import project_procurement


def level_rank(path: str) -> Case:
    """初级, 中级, 高级 in that order (their codes sort otherwise)."""
    return Case(*(When(**{path: level}, then=rank) for rank, level in enumerate(Level.values, start=1)), default=0)


def project_lines(*, project: FundingProject) -> QuerySet[BudgetLine]:
    """By category; in a category the typed lines first, then the computed ones by certificate and level."""
    return (
        BudgetLine.objects.filter(project=project)
        .annotate(computed=Case(When(pilot__isnull=True, then=0), default=1), level_rank=level_rank("pilot__level"))
        .order_by(
            "category", "computed", "pilot__certificate__code", "level_rank", "pilot__cohort", "sub_project", "id"
        )
    )


def line_get(*, project: FundingProject, line_id: int) -> BudgetLine:
    return get_object_or_404(BudgetLine.objects.filter(project=project), pk=line_id)


@dataclass
class LineUse:
    """What hangs on a line: the edit and delete pages say it before the admin decides."""

    spent: Decimal
    spendings: int
    items: int


def line_use(line: BudgetLine) -> LineUse:
    spendings = Spending.objects.filter(budget_line=line).aggregate(n=Count("id"), total=Sum("amount"))
    return LineUse(
        spent=(spendings["total"] or ZERO).quantize(FEN),
        spendings=spendings["n"],
        items=ProcurementItem.objects.filter(budget_line=line).count(),
    )


def line_basis(line: BudgetLine) -> str:
    """How a computed exam-fee line was computed (计算依据); empty for a typed line."""
    if line.pilot_id is None:
        return ""
    return _("试点指标 %(n)s 人 × 收费标准 %(fee)s 元 = %(amount)s 元") % {
        "n": line.planned_candidates,
        "fee": line.unit_fee,
        "amount": line.amount,
    }


@dataclass
class LineTotals:
    line: BudgetLine
    spent: Decimal
    remaining: Decimal
    percent_used: Decimal | None

    @property
    def overspent(self) -> bool:
        return self.remaining < 0

    @property
    def basis(self) -> str:
        return line_basis(self.line)


@dataclass
class CategoryTotals:
    category: str
    lines: list[LineTotals] = field(default_factory=list)
    budget: Decimal = ZERO
    spent: Decimal = ZERO

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.spent

    @property
    def percent_used(self) -> Decimal | None:
        return percent(self.spent, self.budget)


@dataclass
class ProjectTotals:
    categories: list[CategoryTotals]
    lines: list[LineTotals]
    budget: Decimal
    spent: Decimal
    remaining: Decimal
    percent_used: Decimal | None
    declared_total: Decimal | None
    procurement_total: Decimal

    @property
    def mismatch(self) -> bool:
        """The lines do not add up to the grand total entered for the project."""
        return self.declared_total is not None and self.declared_total != self.budget

    @property
    def difference(self) -> Decimal | None:
        return None if self.declared_total is None else self.budget - self.declared_total


def project_totals(*, project: FundingProject) -> ProjectTotals:
    lines = list(project_lines(project=project).annotate(spent=Sum("spendings__amount")))
    groups: OrderedDict[str, CategoryTotals] = OrderedDict()
    line_totals = []
    for line in lines:
        spent = (line.spent or ZERO).quantize(FEN)
        amount = line.amount.quantize(FEN)
        totals = LineTotals(line=line, spent=spent, remaining=amount - spent, percent_used=percent(spent, amount))
        line_totals.append(totals)
        group = groups.setdefault(line.category, CategoryTotals(category=line.category))
        group.lines.append(totals)
        group.budget += amount
        group.spent += spent
    budget = sum((t.line.amount for t in line_totals), ZERO).quantize(FEN)
    spent = sum((t.spent for t in line_totals), ZERO).quantize(FEN)
    procurement = sum((p.line_total for p in project_procurement(project=project)), ZERO).quantize(FEN)
    return ProjectTotals(
        categories=list(groups.values()),
        lines=line_totals,
        budget=budget,
        spent=spent,
        remaining=budget - spent,
        percent_used=percent(spent, budget),
        declared_total=project.declared_total.quantize(FEN) if project.declared_total is not None else None,
        procurement_total=procurement,
    )
