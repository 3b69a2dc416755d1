"""Performance targets (绩效目标): live ones measured from the records, reported ones entered with evidence."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.scoping import TenantManager
from funding.money import MONEY


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
    """A performance target.

    A live target's actual value is computed from the records (never typed); a reported target
    (e.g. 毕业生就业率) has no record to compute it, so the admin enters the value with its evidence
    and who/when is kept.
    """

    project = models.ForeignKey(
        "funding.FundingProject", on_delete=models.CASCADE, related_name="targets", verbose_name=_("项目")
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
