"""Equipment rows (new and corrected)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from funding.models import BudgetLine

from .common import ProjectLinesForm, money_field, version_field


class ProcurementItemForm(ProjectLinesForm):
    budget_line = forms.ModelChoiceField(label=_("预算明细"), queryset=BudgetLine.objects.none())
    item = forms.CharField(label=_("设备名称"), max_length=120)
    spec = forms.CharField(label=_("规格参数"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    unit = forms.CharField(label=_("单位"), max_length=20, required=False)
    quantity = forms.IntegerField(label=_("数量"), min_value=1)
    unit_price = money_field(_("单价（元）"), minimum="0")


class ProcurementItemEditForm(ProcurementItemForm):
    version = version_field()
