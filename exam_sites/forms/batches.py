"""Forms of batches (the school): plan one, edit it. Querysets of tenant models are set in ``__init__``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import Batch
from ..selectors.announcements import open_rounds
from ..selectors.batches import plannable_pilots, plannable_sites, teachers_for_batch
from .common import DATE, user_label


class BatchForm(forms.Form):
    round = forms.ModelChoiceField(label=_("轮次"), queryset=None)
    pilot = forms.ModelChoiceField(label=_("试点"), queryset=None)
    site = forms.ModelChoiceField(label=_("考点"), queryset=None)
    name = forms.CharField(label=_("批次名称"), max_length=100, required=False, help_text=_("留空则按轮次和证书命名。"))
    familiarisation_on = forms.DateField(
        label=_("熟悉场地日"), required=False, widget=DATE, help_text=_("考生可免费熟悉场地一天，印在场次名单上。")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = open_rounds()
        self.fields["round"].label_from_instance = lambda r: (
            gettext("%(certificate)s · %(year)s %(round)s（%(start)s 至 %(end)s）")
            % {
                "certificate": r.announcement.certificate.name,
                "year": r.announcement.year,
                "round": r.name,
                "start": f"{r.starts_on:%Y-%m-%d}",
                "end": f"{r.ends_on:%Y-%m-%d}",
            }
        )
        self.fields["pilot"].queryset = plannable_pilots()
        self.fields["site"].queryset = plannable_sites()

    def plan(self) -> dict[str, Any]:
        """The cleaned data as ``services.batches.batch_create`` names it."""
        data = dict(self.cleaned_data)
        data["exam_round"] = data.pop("round")
        return data


class BatchEditForm(forms.Form):
    name = forms.CharField(label=_("批次名称"), max_length=100)
    familiarisation_on = forms.DateField(label=_("熟悉场地日"), required=False, widget=DATE)
    teachers = forms.ModelMultipleChoiceField(
        label=_("录入成绩的教师"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, batch: Batch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["teachers"].queryset = teachers_for_batch()
        self.fields["teachers"].label_from_instance = user_label
