"""Funding projects (专项资金项目): budget lines, procurement, spending and performance targets.

Totals are never stored: they are computed in ``funding.selectors`` from the lines and spending.
Money is ``DecimalField(max_digits=14, decimal_places=2)`` everywhere.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scoping import TenantManager

MONEY = {"max_digits": 14, "decimal_places": 2}


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("编制中")
    APPROVED = "approved", _("已批复")
    RUNNING = "running", _("执行中")
    CLOSED = "closed", _("已结项")


class FundingProject(models.Model):
    school = models.ForeignKey(
        "accounts.School", on_delete=models.PROTECT, related_name="funding_projects", verbose_name=_("学校")
    )
    name = models.CharField(_("项目名称"), max_length=150)
    source = models.CharField(_("资金来源"), max_length=150, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    document_number = models.CharField(_("文号"), max_length=80, blank=True)
    start_date = models.DateField(_("开始日期"), null=True, blank=True)
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED)
    necessity = models.TextField(_("必要性"), blank=True)
    feasibility = models.TextField(_("可行性"), blank=True)
    benefits = models.TextField(_("预期效益"), blank=True)
    safeguards = models.TextField(_("保障机制"), blank=True)
    # The grand total as written in the approved document; the lines must add up to it.
    declared_total = models.DecimalField(_("批复总额（元）"), null=True, blank=True, **MONEY)
    # Raised by each save of the header; the edit form carries the version it was rendered with.
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantManager(school="school")

    class Meta:
        verbose_name = _("专项资金项目")
        verbose_name_plural = _("专项资金项目")
        ordering = ["-year", "name", "id"]
        constraints = [
            models.CheckConstraint(name="funding_project_year_plausible", condition=Q(year__gte=2000, year__lte=2100)),
            models.CheckConstraint(
                name="funding_project_dates_ordered",
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
            ),
            models.CheckConstraint(
                name="funding_project_declared_total_positive",
                condition=Q(declared_total__isnull=True) | Q(declared_total__gt=0),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BudgetLine(models.Model):
    """One line of the budget table: category (e.g. 1+X证书考核), sub-project, content and amount."""

    project = models.ForeignKey(FundingProject, on_delete=models.CASCADE, related_name="lines", verbose_name=_("项目"))
    category = models.CharField(_("类别"), max_length=80)
    sub_project = models.CharField(_("子项目"), max_length=100, blank=True)
    content = models.CharField(_("建设内容"), max_length=200)
    amount = models.DecimalField(_("预算金额（元）"), **MONEY)
    # Set on an exam-fee line computed from a pilot (planned candidates × the fee standard); such a
    # line is recomputed, never typed. Empty on the lines the admin enters.
    pilot = models.ForeignKey(
        "pilots.Pilot",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budget_lines",
        verbose_name=_("试点"),
    )
    planned_candidates = models.PositiveIntegerField(_("计划考核人数"), null=True, blank=True)
    unit_fee = models.DecimalField(_("每人考核费（元）"), null=True, blank=True, **MONEY)
    # Raised by every change through funding.services; an edit form carries the version it was
    # rendered with, so a second admin's save never silently overwrites the first one's.
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantManager(school="project__school")

    class Meta:
        verbose_name = _("预算明细")
        verbose_name_plural = _("预算明细")
        ordering = ["category", "sub_project", "id"]
        constraints = [
            models.CheckConstraint(name="budget_line_amount_positive", condition=Q(amount__gt=0)),
            models.UniqueConstraint(
                fields=["project", "pilot"], condition=Q(pilot__isnull=False), name="budget_line_unique_pilot"
            ),
            models.CheckConstraint(
                name="budget_line_computed_fields",
                condition=Q(pilot__isnull=True, planned_candidates__isnull=True, unit_fee__isnull=True)
                | Q(pilot__isnull=False, planned_candidates__isnull=False, unit_fee__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        parts = [self.category, self.sub_project, self.content]
        return " · ".join(p for p in parts if p)


class ProcurementItem(models.Model):
    """A row of the equipment list (设备购置清单); its line total is quantity × unit price."""

    project = models.ForeignKey(
        FundingProject, on_delete=models.CASCADE, related_name="procurement_items", verbose_name=_("项目")
    )
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="procurement_items", verbose_name=_("预算明细")
    )
    item = models.CharField(_("设备名称"), max_length=120)
    spec = models.TextField(_("规格参数"), blank=True)
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    quantity = models.PositiveIntegerField(_("数量"))
    unit_price = models.DecimalField(_("单价（元）"), **MONEY)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)  # as BudgetLine.version
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantManager(school="project__school")

    class Meta:
        verbose_name = _("采购设备")
        verbose_name_plural = _("采购设备")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(name="procurement_quantity_positive", condition=Q(quantity__gt=0)),
            models.CheckConstraint(name="procurement_unit_price_not_negative", condition=Q(unit_price__gte=0)),
        ]

    def __str__(self) -> str:
        return self.item

    @property
    def line_total(self) -> Decimal:
        return (self.unit_price * self.quantity).quantize(Decimal("0.01"))


class Settlement(models.Model):
    """The exam-fee settlement statement (考核费结算单) between a school and an organisation for a year.

    Only its header is stored: the candidates assessed and the amount due are computed from the
    results (``funding.settlement_selectors``), the amount paid from the spendings that name it. The
    school and the organisation read the same rows through their own scope, so both see the same
    statement to the fen.
    """

    school = models.ForeignKey(
        "accounts.School", on_delete=models.PROTECT, related_name="settlements", verbose_name=_("学校")
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="settlements", verbose_name=_("培训评价组织")
    )
    year = models.PositiveSmallIntegerField(_("试点年度"))
    note = models.TextField(_("备注"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantManager(school="school", organisation="organisation")

    class Meta:
        verbose_name = _("考核费结算单")
        verbose_name_plural = _("考核费结算单")
        ordering = ["-year", "organisation__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["school", "organisation", "year"], name="settlement_unique_year"),
            models.CheckConstraint(name="settlement_year_plausible", condition=Q(year__gte=2000, year__lte=2100)),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.organisation}"


class Spending(models.Model):
    """Money paid out of a budget line (支出). An overspend is kept only with its reason.

    A payment of exam fees names its settlement statement; the organisation then sees that payment
    (and only such payments) through the settlement.
    """

    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="spendings", verbose_name=_("预算明细")
    )
    date = models.DateField(_("支出日期"))
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    payee = models.CharField(_("收款单位"), max_length=120)
    voucher_number = models.CharField(_("凭证号"), max_length=50, blank=True)
    overspend_reason = models.TextField(_("超支原因"), blank=True)
    settlement = models.ForeignKey(
        Settlement,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("结算单"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantManager(school="budget_line__project__school", organisation="settlement__organisation")

    class Meta:
        verbose_name = _("支出")
        verbose_name_plural = _("支出")
        ordering = ["date", "id"]
        constraints = [models.CheckConstraint(name="spending_amount_positive", condition=Q(amount__gt=0))]

    def __str__(self) -> str:
        return f"{self.date} · {self.payee} · {self.amount}"


class Metric(models.TextChoices):
    PILOTS = "pilots", _("证书试点数")
    PARTICIPANTS = "participants", _("参与人数")
    PASS_RATE = "pass_rate", _("考核通过率（%）")
    CERTIFICATES = "certificates", _("发证数")
    CERTIFIED = "certified", _("取证人数")
    TEACHERS_TRAINED = "teachers_trained", _("师资培训人次")


class Comparison(models.TextChoices):
    GTE = "gte", "≥"
    GT = "gt", ">"
    LTE = "lte", "≤"


class TargetKind(models.TextChoices):
    LIVE = "live", _("自动统计")
    REPORTED = "reported", _("填报")


def _evidence_path(instance: models.Model, filename: str) -> str:
    return f"funding/evidence/{uuid.uuid4().hex}/{filename}"


class PerformanceTarget(models.Model):
    """A performance target (绩效目标).

    A live target's actual value is computed from the records (never typed); a reported target
    (e.g. 毕业生就业率) has no record to compute it, so the admin enters the value with its evidence
    and who/when is kept.
    """

    project = models.ForeignKey(
        FundingProject, on_delete=models.CASCADE, related_name="targets", verbose_name=_("项目")
    )
    kind = models.CharField(_("类型"), max_length=10, choices=TargetKind.choices, default=TargetKind.LIVE)
    metric = models.CharField(_("指标"), max_length=30, choices=Metric.choices, blank=True)
    name = models.CharField(_("指标名称"), max_length=100, blank=True, help_text=_("填报类指标的名称"))
    comparison = models.CharField(_("比较"), max_length=5, choices=Comparison.choices, default=Comparison.GTE)
    target = models.DecimalField(_("目标值"), **MONEY)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    reported_value = models.DecimalField(_("填报值"), null=True, blank=True, **MONEY)
    evidence_note = models.TextField(_("佐证说明"), blank=True)
    evidence_file = models.FileField(_("佐证材料"), upload_to=_evidence_path, max_length=300, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_at = models.DateTimeField(_("填报时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantManager(school="project__school")

    class Meta:
        verbose_name = _("绩效目标")
        verbose_name_plural = _("绩效目标")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(name="performance_target_not_negative", condition=Q(target__gte=0)),
            models.UniqueConstraint(
                fields=["project", "metric"], condition=Q(kind="live"), name="performance_target_unique_metric"
            ),
            models.CheckConstraint(
                name="performance_target_kind_fields",
                condition=(Q(kind="live") & ~Q(metric="") & Q(reported_value__isnull=True))
                | (Q(kind="reported") & Q(metric="") & ~Q(name="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.get_comparison_display()} {self.target}"

    @property
    def label(self) -> str:
        return self.name if self.kind == TargetKind.REPORTED else str(self.get_metric_display())


class TargetReport(models.Model):
    """One report of a reported target's value (history): a new report never erases the last.

    The target keeps the latest value for the performance table; these rows keep every value with
    its evidence, who and when.
    """

    target = models.ForeignKey(
        PerformanceTarget, on_delete=models.CASCADE, related_name="reports", verbose_name=_("绩效目标")
    )
    value = models.DecimalField(_("填报值"), **MONEY)
    evidence_note = models.TextField(_("佐证说明"), blank=True)
    evidence_file = models.FileField(_("佐证材料"), upload_to=_evidence_path, max_length=300, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_at = models.DateTimeField(_("填报时间"))

    objects = TenantManager(school="target__project__school")

    class Meta:
        verbose_name = _("绩效目标填报记录")
        verbose_name_plural = _("绩效目标填报记录")
        ordering = ["-reported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.target} · {self.value}"


class FundingEvent(models.Model):
    """One change of a funding project (变更记录): who, when, what in words and in data.

    Written by the service in the transaction of the change, so both happen or neither. A deleted
    line, item or spending lives on only here: ``data`` keeps its values (as strings, money to the
    fen) and the reason given, ``detail`` says it in words with the numbers of that moment.
    """

    class Kind(models.TextChoices):
        LINE_CREATED = "line_created", _("预算明细新增")
        LINE_UPDATED = "line_updated", _("预算明细修改")
        LINE_DELETED = "line_deleted", _("预算明细删除")
        EXAM_FEES_COMPUTED = "exam_fees_computed", _("按收费标准计算考核费")
        ITEM_CREATED = "item_created", _("采购设备新增")
        ITEM_UPDATED = "item_updated", _("采购设备修改")
        ITEM_DELETED = "item_deleted", _("采购设备删除")
        SPENDING_CREATED = "spending_created", _("支出登记")
        SPENDING_REMOVED = "spending_removed", _("支出撤销")
        PROJECT_UPDATED = "project_updated", _("项目修改")
        TARGET_CREATED = "target_created", _("绩效目标新增")
        TARGET_REPORTED = "target_reported", _("绩效目标填报")

    project = models.ForeignKey(FundingProject, on_delete=models.CASCADE, related_name="events", verbose_name=_("项目"))
    kind = models.CharField(_("操作"), max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("操作人"),
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    # Written once, in the language active at the time, with the names and numbers of that moment.
    detail = models.TextField(_("说明"))
    data = models.JSONField(_("数据"), default=dict, blank=True)  # ids, old/new values as strings, reason

    objects = TenantManager(school="project__school")

    class Meta:
        verbose_name = _("专项资金变更记录")
        verbose_name_plural = _("专项资金变更记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["project", "-at", "-id"], name="funding_event_project_at")]
        constraints = [
            models.CheckConstraint(
                name="funding_event_kind_valid",
                condition=Q(
                    kind__in=[
                        "line_created",
                        "line_updated",
                        "line_deleted",
                        "exam_fees_computed",
                        "item_created",
                        "item_updated",
                        "item_deleted",
                        "spending_created",
                        "spending_removed",
                        "project_updated",
                        "target_created",
                        "target_reported",
                    ]
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} @ {self.at:%Y-%m-%d %H:%M}"
