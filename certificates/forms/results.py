"""Forms of the results pages: a grid row, a correction, opening a batch's sheet.

Scores are checked again by the services (0–100, required parts)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from exam_sites.models import Batch

from ..models import Result, ResultSheet

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
