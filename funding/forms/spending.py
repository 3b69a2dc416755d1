"""A payment entered, and one removed with its reason."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from funding.models import BudgetLine, FundingProject, Settlement

from .common import DATE, ProjectLinesForm, money_field


class SpendingForm(ProjectLinesForm):
    def __init__(self, *args: Any, project: FundingProject, **kwargs: Any) -> None:
        super().__init__(*args, project=project, **kwargs)
        self.fields["settlement"].queryset = Settlement.objects.select_related("organisation").order_by(
            "-year", "organisation__name", "id"
        )

    budget_line = forms.ModelChoiceField(label=_("预算明细"), queryset=BudgetLine.objects.none())
    date = forms.DateField(label=_("支出日期"), widget=DATE)
    amount = money_field(_("金额（元）"))
    payee = forms.CharField(label=_("收款单位"), max_length=120)
    voucher_number = forms.CharField(label=_("凭证号"), max_length=50, required=False)
    settlement = forms.ModelChoiceField(
        label=_("结算单"),
        queryset=Settlement.objects.none(),
        required=False,
        help_text=_("支付考核费时选择对应的考核费结算单，培训评价组织即可在结算单上看到这笔付款。"),
    )
    confirm_overspend = forms.BooleanField(
        label=_("确认超支"), required=False, help_text=_("仅当本次支出使该预算明细超支时需要勾选。")
    )
    overspend_reason = forms.CharField(label=_("超支原因"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("confirm_overspend") and not (data.get("overspend_reason") or "").strip():
            self.add_error("overspend_reason", _("确认超支时须填写超支原因。"))
        return data


class SpendingRemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("撤销原因"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("如：重复登记、金额录错。原因记入变更记录。"),
        error_messages={"required": _("请填写撤销原因。")},
    )
