"""Writes of funding. Money arrives as Decimal and is kept to the fen (two places)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from accounts.models import School, User

from .models import BudgetLine, FundingProject, PerformanceTarget, ProcurementItem, Spending

FEN = Decimal("0.01")

PROJECT_FIELDS = (
    "name",
    "source",
    "year",
    "document_number",
    "start_date",
    "end_date",
    "status",
    "necessity",
    "feasibility",
    "benefits",
    "safeguards",
    "declared_total",
)


def money(value: Decimal | int | str) -> Decimal:
    """A yuan amount to two places. Floats are refused: 0.1 + 0.2 must stay 0.30."""
    if isinstance(value, float):
        raise TypeError("money must be Decimal, int or str, never float")
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def _check_dates(start_date: date | None, end_date: date | None) -> None:
    if start_date and end_date and end_date < start_date:
        raise ValidationError(_("结束日期不能早于开始日期。"))


def project_create(*, school: School, name: str, year: int, **fields: Any) -> FundingProject:
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise TypeError(f"unknown project fields: {sorted(unknown)}")
    _check_dates(fields.get("start_date"), fields.get("end_date"))
    if fields.get("declared_total") is not None:
        fields["declared_total"] = money(fields["declared_total"])
    project = FundingProject(school=school, name=name, year=year, **fields)
    project.full_clean(exclude=["school"])
    project.save()
    return project


def project_update(*, project: FundingProject, **fields: Any) -> FundingProject:
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise TypeError(f"unknown project fields: {sorted(unknown)}")
    for key, value in fields.items():
        setattr(project, key, value)
    _check_dates(project.start_date, project.end_date)
    if project.declared_total is not None:
        project.declared_total = money(project.declared_total)
    project.full_clean(exclude=["school"])
    project.save()
    return project


def budget_line_create(
    *, project: FundingProject, category: str, content: str, amount: Decimal, sub_project: str = ""
) -> BudgetLine:
    amount = money(amount)
    if amount <= 0:
        raise ValidationError(_("预算金额须大于 0。"))
    return BudgetLine.objects.create(
        project=project, category=category, sub_project=sub_project, content=content, amount=amount
    )


def procurement_item_create(
    *,
    project: FundingProject,
    budget_line: BudgetLine,
    item: str,
    quantity: int,
    unit_price: Decimal,
    spec: str = "",
    unit: str = "",
) -> ProcurementItem:
    if budget_line.project_id != project.pk:
        raise ValidationError(_("预算明细不属于本项目。"))
    if quantity <= 0:
        raise ValidationError(_("数量须大于 0。"))
    unit_price = money(unit_price)
    if unit_price < 0:
        raise ValidationError(_("单价不能为负数。"))
    return ProcurementItem.objects.create(
        project=project,
        budget_line=budget_line,
        item=item,
        spec=spec,
        unit=unit,
        quantity=quantity,
        unit_price=unit_price,
    )


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
) -> Spending:
    """Record a payment. Overspending the line is refused unless confirmed with a reason."""
    amount = money(amount)
    if amount <= 0:
        raise ValidationError(_("支出金额须大于 0。"))
    overspend_reason = overspend_reason.strip()
    with transaction.atomic():
        # Lock the line: two payments entered at once would each read the same "spent" and
        # together overspend the line without either being asked for a reason.
        line = BudgetLine.objects.select_for_update().get(pk=budget_line.pk)
        spent = Spending.objects.filter(budget_line=line).aggregate(total=Sum("amount"))["total"] or Decimal("0")
        after = spent + amount
        overspends = after > line.amount
        if overspends and not (confirm_overspend and overspend_reason):
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
        return Spending.objects.create(
            budget_line=line,
            date=date,
            amount=amount,
            payee=payee,
            voucher_number=voucher_number,
            overspend_reason=overspend_reason if overspends else "",
            created_by=actor,
        )


def performance_target_create(
    *, project: FundingProject, metric: str, comparison: str, target: Decimal, description: str = ""
) -> PerformanceTarget:
    if PerformanceTarget.objects.filter(project=project, metric=metric).exists():
        raise ValidationError(_("该指标已设置绩效目标。"))
    target = money(target)
    if target < 0:
        raise ValidationError(_("目标值不能为负数。"))
    return PerformanceTarget.objects.create(
        project=project, metric=metric, comparison=comparison, target=target, description=description
    )
