"""Performance targets: a new one, and a reported value with its evidence."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from funding.models import Comparison, Metric, TargetKind

from .common import money_field


class TargetForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=TargetKind.choices,
        initial=TargetKind.LIVE,
        help_text=_(
            "自动统计：实际值由系统根据试点、报名、成绩、证书和师资记录计算；填报：由管理员填写实际值并附佐证。"
        ),
    )
    metric = forms.ChoiceField(
        label=_("指标（自动统计）"), choices=[("", "---------"), *Metric.choices], required=False
    )
    name = forms.CharField(
        label=_("指标名称（填报）"), max_length=100, required=False, help_text=_("如：毕业生就业率、服务对象满意度")
    )
    comparison = forms.ChoiceField(label=_("比较"), choices=Comparison.choices)
    target = money_field(_("目标值"), minimum="0")
    description = forms.CharField(label=_("说明"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == TargetKind.LIVE and not data.get("metric"):
            self.add_error("metric", _("自动统计的指标须选择指标。"))
        if data.get("kind") == TargetKind.REPORTED and not (data.get("name") or "").strip():
            self.add_error("name", _("填报类指标须填写指标名称。"))
        return data


class TargetReportForm(forms.Form):
    value = money_field(_("实际值"), minimum="0")
    evidence_note = forms.CharField(label=_("佐证说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    evidence_file = forms.FileField(label=_("佐证材料"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (data.get("evidence_note") or "").strip() and not data.get("evidence_file"):
            self.add_error("evidence_note", _("请填写佐证说明或上传佐证材料。"))
        return data
