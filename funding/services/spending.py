"""Payments out of a budget line: record one, remove (撤销) one with a reason.

Spendings are not edited: a wrong one is removed and entered again. A payment that names a settlement
statement is written on the statement's history too (what the statement shows of it), which its
organisation may read; the project's line keeps the rest (line, overspend reason, removal reason).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from accounts.models import User
from funding.history import log, log_settlement, payment_values, spending_values
from funding.models import BudgetLine, Settlement, Spending
from funding.money import ZERO, money


def _check_overspend(line: BudgetLine, amount: Decimal, *, confirmed: bool) -> bool:
    """Whether the payment overspends the line; refused unless ``confirmed`` (with a reason)."""
    spent = Spending.objects.filter(budget_line=line).aggregate(total=Sum("amount"))["total"] or ZERO
    after = spent + amount
    if after <= line.amount:
        return False
    if not confirmed:
        raise ValidationError(
            _(
                "超支：该预算明细预算 %(budget)s 元，已支出 %(spent)s 元，本次 %(amount)s 元，"
                "合计 %(after)s 元，超出 %(over)s 元。如确需超支，请勾选确认并填写超支原因。"
            )
            % {
                "budget": money(line.amount),
                "spent": money(spent),
                "amount": amount,
                "after": money(after),
                "over": money(after - line.amount),
            },
            code="overspend",
        )
    return True


def spending_create(
    *,
    budget_line: BudgetLine,
    date: date,
    amount: Decimal,
    payee: str,
    actor: User | None,
    voucher_number: str = "",
    confirm_overspend: bool = False,
    overspend_reason: str = "",
    settlement: Settlement | None = None,
) -> Spending:
    """Record a payment. Overspending the line is refused unless confirmed with a reason.

    A payment of exam fees names its settlement statement (of the same school); the organisation
    then sees it as paid on that statement.
    """
    amount = money(amount)
    if amount <= 0:
        raise ValidationError(_("支出金额须大于 0。"))
    if settlement is not None and settlement.school_id != budget_line.project.school_id:
        raise ValidationError(_("结算单不属于本校。"))
    overspend_reason = overspend_reason.strip()
    with transaction.atomic():
        # Lock the line: two payments entered at once would each read the same "spent" and
        # together overspend the line without either being asked for a reason.
        line = BudgetLine.objects.select_for_update().get(pk=budget_line.pk)
        overspends = _check_overspend(line, amount, confirmed=confirm_overspend and bool(overspend_reason))
        spending = Spending.objects.create(
            budget_line=line,
            date=date,
            amount=amount,
            payee=payee,
            voucher_number=voucher_number,
            overspend_reason=overspend_reason if overspends else "",
            settlement=settlement,
            created_by=actor,
        )
        data = {"spending_id": spending.pk, "new": spending_values(spending)}
        log(line.project, "funding.spending.created", actor=actor, data=data)
        if settlement is not None:
            log_settlement(settlement, "funding.settlement.payment_added", actor=actor, data=payment_values(spending))
    return spending


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
        line = BudgetLine.objects.select_for_update().get(pk=spending.budget_line_id)
        locked = Spending.objects.select_for_update().filter(pk=spending.pk).first()
        if locked is None:
            raise ValidationError(_("该支出已被撤销。"), code="gone")
        data = {
            "spending_id": locked.pk,
            "settlement_id": locked.settlement_id,
            "old": spending_values(locked),
            "reason": reason,
        }
        payment, settlement = payment_values(locked), locked.settlement
        locked.delete()
        log(line.project, "funding.spending.removed", actor=actor, data=data)
        if settlement is not None:
            log_settlement(settlement, "funding.settlement.payment_removed", actor=actor, data=payment)
