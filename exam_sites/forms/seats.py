"""Forms of seats: allocate a batch's candidates, move one candidate."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import ExamSession
from ..selectors.batches import batch_sessions, session_seats


class AllocateForm(forms.Form):
    FILL = "fill"
    RESET = "reset"
    mode = forms.ChoiceField(
        label=_("分配方式"),
        choices=[(FILL, _("为未分配座位的考生分配（保留已有座位）")), (RESET, _("清空本批次座位后重新分配"))],
        initial=FILL,
        widget=forms.RadioSelect,
    )


class MoveForm(forms.Form):
    seat = forms.ModelChoiceField(label=_("考生"), queryset=None)
    target = forms.ModelChoiceField(label=_("调入场次"), queryset=None)
    number = forms.IntegerField(
        label=_("座位号"), min_value=1, required=False, help_text=_("留空则取该场次最小的空座位号。")
    )

    def __init__(self, *args: Any, session: ExamSession, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["seat"].queryset = session_seats(session)
        self.fields["seat"].label_from_instance = lambda s: (
            gettext("%(n)s 号 %(name)s")
            % {
                "n": s.number,
                "name": s.enrolment.person.name,
            }
        )
        self.fields["target"].queryset = batch_sessions(session.batch)
        self.fields["target"].label_from_instance = lambda s: (
            f"{s.date:%Y-%m-%d} {s.starts_at:%H:%M}–{s.ends_at:%H:%M} {s.room.name}（{s.taken}/{s.seats}）"
        )
