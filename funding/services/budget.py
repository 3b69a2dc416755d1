"""Typed budget lines: create, correct (versioned) and delete; each write is one audit line.

- a computed exam-fee line (``BudgetLine.pilot`` set) is never edited or deleted by hand: it is
  recomputed (``funding.services.exam_fees``);
- an edit or a delete names the ``version`` its form was rendered with; a newer row refuses it and
  says what the other admin saved, so two admins never silently overwrite each other;
- a line's amount lowered below what was already paid out of it needs a confirmation and a reason
  (as an overspend does in ``spending_create``);
- a line with spending or equipment is not deleted; a deleted line lives on in its audit line.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from accounts.models import User
from core.concurrency import bump, check_version
from funding.history import changed, last_change, line_values, log
from funding.models import BudgetLine, FundingProject, ProcurementItem, Spending
from funding.money import ZERO, as_text, money
from funding.selectors.budget import line_basis


def budget_line_create(
    *,
    project: FundingProject,
    category: str,
    content: str,
    amount: Decimal,
    actor: User | None,
    sub_project: str = "",
) -> BudgetLine:
    amount = money(amount)
    if amount <= 0:
        raise ValidationError(_("预算金额须大于 0。"))
    with transaction.atomic():
        line = BudgetLine.objects.create(
            project=project, category=category, sub_project=sub_project, content=content, amount=amount
        )
        log(project, "funding.line.created", actor=actor, data={"line_id": line.pk, "new": line_values(line)})
    return line


def check_typed(line: BudgetLine) -> None:
    """Refuse a computed exam-fee line: it is recomputed, never corrected by hand."""
    if line.pilot_id is not None:
        raise ValidationError(
            _(
                "“%(line)s”按收费标准计算（%(basis)s），不能手工修改或删除。"
                "试点指标或收费标准有变化时，请使用“按收费标准计算考核费”重新计算。"
            )
            % {"line": line, "basis": line_basis(line)},
            code="computed",
        )


def _check_line_version(line: BudgetLine, version: int, outcome: str | None = None) -> None:
    check_version(
        line,
        version,
        saved=_("%(line)s，预算金额 %(amount)s 元") % {"line": line, "amount": money(line.amount)},
        outcome=outcome,
        last=lambda: last_change(line.project, line_id=line.pk),
    )


def _spent(line: BudgetLine) -> Decimal:
    return money(Spending.objects.filter(budget_line=line).aggregate(total=Sum("amount"))["total"] or ZERO)


def budget_line_update(
    *,
    line: BudgetLine,
    actor: User | None,
    version: int,
    category: str,
    content: str,
    amount: Decimal,
    sub_project: str = "",
    confirm_below_spent: bool = False,
    reason: str = "",
) -> BudgetLine:
    """Correct a typed line. Nothing changed: nothing written (no log row, the same version)."""
    amount = money(amount)
    reason = reason.strip()
    with transaction.atomic():
        # The line locked: a payment entered meanwhile (spending_create locks it too) is counted.
        locked = BudgetLine.objects.select_for_update().get(pk=line.pk)
        check_typed(locked)
        _check_line_version(locked, version)
        if amount <= 0:
            raise ValidationError(_("预算金额须大于 0。"))
        before = line_values(locked)
        locked.category, locked.sub_project, locked.content, locked.amount = category, sub_project, content, amount
        if not changed(before, line_values(locked))["new"]:
            return locked
        spent = _spent(locked)
        below = amount != Decimal(before["amount"]) and amount < spent
        if below and not (confirm_below_spent and reason):
            raise ValidationError(
                _(
                    "预算金额调为 %(amount)s 元，低于该明细已支出的 %(spent)s 元（相差 %(short)s 元）。"
                    "如确需调低，请勾选确认并填写原因。"
                )
                % {"amount": amount, "spent": spent, "short": money(spent - amount)},
                code="below_spent",
            )
        bump(locked)
        locked.save(update_fields=["category", "sub_project", "content", "amount", "version"])
        data = {"line_id": locked.pk, "old": before, "new": line_values(locked)}
        if below:
            data.update(spent=as_text(spent), reason=reason)
        log(locked.project, "funding.line.updated", actor=actor, data=data)
    return locked


def check_deletable(line: BudgetLine) -> None:
    """Refuse a line money was paid or equipment bought from: the payments would lose their line."""
    spendings = Spending.objects.filter(budget_line=line).aggregate(n=Count("id"), total=Sum("amount"))
    items = ProcurementItem.objects.filter(budget_line=line).count()
    if spendings["n"] or items:
        raise ValidationError(
            _(
                "“%(line)s”已有 %(n)s 笔支出（合计 %(spent)s 元）和 %(items)s 项采购设备，不能删除。"
                "请先撤销这些支出、删除这些采购设备或改选其预算明细；只需更正内容或金额时，请使用“修改”。"
            )
            % {"line": line, "n": spendings["n"], "spent": money(spendings["total"] or ZERO), "items": items},
            code="in_use",
        )


def budget_line_delete(*, line: BudgetLine, actor: User | None, version: int) -> None:
    """Delete a typed line entered by mistake; one that money was paid or equipment bought from stays."""
    with transaction.atomic():
        locked = BudgetLine.objects.select_for_update().get(pk=line.pk)
        check_typed(locked)
        _check_line_version(locked, version, _("该预算明细未删除；请核对后再决定。"))
        check_deletable(locked)
        data = {"line_id": locked.pk, "old": line_values(locked)}
        project = locked.project
        locked.delete()
        log(project, "funding.line.deleted", actor=actor, data=data)
