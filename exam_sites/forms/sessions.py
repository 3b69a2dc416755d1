"""The form that adds a session to a batch. Querysets of tenant models are set in ``__init__``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import Batch
from ..selectors.batches import invigilators_for, site_rooms
from .common import DATE, TIME, user_label


class SessionForm(forms.Form):
    room = forms.ModelChoiceField(label=_("考场"), queryset=None)
    date = forms.DateField(label=_("日期"), widget=DATE)
    starts_at = forms.TimeField(label=_("开始时间"), widget=TIME)
    ends_at = forms.TimeField(label=_("结束时间"), widget=TIME)
    seats = forms.IntegerField(label=_("座位数"), min_value=1)
    invigilator = forms.ModelChoiceField(
        label=_("督考"), queryset=None, help_text=_("持有本证书督考资格的本校教职工。")
    )

    def __init__(self, *args: Any, batch: Batch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = site_rooms(batch.site)
        self.fields["room"].label_from_instance = lambda r: (
            gettext("%(room)s（%(n)s 个工位）")
            % {
                "room": r.name,
                "n": r.workstations,
            }
        )
        self.fields["invigilator"].queryset = invigilators_for(certificate_id=batch.pilot.certificate_id)
        self.fields["invigilator"].label_from_instance = user_label
