"""Budget lines (预算明细): typed by the admin, or computed from a pilot (the exam-fee lines)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.scoping import TenantManager
from funding.money import MONEY


class BudgetLine(models.Model):
    """One line of the budget table: category (e.g. 1+X证书考核), sub-project, content and amount."""

    project = models.ForeignKey(
        "funding.FundingProject", on_delete=models.CASCADE, related_name="lines", verbose_name=_("项目")
    )
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
