"""Forms of a sheet's notice: publishing it, recording an objection and its answer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Result, ResultSheet
from ..services.notice import MAX_NOTICE_DAYS


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
