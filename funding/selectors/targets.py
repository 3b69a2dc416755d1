"""Performance targets with their actual values.

Which metrics are live (computed from the project's school and year):

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
not measurable until then; every report is kept (``TargetReport``), the target holds the latest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import StaffQualification
from certificates.models import IssuedCertificate, Result, ResultSheet
from funding.models import Comparison, FundingProject, Metric, PerformanceTarget, TargetKind, TargetReport
from funding.money import percent, plain
from students.models import Enrolment

from .projects import granted_pilots

MET = "met"
NOT_MET = "not_met"
NOT_MEASURABLE = "not_measurable"

MEASURED_SHEETS = (ResultSheet.Status.NOTICE, ResultSheet.Status.FINAL)


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
        count = granted_pilots(project).count()
    elif metric == Metric.PARTICIPANTS:
        count = Enrolment.objects.filter(pilot__in=granted_pilots(project)).count()
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
class EarlierReport:
    """A report a later one replaced, as the history under the target shows it."""

    report: TargetReport

    @property
    def value_text(self) -> str:
        return plain(self.report.value)


@dataclass
class TargetActual:
    target: PerformanceTarget
    actual: Decimal | None
    status: str
    detail: str = ""
    earlier: list[EarlierReport] = field(default_factory=list)  # reports before the latest, newest first

    @property
    def actual_text(self) -> str:
        return plain(self.actual)

    @property
    def target_text(self) -> str:
        return plain(self.target.target)

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
    reports = Prefetch(
        "reports", queryset=TargetReport.objects.select_related("reported_by").order_by("-reported_at", "-id")
    )
    targets = PerformanceTarget.objects.filter(project=project).select_related("reported_by").prefetch_related(reports)
    for target in targets.order_by("id"):
        detail = ""
        earlier: list[EarlierReport] = []
        if target.kind == TargetKind.REPORTED:
            actual = target.reported_value
            # The first is the latest, shown on the target itself.
            earlier = [EarlierReport(report) for report in list(target.reports.all())[1:]]
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
        rows.append(TargetActual(target=target, actual=actual, status=status, detail=detail, earlier=earlier))
    return rows


def target_get(*, project: FundingProject, target_id: int) -> PerformanceTarget:
    return get_object_or_404(PerformanceTarget.objects.filter(project=project), pk=target_id)


def target_report_get(*, target: PerformanceTarget, report_id: int) -> TargetReport:
    return get_object_or_404(TargetReport.objects.filter(target=target), pk=report_id)
