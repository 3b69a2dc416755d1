"""Approved exam sites (考点) with their rooms, and provincial guidance centres (省指导中心).

Both are made by the approval of an application (``services.sites``); a site's daily maximum is what
scheduling must respect.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.scoping import TenantManager
from pilots.models import Level

from .applications import SiteApplication


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
