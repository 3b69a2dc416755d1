"""Writes of funding. Money arrives as Decimal and is kept to the fen (two places).

Every write names its ``actor`` and records a ``FundingEvent`` (变更记录) in its own transaction:
what changed, in words with the numbers and as data (old and new values as strings). The
corrections (edit and delete of lines and items, removal of a spending) are in
``funding.correction_services``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import School, User
from core.models import StoredFile
from core.pdf import render_pdf

from .models import (
    BudgetLine,
    FundingEvent,
    FundingProject,
    PerformanceTarget,
    ProcurementItem,
    ProjectStatus,
    Settlement,
    Spending,
    TargetKind,
    TargetReport,
)
from .selectors import (
    CREATE,
    EXAM_FEE_CATEGORY,
    UPDATE,
    exam_fee_preview,
    plain,
    project_get,
    project_procurement,
    project_totals,
    target_actuals,
)

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


# --- the change log ----------------------------------------------------------------------------


def as_text(value: Any) -> str:
    """A value as the change log keeps it: money to the fen, dates ISO, nothing as ""."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(money(value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def record_event(kind: str, *, project_id: int, actor: User | None, detail: str, data: dict[str, Any]) -> FundingEvent:
    """Write one row of the project's change log. Call it inside the change's transaction."""
    return FundingEvent.objects.create(project_id=project_id, kind=kind, actor=actor, detail=detail, data=data)


def field_label(model: type, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def describe_changes(
    model: type,
    old: dict[str, str],
    new: dict[str, str],
    *,
    long_fields: tuple[str, ...] = (),
    choices: dict[str, dict[str, Any]] | None = None,
) -> tuple[list[str], dict[str, dict[str, str]]]:
    """What an edit changed: "预算金额（元） 6000.00 → 6500.00" per field, and the old/new data.

    A long text (e.g. 必要性) is named, not quoted, in the words; its data keeps both versions. A
    field with ``choices`` is worded with its labels (已批复) and kept as its code (approved).
    """
    choices = choices or {}
    words: list[str] = []
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    for name, value in new.items():
        if old.get(name) == value:
            continue
        before[name], after[name] = old.get(name, ""), value
        label = field_label(model, name)
        shown = choices.get(name, {})
        was, now = str(shown.get(before[name], before[name])), str(shown.get(value, value))
        if name in long_fields:
            words.append(_("%(field)s（已修改）") % {"field": label})
        else:
            words.append(f"{label} {was or '—'} → {now or '—'}")
    return words, {"old": before, "new": after}


def line_values(line: BudgetLine) -> dict[str, str]:
    return {
        "category": line.category,
        "sub_project": line.sub_project,
        "content": line.content,
        "amount": as_text(line.amount),
    }


def line_label(line: BudgetLine) -> str:
    """A line as the log names it (it stays readable after the line is deleted)."""
    return str(line)


def item_values(item: ProcurementItem) -> dict[str, str]:
    return {
        "item": item.item,
        "spec": item.spec,
        "unit": item.unit,
        "quantity": as_text(item.quantity),
        "unit_price": as_text(item.unit_price),
        "budget_line": line_label(item.budget_line),
    }


def item_text(item: ProcurementItem) -> str:
    """An equipment row in words: "考核电脑：50台 × 6680.00 元 = 334000.00 元（预算明细）"."""
    return _("%(item)s：%(quantity)s%(unit)s × %(price)s 元 = %(total)s 元（%(line)s）") % {
        "item": item.item,
        "quantity": item.quantity,
        "unit": item.unit,
        "price": money(item.unit_price),
        "total": item.line_total,
        "line": line_label(item.budget_line),
    }


def spending_values(spending: Spending) -> dict[str, str]:
    return {
        "budget_line": line_label(spending.budget_line),
        "date": as_text(spending.date),
        "amount": as_text(spending.amount),
        "payee": spending.payee,
        "voucher_number": spending.voucher_number,
        "settlement": str(spending.settlement) if spending.settlement_id else "",
        "overspend_reason": spending.overspend_reason,
    }


def spending_text(spending: Spending) -> str:
    """A spending in words: "2022-06-01 付 示例供应商 200000.00 元（预算明细；凭证号 PZ-1；结算单 …）"."""
    notes = [line_label(spending.budget_line)]
    if spending.voucher_number:
        notes.append(_("凭证号 %(number)s") % {"number": spending.voucher_number})
    if spending.settlement_id:
        notes.append(_("结算单 %(settlement)s") % {"settlement": spending.settlement})
    if spending.overspend_reason:
        notes.append(_("超支原因：%(reason)s") % {"reason": spending.overspend_reason})
    return _("%(date)s 付 %(payee)s %(amount)s 元（%(notes)s）") % {
        "date": as_text(spending.date),
        "payee": spending.payee,
        "amount": money(spending.amount),
        "notes": "；".join(notes),
    }


def _project_values(project: FundingProject) -> dict[str, str]:
    return {name: as_text(getattr(project, name)) for name in PROJECT_FIELDS}


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


LONG_PROJECT_FIELDS = ("necessity", "feasibility", "benefits", "safeguards")


class StaleVersionError(ValidationError):
    """The row changed since the form was rendered; ``current_version`` is the row's version now."""

    def __init__(self, message: str, current_version: int) -> None:
        super().__init__(message, code="stale")
        self.current_version = current_version


def _changed_by(event: FundingEvent | None) -> str:
    """Who saved last and when, from the log: "张三（2024-05-01 10:20）", or "他人" without a log row."""
    if event is None:
        return _("他人")
    name = (event.actor.full_name or event.actor.username) if event.actor else _("他人")
    return f"{name}（{timezone.localtime(event.at):%Y-%m-%d %H:%M}）"


def check_version(
    version: int, current: int, *, events: dict[str, Any], outcome: str, saved: str | None = None
) -> None:
    """Refuse a write built on an older version of the row, saying who saved since and what.

    ``events`` filters the log rows of that row; ``saved`` describes the row as it is now (by
    default, the detail of its latest log row).
    """
    if int(version) == current:
        return
    last = FundingEvent.objects.filter(**events).select_related("actor").order_by("-at", "-id").first()
    if saved is None:
        saved = last.detail if last is not None else "—"
    raise StaleVersionError(
        _("在您打开此页之后，%(user)s已将其保存为：%(saved)s。%(outcome)s")
        % {"user": _changed_by(last), "saved": saved, "outcome": outcome},
        current_version=current,
    )


def project_update(
    *, project: FundingProject, actor: User | None, version: int | None = None, **fields: Any
) -> FundingProject:
    """Save the project's header; what changed goes to the log (a save that changes nothing, none).

    ``version`` is the one the edit form was rendered with: a header saved by someone else since is
    refused (StaleVersionError), never silently overwritten.
    """
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise TypeError(f"unknown project fields: {sorted(unknown)}")
    with transaction.atomic():
        # The log compares with the row as it is now, locked, not with what the form was built from.
        locked = FundingProject.objects.select_for_update().get(pk=project.pk)
        if version is not None:
            check_version(
                version,
                locked.version,
                events={"project_id": project.pk, "kind": FundingEvent.Kind.PROJECT_UPDATED},
                outcome=_("您的修改尚未保存；请核对后，如仍需修改，再次保存。"),
            )
        project.version = locked.version
        before = _project_values(locked)
        for key, value in fields.items():
            setattr(project, key, value)
        _check_dates(project.start_date, project.end_date)
        if project.declared_total is not None:
            project.declared_total = money(project.declared_total)
        project.full_clean(exclude=["school"])
        words, data = describe_changes(
            FundingProject,
            before,
            _project_values(project),
            long_fields=LONG_PROJECT_FIELDS,
            choices={"status": dict(ProjectStatus.choices)},
        )
        if words:
            project.version += 1
            project.save()
            record_event(
                FundingEvent.Kind.PROJECT_UPDATED,
                project_id=project.pk,
                actor=actor,
                detail="；".join(words),
                data=data,
            )
    return project


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
        record_event(
            FundingEvent.Kind.LINE_CREATED,
            project_id=project.pk,
            actor=actor,
            detail=_("%(line)s：%(amount)s 元") % {"line": line_label(line), "amount": amount},
            data={"line_id": line.pk, "new": line_values(line)},
        )
    return line


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
        record_event(
            FundingEvent.Kind.ITEM_CREATED,
            project_id=project.pk,
            actor=actor,
            detail=item_text(created),
            data={"item_id": created.pk, "new": item_values(created)},
        )
    return created


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
        record_event(
            FundingEvent.Kind.SPENDING_CREATED,
            project_id=line.project_id,
            actor=actor,
            detail=spending_text(spending),
            data={"spending_id": spending.pk, "new": spending_values(spending)},
        )
    return spending


def performance_target_create(
    *,
    project: FundingProject,
    comparison: str,
    target: Decimal,
    metric: str = "",
    actor: User | None,
    kind: str = TargetKind.LIVE,
    name: str = "",
    description: str = "",
) -> PerformanceTarget:
    """A live target names a computed metric; a reported one (e.g. 毕业生就业率) only a name."""
    name = name.strip()
    if kind == TargetKind.LIVE:
        if not metric:
            raise ValidationError(_("自动统计的指标须选择指标。"))
        if PerformanceTarget.objects.filter(project=project, kind=TargetKind.LIVE, metric=metric).exists():
            raise ValidationError(_("该指标已设置绩效目标。"))
        name = ""
    else:
        if not name:
            raise ValidationError(_("填报类指标须填写指标名称。"))
        metric = ""
    target = money(target)
    if target < 0:
        raise ValidationError(_("目标值不能为负数。"))
    with transaction.atomic():
        created = PerformanceTarget.objects.create(
            project=project,
            kind=kind,
            metric=metric,
            name=name,
            comparison=comparison,
            target=target,
            description=description,
        )
        record_event(
            FundingEvent.Kind.TARGET_CREATED,
            project_id=project.pk,
            actor=actor,
            detail=_target_text(created),
            data={
                "target_id": created.pk,
                "new": {
                    "kind": kind,
                    "metric": metric,
                    "name": name,
                    "comparison": comparison,
                    "target": as_text(target),
                    "description": description,
                },
            },
        )
    return created


def _target_text(target: PerformanceTarget) -> str:
    """A target as the log names it, numbers as the performance table prints them: "就业率 ≥ 95（说明）"."""
    text = f"{target.label} {target.get_comparison_display()} {plain(target.target)}"
    return f"{text}（{target.description}）" if target.description else text


def target_report(
    *,
    target: PerformanceTarget,
    value: Decimal,
    evidence_note: str,
    actor: User | None,
    evidence_file: UploadedFile | None = None,
) -> PerformanceTarget:
    """Enter the actual value of a reported target with its evidence; who and when are kept.

    The target holds the latest report (the performance table reads it); every report is also
    written as a ``TargetReport`` row, so a correction never erases the value it replaces. A report
    without a new file rests on the file already there: its row names that same stored file.
    """
    evidence_note = evidence_note.strip()
    with transaction.atomic():
        # Lock the target: two admins reporting at once would otherwise leave one's value with the
        # other's evidence.
        locked = PerformanceTarget.objects.select_for_update().get(pk=target.pk)
        if locked.kind != TargetKind.REPORTED:
            raise ValidationError(_("自动统计的指标不能手工填报。"))
        if not evidence_note and not evidence_file and not locked.evidence_file:
            raise ValidationError(_("请填写佐证说明或上传佐证材料。"))
        previous = locked.reported_value
        locked.reported_value = money(value)
        locked.evidence_note = evidence_note
        if evidence_file:
            locked.evidence_file = evidence_file
        locked.reported_by = actor
        locked.reported_at = timezone.now()
        locked.save()
        TargetReport.objects.create(
            target=locked,
            value=locked.reported_value,
            evidence_note=evidence_note,
            evidence_file=locked.evidence_file.name or "",
            reported_by=actor,
            reported_at=locked.reported_at,
        )
        record_event(
            FundingEvent.Kind.TARGET_REPORTED,
            project_id=locked.project_id,
            actor=actor,
            detail=_("%(target)s：%(old)s → %(new)s；佐证：%(evidence)s")
            % {
                "target": locked.label,
                "old": plain(previous) or "—",
                "new": plain(locked.reported_value),
                "evidence": evidence_note or _("见佐证材料"),
            },
            data={
                "target_id": locked.pk,
                "old": {"reported_value": as_text(previous)},
                "new": {"reported_value": as_text(locked.reported_value), "evidence_note": evidence_note},
            },
        )
    return locked


@dataclass
class ExamFeeOutcome:
    """What computing the exam-fee lines did, for the page's messages."""

    created: int
    updated: int
    removed: int
    total: Decimal
    notes: list[str]


def exam_fee_lines_compute(*, project: FundingProject, actor: User | None, expected: str = "") -> ExamFeeOutcome:
    """Write the exam-fee lines of the project from its granted pilots (quota × fee in force).

    Creates the missing lines, updates the changed ones and deletes those no pilot asks for any more,
    unless money was spent or equipment bought on them (kept, and said so). Typed lines are never
    touched. All or nothing: if one granted pilot has no fee standard in force, nothing is written.
    ``expected`` is the preview's signature: when given, the numbers must still be those the user saw.
    A computation that changes something writes one log row listing every line's old and new amount.
    """
    with transaction.atomic():
        # Lock the project and its computed lines: two admins computing at once would both create
        # the line of the same pilot, and a payment entered meanwhile must not land on a deleted line.
        FundingProject.objects.select_for_update().get(pk=project.pk)
        list(BudgetLine.objects.select_for_update().filter(project=project, pilot__isnull=False))
        preview = exam_fee_preview(project=project)
        if preview.missing:
            names = "、".join(row.sub_project for row in preview.missing)
            raise ValidationError(
                _(
                    "以下试点截至 %(date)s 尚无生效的收费标准，未计算任何考核费：%(names)s。请培训评价组织先维护收费标准。"
                )
                % {"date": preview.reference_date.isoformat(), "names": names},
                code="no_fee",
            )
        if expected and expected != preview.signature:
            raise ValidationError(
                _("预览之后试点指标或收费标准有变化，未作修改。请核对新的计算结果后再确认。"), code="stale"
            )
        created = updated = 0
        notes = []
        changes: list[dict[str, str]] = []
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
                created += 1
            elif row.action == UPDATE:
                # A new version: an edit form of this line opened before is stale now.
                BudgetLine.objects.filter(pk=row.line.pk).update(**values, version=F("version") + 1)
                updated += 1
            if row.action in (CREATE, UPDATE):
                old = as_text(row.line.amount) if row.line is not None else ""
                changes.append({"sub_project": row.sub_project, "old": old, "new": as_text(row.amount)})
            if row.below_spent:
                notes.append(
                    _("%(line)s 计算后预算 %(amount)s 元，低于已支出 %(spent)s 元。")
                    % {"line": row.sub_project, "amount": row.amount, "spent": money(row.spent)}
                )
        for row in preview.no_line:
            notes.append(
                _("%(line)s 的试点指标为 %(n)s 人、收费标准为 %(fee)s 元，金额为 0，未列入预算。")
                % {"line": row.sub_project, "n": row.candidates, "fee": row.unit_fee}
            )
        for line in preview.kept:
            notes.append(
                _("%(line)s 已不再按试点计算，但已有支出或采购，予以保留（%(amount)s 元）。")
                % {"line": line.sub_project, "amount": line.amount}
            )
        BudgetLine.objects.filter(pk__in=[line.pk for line in preview.removed]).delete()
        changes += [
            {"sub_project": line.sub_project, "old": as_text(line.amount), "new": ""} for line in preview.removed
        ]
        if changes:
            summary = _("新增 %(c)s 条，更新 %(u)s 条，删除 %(r)s 条，计算合计 %(t)s 元") % {
                "c": created,
                "u": updated,
                "r": len(preview.removed),
                "t": money(preview.total),
            }
            lines = "；".join(f"{c['sub_project']} {c['old'] or '—'} → {c['new'] or '—'}" for c in changes)
            record_event(
                FundingEvent.Kind.EXAM_FEES_COMPUTED,
                project_id=project.pk,
                actor=actor,
                detail=_("%(summary)s：%(lines)s") % {"summary": summary, "lines": lines},
                data={
                    "lines": changes,
                    "total": as_text(preview.total),
                    "reference_date": as_text(preview.reference_date),
                },
            )
    return ExamFeeOutcome(
        created=created, updated=updated, removed=len(preview.removed), total=preview.total, notes=notes
    )


def project_plan_pdf(*, project_id: int, owner_id: int | None) -> StoredFile:
    """The funding plan as an A4 PDF (runs in the worker, in the requester's scope).

    The HTML depends only on the stored data and the live actuals (no "printed now"), so unchanged
    data renders to the same digest and core.pdf returns the file already made.
    """
    project = project_get(project_id=project_id)
    context = {
        "project": project,
        "totals": project_totals(project=project),
        "procurement": list(project_procurement(project=project)),
        "targets": target_actuals(project),
    }
    return render_pdf(
        template_name="funding/pdf/plan.html",
        context=context,
        filename=f"funding-plan-{project.pk}.pdf",
        owner_id=owner_id,
    )
