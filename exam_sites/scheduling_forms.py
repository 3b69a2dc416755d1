"""Forms of assessment scheduling. Querysets of tenant models are set in ``__init__``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pilots.models import Certificate, Level

from .models import Batch, ExamSession
from .scheduling_selectors import (
    batch_sessions,
    invigilators_for,
    open_rounds,
    plannable_pilots,
    plannable_sites,
    session_seats,
    site_rooms,
    teachers_for_batch,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _user_label(user: Any) -> str:
    return user.full_name or user.username


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


class BatchEditForm(forms.Form):
    name = forms.CharField(label=_("批次名称"), max_length=100)
    familiarisation_on = forms.DateField(label=_("熟悉场地日"), required=False, widget=DATE)
    teachers = forms.ModelMultipleChoiceField(
        label=_("录入成绩的教师"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, batch: Batch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["teachers"].queryset = teachers_for_batch()
        self.fields["teachers"].label_from_instance = _user_label


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
        self.fields["invigilator"].label_from_instance = _user_label


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
