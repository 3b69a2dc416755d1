from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.scoping import TenantManager


class Level(models.TextChoices):
    ELEMENTARY = "elementary", _("初级")
    INTERMEDIATE = "intermediate", _("中级")
    ADVANCED = "advanced", _("高级")


class Certificate(models.Model):
    """A catalogue entry: a vocational skill-level certificate (职业技能等级证书) and its owner.

    The catalogue is platform-wide, not a tenant's: every logged-in user may read it; platform
    admins maintain it.
    """

    name = models.CharField(_("证书名称"), max_length=100, unique=True)
    code = models.CharField(_("证书代码"), max_length=20, unique=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="certificates", verbose_name=_("培训评价组织")
    )
    has_theory = models.BooleanField(_("含理论考核"), default=True)
    has_practical = models.BooleanField(_("含实操考核"), default=True)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("职业技能等级证书")
        verbose_name_plural = _("职业技能等级证书")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class CertificateLevel(models.Model):
    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="levels", verbose_name=_("证书")
    )
    level = models.CharField(_("等级"), max_length=20, choices=Level.choices)
    pass_mark = models.DecimalField(_("合格分数线"), max_digits=5, decimal_places=1, default=60)

    class Meta:
        verbose_name = _("证书等级")
        verbose_name_plural = _("证书等级")
        ordering = ["certificate", "level"]
        constraints = [
            models.UniqueConstraint(fields=["certificate", "level"], name="certificate_level_unique"),
            models.CheckConstraint(
                name="certificate_level_pass_mark_range", condition=models.Q(pass_mark__gte=0, pass_mark__lte=100)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.certificate} · {self.get_level_display()}"


class FeeStandard(models.Model):
    """The fee per candidate (考核费标准) of a certificate level, from a date on.

    Part of the catalogue (every logged-in user may read it). Reviewers maintain their own
    organisation's fees (the service checks the owner), platform admins all of them (admin).
    """

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="fees", verbose_name=_("证书"))
    level = models.CharField(_("等级"), max_length=20, choices=Level.choices)
    fee = models.DecimalField(_("每人考核费（元）"), max_digits=14, decimal_places=2)
    effective_from = models.DateField(_("执行日期"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("收费标准")
        verbose_name_plural = _("收费标准")
        ordering = ["certificate", "level", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["certificate", "level", "effective_from"], name="fee_standard_unique_date"),
            models.CheckConstraint(name="fee_standard_fee_not_negative", condition=Q(fee__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.certificate} · {self.get_level_display()} · {self.fee}"


class Cohort(models.TextChoices):
    STUDENTS = "students", _("在校学生")
    SOCIAL = "social", _("社会人员及企业员工")


class PilotStatus(models.TextChoices):
    APPLIED = "applied", _("申报中")
    APPROVED = "approved", _("已批准")
    RUNNING = "running", _("实施中")
    FINISHED = "finished", _("已结束")
    DECLINED = "declined", _("未通过")


class Pilot(models.Model):
    """A school's pilot (试点) of a certificate level in a year, with its granted quota (试点指标)."""

    school = models.ForeignKey(
        "accounts.School", on_delete=models.PROTECT, related_name="pilots", verbose_name=_("学校")
    )
    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="pilots", verbose_name=_("证书")
    )
    level = models.CharField(_("等级"), max_length=20, choices=Level.choices)
    year = models.PositiveSmallIntegerField(_("年份"))
    cohort = models.CharField(_("试点对象"), max_length=20, choices=Cohort.choices, default=Cohort.STUDENTS)
    requested_quota = models.PositiveIntegerField(_("申报人数"))
    quota = models.PositiveIntegerField(_("试点指标"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=PilotStatus.choices, default=PilotStatus.APPLIED)
    notes = models.TextField(_("备注"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantManager(school="school", organisation="certificate__organisation")

    class Meta:
        verbose_name = _("试点")
        verbose_name_plural = _("试点")
        ordering = ["-year", "certificate", "level", "id"]
        constraints = [
            models.CheckConstraint(name="pilot_requested_quota_positive", condition=Q(requested_quota__gte=1)),
            models.CheckConstraint(
                name="pilot_quota_within_request",
                condition=Q(quota__isnull=True) | Q(quota__gte=1, quota__lte=models.F("requested_quota")),
            ),
            models.CheckConstraint(
                name="pilot_granted_has_quota",
                condition=Q(status__in=["applied", "declined"]) | Q(quota__isnull=False),
            ),
            models.CheckConstraint(name="pilot_year_plausible", condition=Q(year__gte=2019, year__lte=2100)),
            models.UniqueConstraint(
                fields=["school", "certificate", "level", "year", "cohort"],
                condition=~Q(status="declined"),
                name="pilot_unique_per_school_level_year_cohort",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.certificate} · {self.get_level_display()}"

    @property
    def is_open_for_enrolment(self) -> bool:
        return self.status in (PilotStatus.APPROVED, PilotStatus.RUNNING)
