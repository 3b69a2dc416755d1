"""Forms of the collection roster: one class's roster, or many rosters in one ZIP."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class RosterForm(forms.Form):
    what = forms.ChoiceField(label=_("证书"), required=False)
    period = forms.ChoiceField(label=_("鉴定时间"), required=False)

    def __init__(self, *args, choices: dict[str, list[tuple[str, str]]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["what"].choices = [("", _("本期全部证书"))] + choices["certificates"]
        self.fields["period"].choices = [("", _("全部"))] + choices["periods"]

    def clean(self):
        data = super().clean()
        if not data.get("what") and not data.get("period"):
            raise forms.ValidationError(_("请选择一个证书，或选择鉴定时间以列出该期全部证书。"))
        return data

    def spec(self) -> dict[str, str]:
        return {"what": self.cleaned_data.get("what") or "", "period": self.cleaned_data.get("period") or ""}


class RosterZipForm(forms.Form):
    """Either a batch or a year: all the rosters of one, packed into one ZIP."""

    batch = forms.ModelChoiceField(label=_("考核批次"), queryset=None, required=False, empty_label=_("（按年度）"))
    year = forms.TypedChoiceField(label=_("发证年度"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, batches, years: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["batch"].queryset = batches
        self.fields["year"].choices = [("", _("（按批次）"))] + [(y, str(y)) for y in years]

    def clean(self) -> dict:
        data = super().clean()
        if bool(data.get("batch")) == bool(data.get("year")):
            raise forms.ValidationError(_("请选择一个考核批次或一个年度（二选一）。"))
        return data
