"""Forms of announcements and rounds (the organisation)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pilots.models import Certificate, Level

from .common import DATE


class AnnouncementForm(forms.Form):
    certificate = forms.ModelChoiceField(label=_("证书"), queryset=Certificate.objects.none())
    year = forms.IntegerField(label=_("年度"), min_value=2019, max_value=2100)
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(label=_("公告内容"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["certificate"].queryset = Certificate.objects.filter(
            organisation_id=organisation_id, is_active=True
        ).order_by("code")


class RoundForm(forms.Form):
    name = forms.CharField(label=_("轮次"), max_length=50, help_text=_("如：第一轮"))
    starts_on = forms.DateField(label=_("考核开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("考核结束日期"), widget=DATE)
    registration_closes_on = forms.DateField(label=_("报名截止日期"), widget=DATE)
    levels = forms.MultipleChoiceField(label=_("考核等级"), choices=Level.choices, widget=forms.CheckboxSelectMultiple)
