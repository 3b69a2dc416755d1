"""Exam-site applications (考点申报表): the form, its contacts, rooms and partner units.

An application belongs to a school and names one certificate; the certificate's organisation reviews
it. Reviewers never see drafts: that rule lives in ``selectors.applications.applications_visible``
(the manager only knows who the tenant is, not which status a tenant may see). The workflow's history
is in the audit log (``exam_sites.application.*``, see ``exam_sites/history.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
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
