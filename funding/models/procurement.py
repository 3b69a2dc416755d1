"""The equipment list (设备购置清单) of a project."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.scoping import TenantManager
from funding.money import FEN, MONEY


class ProcurementItem(models.Model):
    """A row of the equipment list; its line total is quantity × unit price."""

    project = models.ForeignKey(
        "funding.FundingProject", on_delete=models.CASCADE, related_name="procurement_items", verbose_name=_("项目")
    )
    budget_line = models.ForeignKey(
        "funding.BudgetLine", on_delete=models.PROTECT, related_name="procurement_items", verbose_name=_("预算明细")
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
        return (self.unit_price * self.quantity).quantize(FEN)
