from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.feedback import errors_to_form

from .models import BudgetLine, Comparison, FundingProject, Metric, Settlement, TargetKind
from .services import StaleVersionError

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def money_field(label: Any, *, minimum: str = "0.01", required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=14, decimal_places=2, min_value=Decimal(minimum), required=required
    )


class ProjectForm(forms.ModelForm):
    class Meta:
        model = FundingProject
        fields = (
            "name",
            "source",
            "year",
            "document_number",
            "start_date",
            "end_date",
            "status",
            "declared_total",
            "necessity",
            "feasibility",
            "benefits",
            "safeguards",
        )
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "necessity": forms.Textarea(attrs={"rows": 4}),
            "feasibility": forms.Textarea(attrs={"rows": 4}),
            "benefits": forms.Textarea(attrs={"rows": 4}),
            "safeguards": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"declared_total": _("批复文件中的总额；预算明细合计与之不符时页面会提示。")}


class ProjectEditForm(ProjectForm):
    """The header edited; ``version`` is the project's as the form was rendered."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version


class BudgetLineForm(forms.Form):
    category = forms.CharField(label=_("类别"), max_length=80, help_text=_("如：1+X证书考核设备设施"))
    sub_project = forms.CharField(label=_("子项目"), max_length=100, required=False)
    content = forms.CharField(label=_("建设内容"), max_length=200)
    amount = money_field(_("预算金额（元）"))


class BudgetLineEditForm(BudgetLineForm):
    """A typed line corrected; ``version`` is the line's as the form was rendered (see correction_services)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
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


class VersionForm(forms.Form):
    """A delete confirmed: the version of the row the confirmation page showed."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class SpendingRemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("撤销原因"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("如：重复登记、金额录错。原因记入变更记录。"),
        error_messages={"required": _("请填写撤销原因。")},
    )


class _ProjectLinesForm(forms.Form):
    """A form whose budget line is chosen among the project's lines (queryset set per project)."""

    def __init__(self, *args: Any, project: FundingProject, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = BudgetLine.objects.filter(project=project).order_by(
            "category", "sub_project", "id"
        )


class ProcurementItemForm(_ProjectLinesForm):
    budget_line = forms.ModelChoiceField(label=_("预算明细"), queryset=BudgetLine.objects.none())
    item = forms.CharField(label=_("设备名称"), max_length=120)
    spec = forms.CharField(label=_("规格参数"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    unit = forms.CharField(label=_("单位"), max_length=20, required=False)
    quantity = forms.IntegerField(label=_("数量"), min_value=1)
    unit_price = money_field(_("单价（元）"), minimum="0")


class ProcurementItemEditForm(ProcurementItemForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class SpendingForm(_ProjectLinesForm):
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


class ExamFeeComputeForm(forms.Form):
    """Confirms the preview: its signature, so that the lines written are the ones the user saw."""

    signature = forms.CharField(widget=forms.HiddenInput, max_length=64)


def refreshed_form(
    form_class: type[forms.BaseForm], request: HttpRequest, exc: StaleVersionError, **kwargs: Any
) -> forms.BaseForm:
    """The admin's own input again, now against the row's current version, with what the other saved.

    Saving once more is a decision taken after reading the other's values, never a silent overwrite.
    """
    data = request.POST.copy()
    data["version"] = str(exc.current_version)
    form = form_class(data, **kwargs)
    form.is_valid()
    errors_to_form(form, exc)
    return form
