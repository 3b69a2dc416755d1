"""Writes of funding. Money arrives as Decimal and is kept to the fen (two places)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import School, User
from core.models import StoredFile
from core.pdf import render_pdf

from .models import BudgetLine, FundingProject, PerformanceTarget, ProcurementItem, Spending, TargetKind
from .selectors import project_get, project_procurement, project_totals, target_actuals

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
    *,
    project: FundingProject,
    comparison: str,
    target: Decimal,
    metric: str = "",
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
    return PerformanceTarget.objects.create(
        project=project,
        kind=kind,
        metric=metric,
        name=name,
        comparison=comparison,
        target=target,
        description=description,
    )


def target_report(
    *,
    target: PerformanceTarget,
    value: Decimal,
    evidence_note: str,
    actor: User | None,
    evidence_file: UploadedFile | None = None,
) -> PerformanceTarget:
    """Enter the actual value of a reported target with its evidence; who and when are kept."""
    evidence_note = evidence_note.strip()
    with transaction.atomic():
        # Lock the target: two admins reporting at once would otherwise leave one's value with the
        # other's evidence.
        locked = PerformanceTarget.objects.select_for_update().get(pk=target.pk)
        if locked.kind != TargetKind.REPORTED:
            raise ValidationError(_("自动统计的指标不能手工填报。"))
        if not evidence_note and not evidence_file and not locked.evidence_file:
            raise ValidationError(_("请填写佐证说明或上传佐证材料。"))
        locked.reported_value = money(value)
        locked.evidence_note = evidence_note
        if evidence_file:
            locked.evidence_file = evidence_file
        locked.reported_by = actor
        locked.reported_at = timezone.now()
        locked.save()
    return locked


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
