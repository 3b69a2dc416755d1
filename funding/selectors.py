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
not measurable until then; every report is kept (``TargetReport``), the target holds the latest.

Exam-fee lines (``exam_fee_preview``): for each granted pilot of the school and year, planned
candidates = the pilot's quota (试点指标), the fee = the fee standard of its certificate level with
the latest 执行日期 on or before the project's start date (31 December of the year without one).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Case, Count, Prefetch, QuerySet, Sum, When
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import StaffQualification
from certificates.models import IssuedCertificate, Result, ResultSheet
from pilots.models import Cohort, FeeStandard, Level, Pilot, PilotStatus
from students.models import Enrolment

from .models import (
    BudgetLine,
    Comparison,
    FundingEvent,
    FundingProject,
    Metric,
    PerformanceTarget,
    ProcurementItem,
    Spending,
    TargetKind,
    TargetReport,
)

ZERO = Decimal("0.00")
FEN = Decimal("0.01")
TENTH = Decimal("0.1")


def projects_list() -> QuerySet[FundingProject]:
    return FundingProject.objects.annotate(budget=Sum("lines__amount")).order_by("-year", "name", "id")


def project_get(*, project_id: int) -> FundingProject:
    return get_object_or_404(FundingProject.objects.select_related("school"), pk=project_id)


def _level_rank(path: str) -> Case:
    """初级, 中级, 高级 in that order (their codes sort otherwise)."""
    return Case(*(When(**{path: level}, then=rank) for rank, level in enumerate(Level.values, start=1)), default=0)


def project_lines(*, project: FundingProject) -> QuerySet[BudgetLine]:
    """By category; in a category the typed lines first, then the computed ones by certificate and level."""
    return (
        BudgetLine.objects.filter(project=project)
        .annotate(computed=Case(When(pilot__isnull=True, then=0), default=1), level_rank=_level_rank("pilot__level"))
        .order_by(
            "category", "computed", "pilot__certificate__code", "level_rank", "pilot__cohort", "sub_project", "id"
        )
    )


def project_procurement(*, project: FundingProject) -> QuerySet[ProcurementItem]:
    return ProcurementItem.objects.filter(project=project).select_related("budget_line").order_by("id")


def project_spendings(*, project: FundingProject) -> QuerySet[Spending]:
    return (
        Spending.objects.filter(budget_line__project=project)
        .select_related("budget_line", "created_by", "settlement__organisation")
        .order_by("date", "id")
    )


def line_get(*, project: FundingProject, line_id: int) -> BudgetLine:
    return get_object_or_404(BudgetLine.objects.filter(project=project), pk=line_id)


def procurement_item_get(*, project: FundingProject, item_id: int) -> ProcurementItem:
    return get_object_or_404(ProcurementItem.objects.filter(project=project).select_related("budget_line"), pk=item_id)


def spending_get(*, project: FundingProject, spending_id: int) -> Spending:
    return get_object_or_404(
        Spending.objects.filter(budget_line__project=project).select_related(
            "budget_line", "created_by", "settlement__organisation"
        ),
        pk=spending_id,
    )


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


EVENTS_SHOWN = 20


@dataclass
class EventLog:
    """The latest changes of a project, newest first, and how many older ones are not shown."""

    events: list[FundingEvent]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.events)


def project_events(*, project: FundingProject, limit: int = EVENTS_SHOWN) -> EventLog:
    events = FundingEvent.objects.filter(project=project).select_related("actor").order_by("-at", "-id")
    return EventLog(events=list(events[:limit]), total=events.count())


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

    @property
    def basis(self) -> str:
        """How a computed exam-fee line was computed (计算依据); empty for a typed line."""
        return line_basis(self.line)


def line_basis(line: BudgetLine) -> str:
    if line.pilot_id is None:
        return ""
    return _("试点指标 %(n)s 人 × 收费标准 %(fee)s 元 = %(amount)s 元") % {
        "n": line.planned_candidates,
        "fee": line.unit_fee,
        "amount": line.amount,
    }


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


def plain(value: Decimal | None) -> str:
    """A measured value as people write it: 96.50 -> 96.5, 300.00 -> 300, 91.7 -> 91.7; "" for None."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


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


# --- exam fees computed from the pilots --------------------------------------------------------

EXAM_FEE_CATEGORY = "1+X证书考核"  # the category of the budget table, as the schools write it

CREATE = "create"
UPDATE = "update"
UNCHANGED = "unchanged"
NO_LINE = "no_line"  # quota or fee is 0: an amount of 0 is no budget line
NO_FEE = "no_fee"  # no fee standard in force: the whole computation is refused


def fee_reference_date(project: FundingProject) -> date:
    """The day whose fee standards apply: the project's start, or the last day of its year."""
    return project.start_date or date(project.year, 12, 31)


def _fees_in_force(pilots: list[Pilot], on: date) -> dict[tuple[int, str], FeeStandard]:
    """(certificate, level) -> the fee standard with the latest 执行日期 on or before ``on``."""
    standards = FeeStandard.objects.filter(
        certificate_id__in={p.certificate_id for p in pilots}, effective_from__lte=on
    ).order_by("certificate_id", "level", "-effective_from")
    fees: dict[tuple[int, str], FeeStandard] = {}
    for standard in standards:
        fees.setdefault((standard.certificate_id, standard.level), standard)
    return fees


def exam_fee_label(pilot: Pilot) -> str:
    """The sub-project of a pilot's exam-fee line: certificate and level (and the cohort when social).

    Like the content, it is the plan's text: written in the site's language (the language of the
    document the school files), whoever computes it, so a recompute in English changes nothing.
    """
    with translation.override(settings.LANGUAGE_CODE):
        label = f"{pilot.certificate.name} {pilot.get_level_display()}"
        if pilot.cohort == Cohort.SOCIAL:
            label += _("（%(cohort)s）") % {"cohort": pilot.get_cohort_display()}
    return label[: BudgetLine._meta.get_field("sub_project").max_length]


@dataclass
class ExamFeeRow:
    """One granted pilot: its planned candidates, the fee in force and the line it gives."""

    pilot: Pilot
    candidates: int
    fee: FeeStandard | None
    line: BudgetLine | None  # the computed line the budget holds now for this pilot
    spent: Decimal = ZERO  # already paid out of that line

    @property
    def sub_project(self) -> str:
        return exam_fee_label(self.pilot)

    @property
    def unit_fee(self) -> Decimal | None:
        return None if self.fee is None else self.fee.fee.quantize(FEN)

    @property
    def amount(self) -> Decimal | None:
        return None if self.unit_fee is None else (self.unit_fee * self.candidates).quantize(FEN)

    @property
    def content(self) -> str:
        with translation.override(settings.LANGUAGE_CODE):  # the plan's text, as exam_fee_label
            return _("考核费 %(n)s 人 × %(fee)s 元") % {"n": self.candidates, "fee": self.unit_fee}

    @property
    def action(self) -> str:
        if self.fee is None:
            return NO_FEE
        if not self.amount:
            return NO_LINE
        if self.line is None:
            return CREATE
        line = self.line
        same = (line.planned_candidates, line.unit_fee, line.amount, line.sub_project, line.content) == (
            self.candidates,
            self.unit_fee,
            self.amount,
            self.sub_project,
            self.content,
        )
        return UNCHANGED if same else UPDATE

    @property
    def below_spent(self) -> bool:
        """The update takes the line below what was already paid out of it."""
        return self.action == UPDATE and self.amount is not None and self.amount < self.spent


@dataclass
class ExamFeePreview:
    project: FundingProject
    reference_date: date
    rows: list[ExamFeeRow]
    removed: list[BudgetLine]  # computed lines no pilot asks for any more, deleted on applying
    kept: list[BudgetLine]  # such lines with spending or procurement: kept as they are
    typed: list[BudgetLine]  # the exam-fee lines the admin typed: never touched
    other_budget: Decimal  # every line that is not computed

    @property
    def missing(self) -> list[ExamFeeRow]:
        return [r for r in self.rows if r.action == NO_FEE]

    @property
    def no_line(self) -> list[ExamFeeRow]:
        return [r for r in self.rows if r.action == NO_LINE]

    @property
    def written(self) -> list[ExamFeeRow]:
        return [r for r in self.rows if r.action in (CREATE, UPDATE, UNCHANGED)]

    @property
    def total(self) -> Decimal:
        return sum((r.amount for r in self.written if r.amount is not None), ZERO)

    @property
    def budget_after(self) -> Decimal:
        """The project's budget once applied: typed lines, the computed ones and those kept."""
        return self.other_budget + self.total + sum((line.amount for line in self.kept), ZERO)

    @property
    def has_changes(self) -> bool:
        return bool(self.removed) or any(r.action in (CREATE, UPDATE) for r in self.rows)

    @property
    def signature(self) -> str:
        """A digest of what applying writes: a POST confirms the preview its user saw."""
        parts = [f"{r.pilot.pk}:{r.candidates}:{r.unit_fee}" for r in self.rows]
        parts += [f"-{line.pk}" for line in self.removed]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def exam_fee_preview(*, project: FundingProject) -> ExamFeePreview:
    """What computing the exam-fee lines would write, without writing it."""
    on = fee_reference_date(project)
    pilots = list(
        _granted_pilots(project)
        .select_related("certificate")
        .annotate(level_rank=_level_rank("level"))
        .order_by("certificate__code", "level_rank", "cohort", "id")
    )
    fees = _fees_in_force(pilots, on)
    lines = list(project_lines(project=project))
    computed = {line.pilot_id: line for line in lines if line.pilot_id is not None}
    spent = dict(
        Spending.objects.filter(budget_line__in=computed.values())
        .values("budget_line")
        .annotate(total=Sum("amount"))
        .values_list("budget_line", "total")
    )
    purchased = set(
        ProcurementItem.objects.filter(budget_line__in=computed.values()).values_list("budget_line", flat=True)
    )
    rows = []
    for pilot in pilots:
        line = computed.pop(pilot.pk, None)
        rows.append(
            ExamFeeRow(
                pilot=pilot,
                candidates=pilot.quota or 0,
                fee=fees.get((pilot.certificate_id, pilot.level)),
                line=line,
                spent=spent.get(line.pk, ZERO) if line is not None else ZERO,
            )
        )
    # A pilot no longer granted, and a granted one whose amount is now 0, leave a line behind.
    leftovers = list(computed.values()) + [r.line for r in rows if r.action == NO_LINE and r.line is not None]
    used = [line for line in leftovers if line.pk in spent or line.pk in purchased]
    return ExamFeePreview(
        project=project,
        reference_date=on,
        rows=rows,
        removed=[line for line in leftovers if line not in used],
        kept=used,
        typed=[line for line in lines if line.pilot_id is None and line.category == EXAM_FEE_CATEGORY],
        other_budget=sum((line.amount for line in lines if line.pilot_id is None), ZERO),
    )
