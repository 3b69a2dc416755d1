"""Corrections by the school admin: edit and delete a typed budget line or an equipment row, and
remove (撤销) a spending.

Each one locks the row, checks it against what the admin saw and writes one ``FundingEvent`` in the
same transaction; a deleted row lives on only in that event (its values in ``data``). Rules:

- a computed exam-fee line (``BudgetLine.pilot`` set) is never edited or deleted by hand: it is
  recomputed (``services.exam_fee_lines_compute``);
- an edit or a delete names the ``version`` its form was rendered with; a newer row refuses it and
  says what the other admin saved, so two admins never silently overwrite each other;
- a line's amount lowered below what was already paid out of it needs a confirmation and a reason
  (as an overspend does in ``spending_create``);
- a line with spending or equipment is not deleted;
- a spending is removed with a reason; one that names a settlement statement leaves the statement.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from accounts.models import User

from .models import BudgetLine, FundingEvent, ProcurementItem, Spending
from .selectors import line_basis
from .services import (
    as_text,
    check_item,
    check_version,
    describe_changes,
    item_text,
    item_values,
    line_label,
    line_values,
    money,
    record_event,
    spending_text,
    spending_values,
)

ZERO = Decimal("0.00")


def check_typed(line: BudgetLine) -> None:
    """Refuse a computed exam-fee line: it is recomputed, never corrected by hand."""
    if line.pilot_id is not None:
        raise ValidationError(
            _(
                "“%(line)s”按收费标准计算（%(basis)s），不能手工修改或删除。"
                "试点指标或收费标准有变化时，请使用“按收费标准计算考核费”重新计算。"
            )
            % {"line": line_label(line), "basis": line_basis(line)},
            code="computed",
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
        check_version(
            version,
            locked.version,
            events={"data__line_id": locked.pk},
            saved=_("%(line)s，预算金额 %(amount)s 元") % {"line": line_label(locked), "amount": money(locked.amount)},
            outcome=_("您的修改尚未保存；请核对后，如仍需修改，再次保存。"),
        )
        if amount <= 0:
            raise ValidationError(_("预算金额须大于 0。"))
        before, label = line_values(locked), line_label(locked)
        locked.category, locked.sub_project, locked.content, locked.amount = category, sub_project, content, amount
        words, data = describe_changes(BudgetLine, before, line_values(locked))
        if not words:
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
        locked.version += 1
        locked.save(update_fields=["category", "sub_project", "content", "amount", "version"])
        detail = _("%(line)s：%(changes)s") % {"line": label, "changes": "；".join(words)}
        data["line_id"] = locked.pk
        if below:
            detail += _("（低于已支出 %(spent)s 元，原因：%(reason)s）") % {"spent": spent, "reason": reason}
            data.update(spent=as_text(spent), reason=reason)
        record_event(
            FundingEvent.Kind.LINE_UPDATED, project_id=locked.project_id, actor=actor, detail=detail, data=data
        )
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
            % {
                "line": line_label(line),
                "n": spendings["n"],
                "spent": money(spendings["total"] or ZERO),
                "items": items,
            },
            code="in_use",
        )


def budget_line_delete(*, line: BudgetLine, actor: User | None, version: int) -> None:
    """Delete a typed line entered by mistake; one that money was paid or equipment bought from stays."""
    with transaction.atomic():
        locked = BudgetLine.objects.select_for_update().get(pk=line.pk)
        check_typed(locked)
        check_version(
            version,
            locked.version,
            events={"data__line_id": locked.pk},
            saved=_("%(line)s，预算金额 %(amount)s 元") % {"line": line_label(locked), "amount": money(locked.amount)},
            outcome=_("该预算明细未删除；请核对后再决定。"),
        )
        check_deletable(locked)
        detail = _("%(line)s：%(amount)s 元") % {"line": line_label(locked), "amount": money(locked.amount)}
        data: dict[str, Any] = {"line_id": locked.pk, "old": line_values(locked)}
        locked.delete()
        record_event(FundingEvent.Kind.LINE_DELETED, project_id=line.project_id, actor=actor, detail=detail, data=data)


def procurement_item_update(
    *,
    procurement_item: ProcurementItem,
    actor: User | None,
    version: int,
    budget_line: BudgetLine,
    item: str,
    quantity: int,
    unit_price: Decimal,
    spec: str = "",
    unit: str = "",
) -> ProcurementItem:
    """Correct an equipment row (name, spec, quantity, price, or the line it is bought from)."""
    with transaction.atomic():
        locked = ProcurementItem.objects.select_for_update().get(pk=procurement_item.pk)
        check_version(
            version,
            locked.version,
            events={"data__item_id": locked.pk},
            saved=item_text(locked),
            outcome=_("您的修改尚未保存；请核对后，如仍需修改，再次保存。"),
        )
        unit_price = check_item(
            project=locked.project, budget_line=budget_line, quantity=quantity, unit_price=unit_price
        )
        before, total_before, name = item_values(locked), locked.line_total, locked.item
        locked.budget_line, locked.item, locked.spec, locked.unit = budget_line, item, spec, unit
        locked.quantity, locked.unit_price = quantity, unit_price
        words, data = describe_changes(ProcurementItem, before, item_values(locked), long_fields=("spec",))
        if not words:
            return locked
        if locked.line_total != total_before:
            words.append(_("金额 %(old)s → %(new)s") % {"old": total_before, "new": locked.line_total})
        locked.version += 1
        locked.save(update_fields=["budget_line", "item", "spec", "unit", "quantity", "unit_price", "version"])
        data["item_id"] = locked.pk
        record_event(
            FundingEvent.Kind.ITEM_UPDATED,
            project_id=locked.project_id,
            actor=actor,
            detail=_("%(line)s：%(changes)s") % {"line": name, "changes": "；".join(words)},
            data=data,
        )
    return locked


def procurement_item_delete(*, procurement_item: ProcurementItem, actor: User | None, version: int) -> None:
    with transaction.atomic():
        locked = ProcurementItem.objects.select_for_update().get(pk=procurement_item.pk)
        check_version(
            version,
            locked.version,
            events={"data__item_id": locked.pk},
            saved=item_text(locked),
            outcome=_("该采购设备未删除；请核对后再决定。"),
        )
        detail, data = item_text(locked), {"item_id": locked.pk, "old": item_values(locked)}
        locked.delete()
        record_event(
            FundingEvent.Kind.ITEM_DELETED,
            project_id=procurement_item.project_id,
            actor=actor,
            detail=detail,
            data=data,
        )


def spending_remove(*, spending: Spending, actor: User | None, reason: str) -> None:
    """Remove (撤销) a spending entered by mistake, with the reason; the log keeps the entry.

    A payment naming a settlement statement leaves it: the statement's paid total drops by its amount,
    for the school and the organisation alike.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("请填写撤销原因。"), code="reason")
    with transaction.atomic():
        # The line first, as spending_create locks it: the two never cross.
        BudgetLine.objects.select_for_update().get(pk=spending.budget_line_id)
        locked = Spending.objects.select_for_update().filter(pk=spending.pk).first()
        if locked is None:
            raise ValidationError(_("该支出已被撤销。"), code="gone")
        detail = _("%(spending)s；撤销原因：%(reason)s") % {"spending": spending_text(locked), "reason": reason}
        data = {
            "spending_id": locked.pk,
            "settlement_id": locked.settlement_id,
            "old": spending_values(locked),
            "reason": reason,
        }
        project_id = locked.budget_line.project_id
        locked.delete()
        record_event(FundingEvent.Kind.SPENDING_REMOVED, project_id=project_id, actor=actor, detail=detail, data=data)
