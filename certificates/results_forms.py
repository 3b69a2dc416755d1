"""Forms of the results pages. Scores are checked again by the services (0–100, required parts)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exam_sites.models import Batch

from .models import Result, ResultSheet
from .results_services import MAX_NOTICE_DAYS

SCORE_ERRORS = {
    "invalid": _("须为数字。"),
    "max_decimal_places": _("最多保留一位小数。"),
    "max_digits": _("须在 0 到 100 之间。"),
    "max_whole_digits": _("须在 0 到 100 之间。"),
    "min_value": _("须在 0 到 100 之间。"),
    "max_value": _("须在 0 到 100 之间。"),
}


def _score_field(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        error_messages=SCORE_ERRORS,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class ResultRowForm(forms.Form):
    """One row of the grid (or the correction form of a result): the values and the version seen."""

    seat = forms.IntegerField(widget=forms.HiddenInput, required=False)
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    theory = _score_field(_("理论成绩"))
    practical = _score_field(_("实操成绩"))
    absent = forms.BooleanField(label=_("缺考"), required=False)
    reason = forms.CharField(label=_("更正原因"), required=False, max_length=500)

    def __init__(self, *args: Any, sheet: ResultSheet | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if sheet is not None:
            certificate = sheet.batch.pilot.certificate
            if not certificate.has_theory:
                del self.fields["theory"]
            if not certificate.has_practical:
                del self.fields["practical"]
            if sheet.status != ResultSheet.Status.ENTERING:
                self.fields["reason"].required = True


class CorrectionForm(ResultRowForm):
    """The correction form on a result's page."""

    def __init__(self, *args: Any, result: Result, **kwargs: Any) -> None:
        super().__init__(*args, sheet=result.sheet, **kwargs)
        del self.fields["seat"]
        self.fields["reason"].widget = forms.Textarea(attrs={"rows": 2})
        for part in ("theory", "practical"):
            if part in self.fields and getattr(result, f"{part}_carried"):
                self.fields[part].disabled = True
                self.fields[part].help_text = _("补考沿用成绩，不能修改。")


class OpenSheetForm(forms.Form):
    batch = forms.ModelChoiceField(label=_("考核批次"), queryset=Batch.objects.none())

    def __init__(self, *args: Any, batches: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["batch"].queryset = batches


class PublishForm(forms.Form):
    notice_days = forms.IntegerField(label=_("公示天数"), min_value=0, max_value=MAX_NOTICE_DAYS)


class ObjectionForm(forms.Form):
    result = forms.ModelChoiceField(label=_("涉及考生"), queryset=Result.objects.none(), required=False)
    received_on = forms.DateField(
        label=_("收到日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
    raised_by = forms.CharField(label=_("提出人"), max_length=50)
    content = forms.CharField(label=_("异议内容"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, sheet: ResultSheet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["result"]
        field.queryset = Result.objects.filter(sheet=sheet).select_related("enrolment__person", "seat")
        field.label_from_instance = lambda r: f"{r.seat.number} · {r.enrolment.person.name}"


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("答复"), widget=forms.Textarea(attrs={"rows": 2}))
