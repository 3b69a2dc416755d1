"""Reads of funding: the computed totals and the performance targets measured from live data.

Which target metrics are live (computed from the project's school and year):

- ``teachers_trained``: accounts.StaffQualification rows of the school obtained in the year;
- ``pilots``: pilots.Pilot of the school and year that were granted (approved, running, finished);
- ``participants``: students.Enrolment in those pilots;
- ``pass_rate``: passed ÷ assessed × 100 (one decimal) over the first attempts (补考 left out) in
  the result sheets of the school's pilots of the year that are in notice (公示中) or final (已结束);
  "assessed" is passed + failed: absentees (缺考) and results not entered are not assessed. With
  nobody assessed the rate is not measurable (the page shows "尚无数据");
- ``certificates``: valid (not revoked, not replaced) IssuedCertificate of the school issued in
  the year; ``certified``: the distinct persons holding them.

Reported targets (kind "reported") are not computed: their actual is the value the admin entered,
not measurable until then.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet, Sum
from django.shortcuts import get_object_or_404

from accounts.models import StaffQualification
from certificates.models import IssuedCertificate, Result, ResultSheet
from pilots.models import Pilot, PilotStatus
from students.models import Enrolment

from .models import (
    BudgetLine,
    Comparison,
    FundingProject,
    Metric,
    PerformanceTarget,
    ProcurementItem,
    Spending,
    TargetKind,
)

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
MEASURED_SHEETS = (ResultSheet.Status.NOTICE, ResultSheet.Status.FINAL)


def _granted_pilots(project: FundingProject) -> QuerySet[Pilot]:
    return Pilot.objects.filter(school_id=project.school_id, year=project.year, status__in=GRANTED)


@dataclass
class PassRate:
    passed: int
    assessed: int

    @property
    def rate(self) -> Decimal | None:
        return percent(Decimal(self.passed), Decimal(self.assessed))


def pass_rate(*, project: FundingProject) -> PassRate:
    """First attempts in published sheets (公示中/已结束) of the school's pilots of the year."""
    first = Result.objects.filter(
        sheet__batch__school_id=project.school_id,
        sheet__batch__pilot__year=project.year,
        sheet__status__in=MEASURED_SHEETS,
        is_retake=False,
    )
    passed = first.filter(outcome=Result.Outcome.PASS).count()
    failed = first.filter(outcome=Result.Outcome.FAIL).count()
    return PassRate(passed=passed, assessed=passed + failed)


def _valid_certificates(project: FundingProject) -> QuerySet[IssuedCertificate]:
    return IssuedCertificate.objects.filter(
        school_id=project.school_id, issued_on__year=project.year, status=IssuedCertificate.Status.VALID
    )


def metric_actual(*, project: FundingProject, metric: str) -> Decimal | None:
    """The live value of one metric for the project's school and year; None when not measurable."""
    if metric == Metric.TEACHERS_TRAINED:
        count = StaffQualification.objects.filter(school_id=project.school_id, obtained_on__year=project.year).count()
    elif metric == Metric.PILOTS:
        count = _granted_pilots(project).count()
    elif metric == Metric.PARTICIPANTS:
        count = Enrolment.objects.filter(pilot__in=_granted_pilots(project)).count()
    elif metric == Metric.PASS_RATE:
        return pass_rate(project=project).rate
    elif metric == Metric.CERTIFICATES:
        count = _valid_certificates(project).count()
    elif metric == Metric.CERTIFIED:
        count = _valid_certificates(project).values("person_id").distinct().count()
    else:
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
    detail: str = ""

    @property
    def is_reported(self) -> bool:
        return self.target.kind == TargetKind.REPORTED

    @property
    def is_met(self) -> bool:
        return self.status == MET

    @property
    def is_measurable(self) -> bool:
        return self.status != NOT_MEASURABLE


def target_actuals(project: FundingProject) -> list[TargetActual]:
    rows = []
    for target in PerformanceTarget.objects.filter(project=project).select_related("reported_by").order_by("id"):
        detail = ""
        if target.kind == TargetKind.REPORTED:
            actual = target.reported_value
        elif target.metric == Metric.PASS_RATE:
            rate = pass_rate(project=project)
            actual = rate.rate
            detail = f"{rate.passed}/{rate.assessed}"
        else:
            actual = metric_actual(project=project, metric=target.metric)
        if actual is None:
            status = NOT_MEASURABLE
        else:
            status = MET if compare(actual, target.comparison, target.target) else NOT_MET
        rows.append(TargetActual(target=target, actual=actual, status=status, detail=detail))
    return rows


def target_get(*, project: FundingProject, target_id: int) -> PerformanceTarget:
    return get_object_or_404(PerformanceTarget.objects.filter(project=project), pk=target_id)
