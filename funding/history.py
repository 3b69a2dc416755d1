"""Funding's lines in the one audit log: what a write keeps, and how a line reads when it is shown.

A project's change log (变更记录) is the audit history of the project: every write of its lines,
equipment, spending, targets and header records one line on the project (``log``), with
``organisation=None``: nothing of a school's funding is the organisation's to read. A settlement
statement (考核费结算单) has lines of its own (``log_settlement``), which its organisation may read:
its creation and the payments that name it, with only what the statement shows of a payment.

``data`` keeps values, never words: ids, the row's values as strings (money to the fen), the reason
given. The words are built here, in the reader's language, when the line is shown. Rows moved from
the old FundingEvent whose data lacks the values keep their old words in ``data["detail"]``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.audit import entries_for, record, register
from core.models import AuditEntry

from .models import (
    BudgetLine,
    Comparison,
    FundingProject,
    Metric,
    ProcurementItem,
    ProjectStatus,
    Settlement,
    Spending,
    TargetKind,
)
from .money import as_text, money, plain

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
LONG_PROJECT_FIELDS = ("necessity", "feasibility", "benefits", "safeguards")  # named, not quoted
LINE_FIELDS = ("category", "sub_project", "content", "amount")
ITEM_FIELDS = ("item", "spec", "unit", "quantity", "unit_price", "budget_line")

Data = dict[str, Any]


# --- writing -----------------------------------------------------------------------------------


def log(project: FundingProject, action: str, *, actor: User | None, data: Data) -> AuditEntry:
    """One line of the project's change log, in the transaction of the change; the school's only."""
    return record(project, action, actor=actor, data=data, organisation=None)


def log_settlement(settlement: Settlement, action: str, *, actor: User | None, data: Data) -> AuditEntry:
    """One line of a statement's history: the school's and its organisation's."""
    return record(settlement, action, actor=actor, data=data)


def last_change(project: FundingProject, *, action: str | None = None, **data: Any) -> AuditEntry | None:
    """The project's newest line of ``action``, or whose data names a row (``line_id=…``, ``item_id=…``).

    A stale edit names who saved it last: the line that made the row's current version.
    """
    entries = entries_for(project).filter(**{f"data__{key}": value for key, value in data.items()})
    if action:
        entries = entries.filter(action=action)
    return entries.order_by("-at", "-id").first()


def project_values(project: FundingProject) -> dict[str, str]:
    return {name: as_text(getattr(project, name)) for name in PROJECT_FIELDS}


def line_values(line: BudgetLine) -> dict[str, str]:
    return {name: as_text(getattr(line, name)) for name in LINE_FIELDS}


def item_values(item: ProcurementItem) -> dict[str, str]:
    values = {name: as_text(getattr(item, name)) for name in ITEM_FIELDS if name != "budget_line"}
    return {**values, "budget_line": str(item.budget_line)}  # the line's name: it may be deleted later


def spending_values(spending: Spending) -> dict[str, str]:
    return {
        "budget_line": str(spending.budget_line),
        "date": as_text(spending.date),
        "amount": as_text(spending.amount),
        "payee": spending.payee,
        "voucher_number": spending.voucher_number,
        "settlement": str(spending.settlement) if spending.settlement_id else "",
        "overspend_reason": spending.overspend_reason,
    }


def payment_values(spending: Spending) -> dict[str, Any]:
    """A payment as its statement shows it to both sides (no line, no overspend reason)."""
    return {
        "spending_id": spending.pk,
        "date": as_text(spending.date),
        "amount": as_text(spending.amount),
        "payee": spending.payee,
        "voucher_number": spending.voucher_number,
    }


def changed(old: dict[str, str], new: dict[str, str]) -> Data:
    """The fields an edit changes: {"old": {field: before}, "new": {field: after}}; empty when none."""
    names = [name for name, value in new.items() if old.get(name) != value]
    return {"old": {name: old.get(name, "") for name in names}, "new": {name: new[name] for name in names}}


# --- reading -----------------------------------------------------------------------------------


def _field_changes(
    model: type[models.Model],
    fields: tuple[str, ...],
    old: dict[str, str],
    new: dict[str, str],
    *,
    long_fields: tuple[str, ...] = (),
    choices: dict[str, Any] | None = None,
) -> list[str]:
    """Each changed field in the order of ``fields``: "预算金额（元） 6000.00 → 6500.00".

    A long text (e.g. 必要性) is named, not quoted; a field with ``choices`` reads as its label.
    """
    words = []
    for name in fields:
        if name not in new or old.get(name, "") == new[name]:
            continue
        label = model._meta.get_field(name).verbose_name
        if name in long_fields:
            words.append(_("%(field)s（已修改）") % {"field": label})
            continue
        shown = dict((choices or {}).get(name, {}))
        was, now = str(shown.get(old.get(name, ""), old.get(name, ""))), str(shown.get(new[name], new[name]))
        words.append(f"{label} {was or '—'} → {now or '—'}")
    return words


def line_name(values: dict[str, str]) -> str:
    """A line as the log names it, as ``str(BudgetLine)`` does: "培训 · 师资培训"."""
    return " · ".join(values[name] for name in ("category", "sub_project", "content") if values.get(name))


def item_text(values: dict[str, str]) -> str:
    """An equipment row in words: "考核电脑：50台 × 6680.00 元 = 334000.00 元（预算明细）"."""
    return _("%(item)s：%(quantity)s%(unit)s × %(price)s 元 = %(total)s 元（%(line)s）") % {
        "item": values["item"],
        "quantity": values["quantity"],
        "unit": values["unit"],
        "price": money(values["unit_price"]),
        "total": _item_total(values),
        "line": values["budget_line"],
    }


def _item_total(values: dict[str, str]) -> Decimal:
    return money(Decimal(values["unit_price"]) * int(values["quantity"]))


def spending_text(values: dict[str, str]) -> str:
    """A payment in words: "2022-06-01 付 示例供应商 200000.00 元（预算明细；凭证号 PZ-1；结算单 …）"."""
    notes = [values["budget_line"]] if values.get("budget_line") else []
    if values.get("voucher_number"):
        notes.append(_("凭证号 %(number)s") % {"number": values["voucher_number"]})
    if values.get("settlement"):
        notes.append(_("结算单 %(settlement)s") % {"settlement": values["settlement"]})
    if values.get("overspend_reason"):
        notes.append(_("超支原因：%(reason)s") % {"reason": values["overspend_reason"]})
    words = {"date": values["date"], "payee": values["payee"], "amount": money(values["amount"])}
    if not notes:
        return _("%(date)s 付 %(payee)s %(amount)s 元") % words
    return _("%(date)s 付 %(payee)s %(amount)s 元（%(notes)s）") % {**words, "notes": "；".join(notes)}


def target_text(values: dict[str, str]) -> str:
    """A target as the performance table prints it: "就业率 ≥ 95（说明）"."""
    label = values["name"] if values["kind"] == TargetKind.REPORTED else str(Metric(values["metric"]).label)
    text = f"{label} {Comparison(values['comparison']).label} {plain(values['target'])}"
    return f"{text}（{values['description']}）" if values.get("description") else text


def _project_updated(data: Data) -> str:
    words = _field_changes(
        FundingProject,
        PROJECT_FIELDS,
        data["old"],
        data["new"],
        long_fields=LONG_PROJECT_FIELDS,
        choices={"status": ProjectStatus.choices},
    )
    return "；".join(words)


def _line_amount(values: dict[str, str]) -> str:
    return _("%(line)s：%(amount)s 元") % {"line": line_name(values), "amount": money(values["amount"])}


def _line_updated(data: Data) -> str:
    old, new = data["old"], data["new"]
    words = _field_changes(BudgetLine, LINE_FIELDS, old, new)
    text = _("%(line)s：%(changes)s") % {"line": line_name(old), "changes": "；".join(words)}
    if data.get("reason"):
        text += _("（低于已支出 %(spent)s 元，原因：%(reason)s）") % {"spent": data["spent"], "reason": data["reason"]}
    return text


def _item_updated(data: Data) -> str:
    old, new = data["old"], data["new"]
    words = _field_changes(ProcurementItem, ITEM_FIELDS, old, new, long_fields=("spec",))
    if _item_total(old) != _item_total(new):
        words.append(_("金额 %(old)s → %(new)s") % {"old": _item_total(old), "new": _item_total(new)})
    return _("%(line)s：%(changes)s") % {"line": old["item"], "changes": "；".join(words)}


def _exam_fees_computed(data: Data) -> str:
    summary = _("新增 %(c)s 条，更新 %(u)s 条，删除 %(r)s 条，计算合计 %(t)s 元") % {
        "c": data["created"],
        "u": data["updated"],
        "r": data["removed"],
        "t": money(data["total"]),
    }
    lines = "；".join(f"{c['sub_project']} {c['old'] or '—'} → {c['new'] or '—'}" for c in data["lines"])
    return _("%(summary)s：%(lines)s") % {"summary": summary, "lines": lines}


def _target_reported(data: Data) -> str:
    new = data["new"]
    return _("%(target)s：%(old)s → %(new)s；佐证：%(evidence)s") % {
        "target": data["name"],
        "old": plain(data["old"]["reported_value"]) or "—",
        "new": plain(new["reported_value"]),
        "evidence": new.get("evidence_note") or _("见佐证材料"),
    }


def _spending_removed(data: Data) -> str:
    return _("%(spending)s；撤销原因：%(reason)s") % {"spending": spending_text(data["old"]), "reason": data["reason"]}


def _worded(build: Callable[[Data], str]) -> Callable[[Data], str]:
    """The words of a line from its data; a moved FundingEvent row without the values keeps its old words."""

    def wording(data: Data) -> str:
        if "detail" in data:
            return data["detail"]
        try:
            return build(data)
        except (KeyError, TypeError, ValueError, ArithmeticError):
            return "—"

    return wording


register(
    {
        "funding.project.updated": (gettext_lazy("项目修改"), _worded(_project_updated)),
        "funding.line.created": (gettext_lazy("预算明细新增"), _worded(lambda data: _line_amount(data["new"]))),
        "funding.line.updated": (gettext_lazy("预算明细修改"), _worded(_line_updated)),
        "funding.line.deleted": (gettext_lazy("预算明细删除"), _worded(lambda data: _line_amount(data["old"]))),
        "funding.exam_fees.computed": (gettext_lazy("按收费标准计算考核费"), _worded(_exam_fees_computed)),
        "funding.item.created": (gettext_lazy("采购设备新增"), _worded(lambda data: item_text(data["new"]))),
        "funding.item.updated": (gettext_lazy("采购设备修改"), _worded(_item_updated)),
        "funding.item.deleted": (gettext_lazy("采购设备删除"), _worded(lambda data: item_text(data["old"]))),
        "funding.spending.created": (gettext_lazy("支出登记"), _worded(lambda data: spending_text(data["new"]))),
        "funding.spending.removed": (gettext_lazy("支出撤销"), _worded(_spending_removed)),
        "funding.target.created": (gettext_lazy("绩效目标新增"), _worded(lambda data: target_text(data["new"]))),
        "funding.target.reported": (gettext_lazy("绩效目标填报"), _worded(_target_reported)),
        "funding.settlement.created": (gettext_lazy("生成结算单"), gettext_lazy("%(year)s 年度考核费结算单")),
        "funding.settlement.payment_added": (gettext_lazy("付款登记"), _worded(spending_text)),
        "funding.settlement.payment_removed": (gettext_lazy("付款撤销"), _worded(spending_text)),
    }
)
