"""Results (成绩) of assessment batches: a batch's sheet, its results and the objections to them.

A batch has one ``ResultSheet`` whose status moves 成绩登记中 → 成绩公示中 → 已结束; each seat has at
most one ``Result``; objections during the notice are ``Objection`` rows recorded by the school
admin. Every change to a result is a line of the audit log (``certificates/history.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.scoping import TenantManager

SHEET_PATHS = {"school": "sheet__batch__school", "organisation": "sheet__batch__pilot__certificate__organisation"}


class ResultSheet(models.Model):
    class Status(models.TextChoices):
        ENTERING = "entering", _("成绩登记中")
        NOTICE = "notice", _("成绩公示中")
        FINAL = "final", _("已结束")

    batch = models.OneToOneField("exam_sites.Batch", on_delete=models.PROTECT, related_name="result_sheet")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.ENTERING)
    notice_days = models.PositiveSmallIntegerField(_("公示天数"), default=5)
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notice_ends_on = models.DateField(_("公示截止日期"), null=True, blank=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TenantManager(school="batch__school", organisation="batch__pilot__certificate__organisation")

    class Meta:
        verbose_name = _("成绩单")
        verbose_name_plural = _("成绩单")

    def __str__(self) -> str:
        return f"{self.batch} · {self.get_status_display()}"


class Result(models.Model):
    class Outcome(models.TextChoices):
        PENDING = "pending", _("未录入")
        PASS = "pass", _("合格")
        FAIL = "fail", _("不合格")
        ABSENT = "absent", _("缺考")

    sheet = models.ForeignKey(ResultSheet, on_delete=models.PROTECT, related_name="results")
    seat = models.OneToOneField("exam_sites.Seat", on_delete=models.PROTECT, related_name="result")
    enrolment = models.ForeignKey("students.Enrolment", on_delete=models.PROTECT, related_name="results")
    theory = models.DecimalField(_("理论成绩"), max_digits=5, decimal_places=1, null=True, blank=True)
    practical = models.DecimalField(_("实操成绩"), max_digits=5, decimal_places=1, null=True, blank=True)
    absent = models.BooleanField(_("缺考"), default=False)
    # Pass/fail is computed from the level's pass mark by the service, never typed.
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    is_retake = models.BooleanField(_("补考"), default=False)
    theory_carried = models.BooleanField(_("理论成绩沿用"), default=False)
    practical_carried = models.BooleanField(_("实操成绩沿用"), default=False)
    # Optimistic lock: a save carries the version its form was rendered with.
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantManager(**SHEET_PATHS)

    class Meta:
        verbose_name = _("成绩")
        verbose_name_plural = _("成绩")
        ordering = ["seat__session__date", "seat__number"]
        constraints = [
            models.CheckConstraint(
                name="result_theory_range", condition=Q(theory__isnull=True) | Q(theory__gte=0, theory__lte=100)
            ),
            models.CheckConstraint(
                name="result_practical_range",
                condition=Q(practical__isnull=True) | Q(practical__gte=0, practical__lte=100),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} · {self.get_outcome_display()}"


class Objection(models.Model):
    """An objection raised during the notice, recorded by the school admin (candidates have no login)."""

    class Status(models.TextChoices):
        OPEN = "open", _("待答复")
        ANSWERED = "answered", _("已答复")

    sheet = models.ForeignKey(ResultSheet, on_delete=models.PROTECT, related_name="objections")
    result = models.ForeignKey(Result, null=True, blank=True, on_delete=models.PROTECT, related_name="objections")
    received_on = models.DateField(_("收到日期"))
    raised_by = models.CharField(_("提出人"), max_length=50)
    content = models.TextField(_("异议内容"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("答复"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = TenantManager(**SHEET_PATHS)

    class Meta:
        verbose_name = _("成绩异议")
        verbose_name_plural = _("成绩异议")
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return f"{self.raised_by} · {self.get_status_display()}"
