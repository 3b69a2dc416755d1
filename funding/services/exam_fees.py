"""The exam-fee lines computed from the pilots (quota × the fee standard in force), never typed.

All or nothing: if one granted pilot has no fee standard in force, nothing is written. Lines typed by
hand are never touched; computed lines are created, updated or deleted as the pilots now ask.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from accounts.models import User
from funding.history import log
from funding.models import BudgetLine, FundingProject
from funding.money import as_text, money
from funding.selectors.exam_fees import CREATE, EXAM_FEE_CATEGORY, UPDATE, ExamFeePreview, exam_fee_preview


@dataclass
class ExamFeeOutcome:
    """What computing the exam-fee lines did, for the page's messages."""

    created: int = 0
    updated: int = 0
    removed: int = 0
    total: Decimal = Decimal("0.00")
    notes: list[str] = field(default_factory=list)
    changes: list[dict[str, str]] = field(default_factory=list)  # each line's old and new amount


def _check_preview(preview: ExamFeePreview, expected: str) -> None:
    if preview.missing:
        names = "、".join(row.sub_project for row in preview.missing)
        raise ValidationError(
            _("以下试点截至 %(date)s 尚无生效的收费标准，未计算任何考核费：%(names)s。请培训评价组织先维护收费标准。")
            % {"date": preview.reference_date.isoformat(), "names": names},
            code="no_fee",
        )
    if expected and expected != preview.signature:
        raise ValidationError(
            _("预览之后试点指标或收费标准有变化，未作修改。请核对新的计算结果后再确认。"), code="stale"
        )


def _write_rows(project: FundingProject, preview: ExamFeePreview, outcome: ExamFeeOutcome) -> None:
    """Create and update the computed lines; note those that fall below what they have spent."""
    for row in preview.rows:
        values = {
            "category": EXAM_FEE_CATEGORY,
            "sub_project": row.sub_project,
            "content": row.content,
            "amount": row.amount,
            "planned_candidates": row.candidates,
            "unit_fee": row.unit_fee,
        }
        if row.action == CREATE:
            BudgetLine.objects.create(project=project, pilot=row.pilot, **values)
            outcome.created += 1
        elif row.action == UPDATE:
            # A new version: an edit form of this line opened before is stale now.
            BudgetLine.objects.filter(pk=row.line.pk).update(**values, version=F("version") + 1)
            outcome.updated += 1
        if row.action in (CREATE, UPDATE):
            old = as_text(row.line.amount) if row.line is not None else ""
            outcome.changes.append({"sub_project": row.sub_project, "old": old, "new": as_text(row.amount)})
        if row.below_spent:
            outcome.notes.append(
                _("%(line)s 计算后预算 %(amount)s 元，低于已支出 %(spent)s 元。")
                % {"line": row.sub_project, "amount": row.amount, "spent": money(row.spent)}
            )


def _remove_leftovers(preview: ExamFeePreview, outcome: ExamFeeOutcome) -> None:
    """Delete the computed lines no pilot asks for; say which were kept, and which gave no line."""
    for row in preview.no_line:
        outcome.notes.append(
            _("%(line)s 的试点指标为 %(n)s 人、收费标准为 %(fee)s 元，金额为 0，未列入预算。")
            % {"line": row.sub_project, "n": row.candidates, "fee": row.unit_fee}
        )
    for line in preview.kept:
        outcome.notes.append(
            _("%(line)s 已不再按试点计算，但已有支出或采购，予以保留（%(amount)s 元）。")
            % {"line": line.sub_project, "amount": line.amount}
        )
    BudgetLine.objects.filter(pk__in=[line.pk for line in preview.removed]).delete()
    outcome.removed = len(preview.removed)
    outcome.changes += [
        {"sub_project": line.sub_project, "old": as_text(line.amount), "new": ""} for line in preview.removed
    ]


def exam_fee_lines_compute(*, project: FundingProject, actor: User | None, expected: str = "") -> ExamFeeOutcome:
    """Write the exam-fee lines of the project from its granted pilots (quota × fee in force).

    Creates the missing lines, updates the changed ones and deletes those no pilot asks for any more,
    unless money was spent or equipment bought on them (kept, and said so). ``expected`` is the
    preview's signature: when given, the numbers must still be those the user saw. A computation
    that changes something writes one audit line listing every line's old and new amount.
    """
    with transaction.atomic():
        # Lock the project and its computed lines: two admins computing at once would both create
        # the line of the same pilot, and a payment entered meanwhile must not land on a deleted line.
        FundingProject.objects.select_for_update().get(pk=project.pk)
        list(BudgetLine.objects.select_for_update().filter(project=project, pilot__isnull=False))
        preview = exam_fee_preview(project=project)
        _check_preview(preview, expected)
        outcome = ExamFeeOutcome(total=preview.total)
        _write_rows(project, preview, outcome)
        _remove_leftovers(preview, outcome)
        if outcome.changes:
            data = {
                "created": outcome.created,
                "updated": outcome.updated,
                "removed": outcome.removed,
                "total": as_text(preview.total),
                "reference_date": as_text(preview.reference_date),
                "lines": outcome.changes,
            }
            log(project, "funding.exam_fees.computed", actor=actor, data=data)
    return outcome
