"""The equipment list: create, correct (versioned) and delete a row; each write is one audit line."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.concurrency import bump, check_version
from funding.history import item_text, item_values, last_change, log
from funding.models import BudgetLine, FundingProject, ProcurementItem
from funding.money import money


def check_item(*, project: FundingProject, budget_line: BudgetLine, quantity: int, unit_price: Decimal) -> Decimal:
    """The rules of an equipment row (new or corrected); returns the unit price to the fen."""
    if budget_line.project_id != project.pk:
        raise ValidationError(_("预算明细不属于本项目。"))
    if quantity <= 0:
        raise ValidationError(_("数量须大于 0。"))
    unit_price = money(unit_price)
    if unit_price < 0:
        raise ValidationError(_("单价不能为负数。"))
    return unit_price


def procurement_item_create(
    *,
    project: FundingProject,
    budget_line: BudgetLine,
    item: str,
    quantity: int,
    unit_price: Decimal,
    actor: User | None,
    spec: str = "",
    unit: str = "",
) -> ProcurementItem:
    unit_price = check_item(project=project, budget_line=budget_line, quantity=quantity, unit_price=unit_price)
    with transaction.atomic():
        created = ProcurementItem.objects.create(
            project=project,
            budget_line=budget_line,
            item=item,
            spec=spec,
            unit=unit,
            quantity=quantity,
            unit_price=unit_price,
        )
        log(project, "funding.item.created", actor=actor, data={"item_id": created.pk, "new": item_values(created)})
    return created


def _check_item_version(item: ProcurementItem, version: int, outcome: str | None = None) -> None:
    check_version(
        item,
        version,
        saved=item_text(item_values(item)),
        outcome=outcome,
        last=lambda: last_change(item.project, item_id=item.pk),
    )


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
        _check_item_version(locked, version)
        unit_price = check_item(
            project=locked.project, budget_line=budget_line, quantity=quantity, unit_price=unit_price
        )
        before = item_values(locked)
        locked.budget_line, locked.item, locked.spec, locked.unit = budget_line, item, spec, unit
        locked.quantity, locked.unit_price = quantity, unit_price
        after = item_values(locked)
        if after == before:
            return locked
        bump(locked)
        locked.save(update_fields=["budget_line", "item", "spec", "unit", "quantity", "unit_price", "version"])
        log(
            locked.project,
            "funding.item.updated",
            actor=actor,
            data={"item_id": locked.pk, "old": before, "new": after},
        )
    return locked


def procurement_item_delete(*, procurement_item: ProcurementItem, actor: User | None, version: int) -> None:
    with transaction.atomic():
        locked = ProcurementItem.objects.select_for_update().get(pk=procurement_item.pk)
        _check_item_version(locked, version, _("该采购设备未删除；请核对后再决定。"))
        data = {"item_id": locked.pk, "old": item_values(locked)}
        project = locked.project
        locked.delete()
        log(project, "funding.item.deleted", actor=actor, data=data)
