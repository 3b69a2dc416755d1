"""Forms of issuance: generating numbers for a batch, or recording one typed-in number."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from exam_sites.models import Batch

from ..models import Result
from ..selectors.issuance import eligible_results
from ..services.issuance import validate_assessment_period

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
