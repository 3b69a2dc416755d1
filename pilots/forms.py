from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Certificate, Cohort, FeeStandard, Level, Pilot, PilotStatus


class PilotApplyForm(forms.ModelForm):
    class Meta:
        model = Pilot
        fields = ["certificate", "level", "year", "cohort", "requested_quota", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"notes": _("例如：1个班在读")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certificate"].queryset = Certificate.objects.filter(is_active=True).order_by("code")
        self.fields["year"].initial = timezone.localdate().year
        self.fields["requested_quota"].min_value = 1
        self.fields["requested_quota"].widget.attrs["min"] = 1


class PilotApproveForm(forms.Form):
    quota = forms.IntegerField(label=_("批准的试点指标"), min_value=1)
    comment = forms.CharField(label=_("审批意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PilotDeclineForm(forms.Form):
    reason = forms.CharField(label=_("不予批准的理由"), widget=forms.Textarea(attrs={"rows": 2}))


class PilotStepForm(forms.Form):
    comment = forms.CharField(label=_("说明"), required=False, max_length=500)


class PilotFilterForm(forms.Form):
    year = forms.IntegerField(label=_("年份"), required=False)
    certificate = forms.ModelChoiceField(label=_("证书"), queryset=Certificate.objects.none(), required=False)
    level = forms.ChoiceField(label=_("等级"), choices=[("", _("全部"))] + Level.choices, required=False)
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部"))] + PilotStatus.choices, required=False)
    cohort = forms.ChoiceField(label=_("试点对象"), choices=[("", _("全部"))] + Cohort.choices, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certificate"].queryset = Certificate.objects.order_by("code")

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "year": data.get("year"),
            "certificate_id": data["certificate"].pk if data.get("certificate") else None,
            "level": data.get("level") or "",
            "status": data.get("status") or "",
            "cohort": data.get("cohort") or "",
        }


class FeeStandardForm(forms.ModelForm):
    class Meta:
        model = FeeStandard
        fields = ["certificate", "level", "fee", "effective_from"]
        widgets = {"effective_from": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, certificates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certificate"].queryset = certificates
        self.fields["fee"].min_value = 0

    def validate_unique(self):
        """The service updates the fee of an existing date instead of refusing it."""
