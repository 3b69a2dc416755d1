"""Assessment scheduling: an organisation's annual announcements and their rounds; a school's batches,
their sessions and the candidates' seats.

Announcements and rounds belong to the organisation (a school reads the published ones through
``selectors.announcements``); batches, sessions and seats to the school and, read-only, to the
organisation of the batch's certificate. Their history is in the audit log (``scheduling.*``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.scoping import TenantManager

from .sites import ExamRoom, ExamSite

BATCH_PATHS = {"school": "batch__school", "organisation": "batch__pilot__certificate__organisation"}


class Announcement(models.Model):
    """An organisation's annual assessment announcement (年度鉴定公告) for one certificate.

    Schools read published announcements of the certificates they pilot through
    ``selectors.announcements.announcements_visible``; the manager lets only the organisation see its own rows.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="announcements", verbose_name=_("培训评价组织")
    )
    certificate = models.ForeignKey(
        "pilots.Certificate", on_delete=models.PROTECT, related_name="announcements", verbose_name=_("证书")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("公告内容"), blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantManager(school=None, organisation="organisation")

    class Meta:
        verbose_name = _("年度鉴定公告")
        verbose_name_plural = _("年度鉴定公告")
        ordering = ["-year", "certificate__code"]
        constraints = [
            models.UniqueConstraint(fields=["certificate", "year"], name="announcement_one_per_certificate_year"),
        ]

    def __str__(self) -> str:
        return self.title


class Round(models.Model):
    """One round of the year (一年多轮): assessment dates, registration deadline, levels covered."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="rounds")
    name = models.CharField(_("轮次"), max_length=50)
    starts_on = models.DateField(_("考核开始日期"))
    ends_on = models.DateField(_("考核结束日期"))
    registration_closes_on = models.DateField(_("报名截止日期"))
    levels = models.JSONField(_("考核等级"), default=list)

    objects = TenantManager(school=None, organisation="announcement__organisation")

    class Meta:
        verbose_name = _("考核轮次")
        verbose_name_plural = _("考核轮次")
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(name="round_dates_ordered", condition=Q(ends_on__gte=models.F("starts_on"))),
            models.CheckConstraint(
                name="round_registration_before_end", condition=Q(registration_closes_on__lte=models.F("ends_on"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.announcement.year} {self.name}"


class Batch(models.Model):
    """An assessment batch (考核批次): a pilot's certificate level assessed at an approved site in a round."""

    school = models.ForeignKey("accounts.School", on_delete=models.PROTECT, related_name="batches")
    pilot = models.ForeignKey("pilots.Pilot", on_delete=models.PROTECT, related_name="batches", verbose_name=_("试点"))
    site = models.ForeignKey(ExamSite, on_delete=models.PROTECT, related_name="batches", verbose_name=_("考点"))
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="batches", verbose_name=_("轮次"))
    name = models.CharField(_("批次名称"), max_length=100)
    familiarisation_on = models.DateField(_("熟悉场地日"), null=True, blank=True)
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="assigned_batches", verbose_name=_("录入成绩的教师")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("创建人")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantManager(school="school", organisation="pilot__certificate__organisation")

    class Meta:
        verbose_name = _("考核批次")
        verbose_name_plural = _("考核批次")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class ExamSession(models.Model):
    """A session (考场场次) of a batch: one room, one day, start and end, seats and an invigilator (督考)."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="sessions")
    room = models.ForeignKey(ExamRoom, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("考场"))
    date = models.DateField(_("日期"))
    starts_at = models.TimeField(_("开始时间"))
    ends_at = models.TimeField(_("结束时间"))
    seats = models.PositiveIntegerField(_("座位数"))
    invigilator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="invigilated_sessions", verbose_name=_("督考")
    )

    objects = TenantManager(**BATCH_PATHS)

    class Meta:
        verbose_name = _("场次")
        verbose_name_plural = _("场次")
        ordering = ["date", "starts_at", "id"]
        constraints = [
            models.CheckConstraint(name="session_times_ordered", condition=Q(ends_at__gt=models.F("starts_at"))),
            models.CheckConstraint(name="session_seats_positive", condition=Q(seats__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.starts_at:%H:%M} {self.room.name}"


class Seat(models.Model):
    """A candidate's seat in a session. A candidate has one seat per batch (``batch`` is stored to let
    the database enforce it)."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="seats")
    session = models.ForeignKey(ExamSession, on_delete=models.CASCADE, related_name="seat_set")
    enrolment = models.ForeignKey("students.Enrolment", on_delete=models.PROTECT, related_name="seats")
    number = models.PositiveIntegerField(_("座位号"))
    is_retake = models.BooleanField(_("补考"), default=False)

    objects = TenantManager(**BATCH_PATHS)

    class Meta:
        verbose_name = _("座位")
        verbose_name_plural = _("座位")
        ordering = ["session", "number"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "enrolment"], name="seat_one_per_candidate_per_batch"),
            models.UniqueConstraint(fields=["session", "number"], name="seat_number_unique_in_session"),
        ]

    def __str__(self) -> str:
        return f"{self.session} #{self.number}"
