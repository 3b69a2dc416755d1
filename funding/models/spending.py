"""Spending (支出): money paid out of a budget line."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.scoping import TenantManager
from funding.money import MONEY


class Spending(models.Model):
    """Money paid out of a budget line. An overspend is kept only with its reason.

    A payment of exam fees names its settlement statement; the organisation then sees that payment
    (and only such payments) through the settlement.
    """

    budget_line = models.ForeignKey(
        "funding.BudgetLine", on_delete=models.PROTECT, related_name="spendings", verbose_name=_("预算明细")
    )
    date = models.DateField(_("支出日期"))
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    payee = models.CharField(_("收款单位"), max_length=120)
    voucher_number = models.CharField(_("凭证号"), max_length=50, blank=True)
    overspend_reason = models.TextField(_("超支原因"), blank=True)
    settlement = models.ForeignKey(
        "funding.Settlement",
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
