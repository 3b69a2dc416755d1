"""Typed budget lines (new and corrected) and the confirmation of the exam-fee computation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .common import money_field, version_field


class BudgetLineForm(forms.Form):
    category = forms.CharField(label=_("类别"), max_length=80, help_text=_("如：1+X证书考核设备设施"))
    sub_project = forms.CharField(label=_("子项目"), max_length=100, required=False)
    content = forms.CharField(label=_("建设内容"), max_length=200)
    amount = money_field(_("预算金额（元）"))


class BudgetLineEditForm(BudgetLineForm):
    """A typed line corrected; ``version`` is the line's as the form was rendered."""

    version = version_field()
    confirm_below_spent = forms.BooleanField(
        label=_("确认调低至已支出金额以下"),
        required=False,
        help_text=_("仅当新的预算金额低于该明细已支出的金额时需要勾选。"),
    )
    reason = forms.CharField(label=_("调低原因"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("confirm_below_spent") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("确认调低时须填写原因。"))
        return data


class ExamFeeComputeForm(forms.Form):
    """Confirms the preview: its signature, so that the lines written are the ones the user saw."""

    signature = forms.CharField(widget=forms.HiddenInput, max_length=64)
