"""Exam-site applications (考点申报表), their review history, and the sites they create.

An application belongs to a school and names one certificate; the certificate's organisation reviews
it. Reviewers never see drafts: that rule lives in ``selectors.applications_visible`` (the manager
only knows who the tenant is, not which status a tenant may see).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scoping import TenantManager
from pilots.models import Level

APPLICATION_PATHS = {"school": "application__school", "organisation": "application__certificate__organisation"}


class SiteApplication(models.Model):
    class Kind(models.TextChoices):
        EXAM_SITE = "exam_site", _("考点")
        GUIDANCE_CENTRE = "guidance_centre", _("省指导中心")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")
        APPROVED = "approved", _("已批准")
        RETURNED = "returned", _("退回修改")
        REJECTED = "rejected", _("未通过")

    OPEN_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED)
    EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)

    school = models.ForeignKey(
        "accounts.School", on_delete=models.PROTECT, related_name="site_applications", verbose_name=_("学校")
    )
    certificate = models.ForeignKey(
        "pilots.Certificate", on_delete=models.PROTECT, related_name="site_applications", verbose_name=_("证书")
    )
    # 单位基本情况
    unit_name = models.CharField(_("单位名称"), max_length=100, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    is_pilot_school = models.BooleanField(_("是否试点院校"), default=True)
    kind = models.CharField(_("申报类型"), max_length=20, choices=Kind.choices, default=Kind.EXAM_SITE)
    levels = models.JSONField(_("申报考核等级"), default=list, blank=True)  # a list of pilots.models.Level values
    # 预考核规模
    daily_max = models.PositiveIntegerField(_("每天最大考核量"), null=True, blank=True)
    expected_candidates = models.PositiveIntegerField(_("预计考核人数"), null=True, blank=True)
    sessions_per_day = models.PositiveSmallIntegerField(_("每天考核场次"), default=1)
    profile = models.TextField(_("单位简介"), blank=True)
    # 场地和设备情况
    computers = models.TextField(_("计算机配置"), blank=True)
    software = models.TextField(_("软件及授权"), blank=True)
    network = models.TextField(_("网络情况"), blank=True)
    # 其他情况
    organisation_text = models.TextField(_("组织机构"), blank=True)
    exam_team = models.TextField(_("考务团队"), blank=True)
    rules = models.TextField(_("管理制度"), blank=True)
    mechanism = models.TextField(_("工作机制"), blank=True)
    # 联合申报
    is_joint = models.BooleanField(_("联合申报"), default=False)
    lead_school_name = models.CharField(_("牵头单位"), max_length=100, blank=True)
    # workflow
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    review_comment = models.TextField(_("审核意见"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("审批人"),
    )
    # Optimistic concurrency: every write checks and bumps it, so a stale form never silently wins.
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantManager(school="school", organisation="certificate__organisation")

    class Meta:
        verbose_name = _("考点申报")
        verbose_name_plural = _("考点申报")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "certificate", "kind"],
                condition=Q(status__in=["draft", "submitted", "returned"]),
                name="site_application_one_open_per_certificate_kind",
            ),
            models.CheckConstraint(name="site_application_version_positive", condition=Q(version__gte=1)),
            models.CheckConstraint(name="site_application_sessions_positive", condition=Q(sessions_per_day__gte=1)),
            models.CheckConstraint(
                name="site_application_status_valid",
                condition=Q(status__in=["draft", "submitted", "approved", "returned", "rejected"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_name or self.school} · {self.certificate} · {self.get_kind_display()}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def level_labels(self) -> list[str]:
        return [str(label) for value, label in Level.choices if value in (self.levels or [])]

    def level_marks(self) -> list[tuple[str, bool]]:
        """(label, chosen) for each level, in order: the PDF prints ☑/☐."""
        return [(str(label), value in (self.levels or [])) for value, label in Level.choices]


class SiteContact(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("考点负责人")
        DAILY = "daily", _("考核工作日常联系人")
        PLATFORM = "platform", _("考试服务平台管理员")

    application = models.ForeignKey(SiteApplication, on_delete=models.CASCADE, related_name="contacts")
    role = models.CharField(_("联系人类别"), max_length=20, choices=Role.choices)
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    title = models.CharField(_("职务"), max_length=50, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    mobile = models.CharField(_("手机"), max_length=30, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    wechat = models.CharField(_("微信号"), max_length=50, blank=True)

    objects = TenantManager(**APPLICATION_PATHS)

    class Meta:
        verbose_name = _("考点联系人")
        verbose_name_plural = _("考点联系人")
        constraints = [models.UniqueConstraint(fields=["application", "role"], name="site_contact_one_per_role")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}"

    @property
    def is_complete(self) -> bool:
        return bool(self.name and self.title and self.mobile and self.email)


class SiteRoom(models.Model):
    application = models.ForeignKey(SiteApplication, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("场地名称"), max_length=100)
    area = models.DecimalField(_("面积（平方米）"), max_digits=8, decimal_places=2)
    workstations = models.PositiveIntegerField(_("工位数"))
    position = models.PositiveSmallIntegerField(default=0)

    objects = TenantManager(**APPLICATION_PATHS)

    class Meta:
        verbose_name = _("考核场地")
        verbose_name_plural = _("考核场地")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(name="site_room_area_positive", condition=Q(area__gt=0)),
            models.CheckConstraint(name="site_room_workstations_positive", condition=Q(workstations__gt=0)),
        ]

    def __str__(self) -> str:
        return self.name


class PartnerUnit(models.Model):
    """A unit of a joint application (联合申报): what it contributes."""

    application = models.ForeignKey(SiteApplication, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("联合单位名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contribution = models.TextField(_("承担内容"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = TenantManager(**APPLICATION_PATHS)

    class Meta:
        verbose_name = _("联合申报单位")
        verbose_name_plural = _("联合申报单位")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class SiteApplicationEvent(models.Model):
    """One step of an application's history: who, when, from which status to which, and why."""

    application = models.ForeignKey(SiteApplication, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("操作人")
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    from_status = models.CharField(_("原状态"), max_length=20, choices=SiteApplication.Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=SiteApplication.Status.choices)
    comment = models.TextField(_("意见"), blank=True)

    objects = TenantManager(**APPLICATION_PATHS)

    class Meta:
        verbose_name = _("申报记录")
        verbose_name_plural = _("申报记录")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_status} → {self.to_status}"


class ExamSite(models.Model):
    """An approved exam site: its daily maximum is what assessment batches must respect."""

    school = models.ForeignKey("accounts.School", on_delete=models.PROTECT, related_name="exam_sites")
    certificate = models.ForeignKey("pilots.Certificate", on_delete=models.PROTECT, related_name="exam_sites")
    application = models.ForeignKey(
        SiteApplication, on_delete=models.PROTECT, related_name="exam_sites", verbose_name=_("来源申报")
    )
    name = models.CharField(_("考点名称"), max_length=100)
    daily_max = models.PositiveIntegerField(_("每天最大考核量"))
    sessions_per_day = models.PositiveSmallIntegerField(_("每天考核场次"), default=1)
    levels = models.JSONField(_("考核等级"), default=list, blank=True)
    approved_at = models.DateTimeField(_("批准时间"))

    objects = TenantManager(school="school", organisation="certificate__organisation")

    class Meta:
        verbose_name = _("考点")
        verbose_name_plural = _("考点")
        ordering = ["certificate__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "certificate"], name="exam_site_one_per_school_certificate"),
            models.CheckConstraint(name="exam_site_daily_max_positive", condition=Q(daily_max__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.certificate}"

    @property
    def level_labels(self) -> list[str]:
        return [str(label) for value, label in Level.choices if value in (self.levels or [])]


class ExamRoom(models.Model):
    site = models.ForeignKey(ExamSite, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("场地名称"), max_length=100)
    area = models.DecimalField(_("面积（平方米）"), max_digits=8, decimal_places=2)
    workstations = models.PositiveIntegerField(_("工位数"))

    objects = TenantManager(school="site__school", organisation="site__certificate__organisation")

    class Meta:
        verbose_name = _("考场")
        verbose_name_plural = _("考场")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(name="exam_room_area_positive", condition=Q(area__gt=0)),
            models.CheckConstraint(name="exam_room_workstations_positive", condition=Q(workstations__gt=0)),
        ]

    def __str__(self) -> str:
        return self.name


class GuidanceCentre(models.Model):
    """A school approved as the provincial guidance centre (省指导中心) for a certificate. No capacity."""

    school = models.ForeignKey("accounts.School", on_delete=models.PROTECT, related_name="guidance_centres")
    certificate = models.ForeignKey("pilots.Certificate", on_delete=models.PROTECT, related_name="guidance_centres")
    application = models.ForeignKey(SiteApplication, on_delete=models.PROTECT, related_name="guidance_centres")
    name = models.CharField(_("单位名称"), max_length=100)
    approved_at = models.DateTimeField(_("批准时间"))

    objects = TenantManager(school="school", organisation="certificate__organisation")

    class Meta:
        verbose_name = _("省指导中心")
        verbose_name_plural = _("省指导中心")
        ordering = ["certificate__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "certificate"], name="guidance_centre_one_per_school_certificate")
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.certificate}"


# --- Assessment scheduling (issue 7): announcements, rounds, batches, sessions, seats ----------

BATCH_PATHS = {"school": "batch__school", "organisation": "batch__pilot__certificate__organisation"}


class Announcement(models.Model):
    """An organisation's annual assessment announcement (年度鉴定公告) for one certificate.

    Schools read published announcements of the certificates they pilot through
    ``selectors.announcements_visible``; the manager lets only the organisation see its own rows.
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


class SchedulingEvent(models.Model):
    """One change of scheduling (who, when, what, in words and in data), written by the service in the
    transaction of the change. It belongs to a batch or to an announcement.

    The tenant columns are copied from the subject when the row is written: a batch's event is seen
    by the batch's school and by the organisation of its certificate (as the batch is), an
    announcement's by its organisation only (as the announcement is). One lookup path per tenant
    kind cannot reach both subjects, hence the copies; the check constraint keeps them consistent.
    """

    class Kind(models.TextChoices):
        BATCH_CREATED = "batch_created", _("批次创建")
        BATCH_UPDATED = "batch_updated", _("批次修改")
        SESSION_CREATED = "session_created", _("场次创建")
        SESSION_DELETED = "session_deleted", _("场次删除")
        SEATS_ALLOCATED = "seats_allocated", _("自动排座")
        SEATS_REALLOCATED = "seats_reallocated", _("重新排座")
        SEAT_MOVED = "seat_moved", _("调整座位")
        ANNOUNCEMENT_PUBLISHED = "announcement_published", _("公告发布")

    school = models.ForeignKey(
        "accounts.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("学校")
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("培训评价组织")
    )
    batch = models.ForeignKey(
        Batch, null=True, blank=True, on_delete=models.CASCADE, related_name="events", verbose_name=_("考核批次")
    )
    announcement = models.ForeignKey(
        Announcement,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("年度鉴定公告"),
    )
    kind = models.CharField(_("操作"), max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("操作人"),
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    # Written once, in the language active at the time, with the names and numbers of that moment.
    detail = models.TextField(_("说明"))
    data = models.JSONField(_("数据"), default=dict, blank=True)  # ids and values, for a machine

    objects = TenantManager(school="school", organisation="organisation")

    class Meta:
        verbose_name = _("考核安排记录")
        verbose_name_plural = _("考核安排记录")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="scheduling_event_one_subject",
                condition=Q(batch__isnull=False, announcement__isnull=True, school__isnull=False)
                | Q(batch__isnull=True, announcement__isnull=False, school__isnull=True),
            ),
            models.CheckConstraint(
                name="scheduling_event_kind_valid",
                condition=Q(
                    kind__in=[
                        "batch_created",
                        "batch_updated",
                        "session_created",
                        "session_deleted",
                        "seats_allocated",
                        "seats_reallocated",
                        "seat_moved",
                        "announcement_published",
                    ]
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} @ {self.at:%Y-%m-%d %H:%M}"
