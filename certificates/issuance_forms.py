"""Forms of issuance, collection, external certificates and rosters."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exam_sites.models import Batch

from .issuance_selectors import eligible_results
from .issuance_services import validate_assessment_period
from .models import ExternalCertificate, Result

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("鉴定时间"))
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("help_text", _("例如 2022.5-6"))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return validate_assessment_period(value) if value else value


class GenerateForm(forms.Form):
    """Generate numbers for every passed candidate of a batch who has none yet."""

    issued_on = forms.DateField(label=_("发证日期"), widget=DATE)
    assessment_period = PeriodField()


class ResultChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Result) -> str:
        person = obj.enrolment.person
        return f"{person.name}（{person.school_class or ''}）" if person.school_class else person.name


class RecordForm(forms.Form):
    """One certificate with a number typed in."""

    result = ResultChoiceField(label=_("考生"), queryset=Result.objects.none())
    number = forms.CharField(label=_("证书编号"), max_length=40)
    issued_on = forms.DateField(label=_("发证日期"), widget=DATE)
    assessment_period = PeriodField()

    def __init__(self, *args, batch: Batch, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result"].queryset = (
            eligible_results(batch_id=batch.pk)
            .select_related("enrolment__person__school_class")
            .order_by("enrolment__person__name", "id")
        )


class CollectForm(forms.Form):
    collected_by = forms.CharField(
        label=_("证书签领人"), max_length=50, help_text=_("本人，或代全班签领的班干部，如 学习委员 张三")
    )
    collected_on = forms.DateField(label=_("签领日期"), widget=DATE, initial=timezone.localdate)


class ClassCollectForm(CollectForm):
    what = forms.ChoiceField(label=_("证书"), required=False)

    field_order = ["what", "collected_by", "collected_on"]

    def __init__(self, *args, certificates: list[tuple[str, str]], **kwargs):
        kwargs.setdefault("auto_id", "collect_%s")  # the roster form on the same page has a "what" too
        super().__init__(*args, **kwargs)
        self.fields["what"].choices = [("", _("全部未签领的证书"))] + certificates


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


class ExternalCertificateForm(forms.ModelForm):
    class Meta:
        model = ExternalCertificate
        fields = ["name", "issuer", "level", "assessment_period", "issued_on", "number"]
        widgets = {"issued_on": DATE}
        help_texts = {"name": _("例如 机械设计工程师（AutoCAD）"), "level": _("没有等级可不填")}

    def clean_assessment_period(self):
        value = self.cleaned_data["assessment_period"]
        return validate_assessment_period(value) if value else value
