"""The funding project (专项资金项目): its header, as the approved document states it.

Totals are never stored: they are computed in ``funding.selectors.budget`` from the lines and spending.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.scoping import TenantManager
from funding.money import MONEY


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
