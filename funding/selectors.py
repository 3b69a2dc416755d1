"""Reads of funding: the computed totals and the performance targets measured from live data.

Which target metrics are live (computed from the project's school and year):

- ``teachers_trained``: accounts.StaffQualification rows of the school obtained in the year;
- ``pilots``: pilots.Pilot of the school and year that were granted (approved, running, finished);
- ``participants``: students.Enrolment in those pilots;
- ``pass_rate`` and ``certificates``: not yet measurable (results and certificates are not built);
  the page shows "尚无数据" and the target's status is "not yet measurable".
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet, Sum
from django.shortcuts import get_object_or_404

from accounts.models import StaffQualification
from pilots.models import Pilot, PilotStatus
from students.models import Enrolment

from .models import BudgetLine, Comparison, FundingProject, Metric, PerformanceTarget, ProcurementItem, Spending

ZERO = Decimal("0.00")
FEN = Decimal("0.01")
TENTH = Decimal("0.1")


def projects_list() -> QuerySet[FundingProject]:
    return FundingProject.objects.annotate(budget=Sum("lines__amount")).order_by("-year", "name", "id")


def project_get(*, project_id: int) -> FundingProject:
    return get_object_or_404(FundingProject.objects.select_related("school"), pk=project_id)


def project_lines(*, project: FundingProject) -> QuerySet[BudgetLine]:
    return BudgetLine.objects.filter(project=project).order_by("category", "sub_project", "id")


def project_procurement(*, project: FundingProject) -> QuerySet[ProcurementItem]:
    return ProcurementItem.objects.filter(project=project).select_related("budget_line").order_by("id")


def project_spendings(*, project: FundingProject) -> QuerySet[Spending]:
    return (
        Spending.objects.filter(budget_line__project=project)
        .select_related("budget_line", "created_by")
        .order_by("date", "id")
    )


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """part / whole as a percentage with one decimal; None when whole is zero (printed "—")."""
    if not whole:
        return None
    return (part * 100 / whole).quantize(TENTH, rounding=ROUND_HALF_UP)


@dataclass
class LineTotals:
    line: BudgetLine
    spent: Decimal
    remaining: Decimal
    percent_used: Decimal | None

    @property
    def overspent(self) -> bool:
        return self.remaining < 0


@dataclass
class CategoryTotals:
    category: str
    lines: list[LineTotals] = field(default_factory=list)
    budget: Decimal = ZERO
    spent: Decimal = ZERO


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


# --- performance targets -----------------------------------------------------------------------

MET = "met"
NOT_MET = "not_met"
NOT_MEASURABLE = "not_measurable"

GRANTED = (PilotStatus.APPROVED, PilotStatus.RUNNING, PilotStatus.FINISHED)
LIVE_METRICS = frozenset({Metric.TEACHERS_TRAINED, Metric.PILOTS, Metric.PARTICIPANTS})


def _granted_pilots(project: FundingProject) -> QuerySet[Pilot]:
    return Pilot.objects.filter(school_id=project.school_id, year=project.year, status__in=GRANTED)


def metric_actual(*, project: FundingProject, metric: str) -> Decimal | None:
    """The live value of one metric for the project's school and year; None when not measurable."""
    if metric == Metric.TEACHERS_TRAINED:
        count = StaffQualification.objects.filter(school_id=project.school_id, obtained_on__year=project.year).count()
    elif metric == Metric.PILOTS:
        count = _granted_pilots(project).count()
    elif metric == Metric.PARTICIPANTS:
        count = Enrolment.objects.filter(pilot__in=_granted_pilots(project)).count()
    else:  # pass rate and certificates: results and certificates are not recorded yet
        return None
    return Decimal(count)


def compare(actual: Decimal, comparison: str, target: Decimal) -> bool:
    if comparison == Comparison.GTE:
        return actual >= target
    if comparison == Comparison.GT:
        return actual > target
    return actual <= target


@dataclass
class TargetActual:
    target: PerformanceTarget
    actual: Decimal | None
    status: str

    @property
    def is_met(self) -> bool:
        return self.status == MET

    @property
    def is_measurable(self) -> bool:
        return self.status != NOT_MEASURABLE


def target_actuals(project: FundingProject) -> list[TargetActual]:
    rows = []
    for target in PerformanceTarget.objects.filter(project=project).order_by("id"):
        actual = metric_actual(project=project, metric=target.metric)
        if actual is None:
            status = NOT_MEASURABLE
        else:
            status = MET if compare(actual, target.comparison, target.target) else NOT_MET
        rows.append(TargetActual(target=target, actual=actual, status=status))
    return rows
