"""The exam-fee lines computed from the pilots, previewed before they are written.

For each granted pilot of the project's school and year: planned candidates = the pilot's quota
(试点指标), the fee = the fee standard of its certificate level with the latest 执行日期 on or
before the project's start date (31 December of the year without one).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from django.utils import translation
from django.utils.translation import gettext as _

from funding.models import BudgetLine, FundingProject, ProcurementItem, Spending
from funding.money import FEN, ZERO
from pilots.models import Cohort, FeeStandard, Pilot

from .budget import level_rank, project_lines
from .projects import granted_pilots

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


def _spent_and_purchased(lines: list[BudgetLine]) -> tuple[dict[int, Decimal], set[int]]:
    """What was paid out of each line, and the lines equipment was bought from."""
    spent = dict(
        Spending.objects.filter(budget_line__in=lines)
        .values("budget_line")
        .annotate(total=Sum("amount"))
        .values_list("budget_line", "total")
    )
    purchased = set(ProcurementItem.objects.filter(budget_line__in=lines).values_list("budget_line", flat=True))
    return spent, purchased


def exam_fee_preview(*, project: FundingProject) -> ExamFeePreview:
    """What computing the exam-fee lines would write, without writing it."""
    on = fee_reference_date(project)
    pilots = list(
        granted_pilots(project)
        .select_related("certificate")
        .annotate(level_rank=level_rank("level"))
        .order_by("certificate__code", "level_rank", "cohort", "id")
    )
    fees = _fees_in_force(pilots, on)
    lines = list(project_lines(project=project))
    computed = {line.pilot_id: line for line in lines if line.pilot_id is not None}
    spent, purchased = _spent_and_purchased(list(computed.values()))
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
