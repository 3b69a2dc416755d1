from django import forms
from django.utils.translation import gettext_lazy as _

from pilots.models import Certificate, Cohort, Level

from .selectors import ReportFilters, report_certificates


class ReportFilterForm(forms.Form):
    year_from = forms.IntegerField(label=_("起始年份"), required=False, min_value=2000, max_value=2100)
    year_to = forms.IntegerField(label=_("截止年份"), required=False, min_value=2000, max_value=2100)
    certificate = forms.ModelChoiceField(label=_("证书"), queryset=Certificate.objects.none(), required=False)
    level = forms.ChoiceField(label=_("等级"), choices=[("", _("全部"))] + Level.choices, required=False)
    cohort = forms.ChoiceField(label=_("试点对象"), choices=[("", _("全部"))] + Cohort.choices, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certificate"].queryset = report_certificates()
        self.fields["certificate"].empty_label = _("全部")

    def clean(self):
        data = super().clean()
        start, end = data.get("year_from"), data.get("year_to")
        if start and end and start > end:
            raise forms.ValidationError(_("起始年份不能晚于截止年份。"))
        return data

    def filters(self) -> ReportFilters:
        """The chosen filters; an invalid form filters nothing (its errors are shown)."""
        if not self.is_bound or not self.is_valid():
            return ReportFilters()
        data = self.cleaned_data
        return ReportFilters(
            year_from=data.get("year_from"),
            year_to=data.get("year_to"),
            certificate_id=data["certificate"].pk if data.get("certificate") else None,
            level=data.get("level") or "",
            cohort=data.get("cohort") or "",
        )
