"""Issued certificates: one person's 1+X certificate, the number sequences, and external certificates.

An ``IssuedCertificate`` is issued only from a passed result of an ended sheet; numbers are unique
per catalogue certificate. ``ExternalCertificate`` records skill certificates from outside 1+X (they
count as 获得技能证 and can stand on a roster). Their history is in the audit log.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.scoping import TenantManager
from pilots.models import Level

from .results import Result


def new_verification_token() -> str:
    return secrets.token_urlsafe(24)


class IssuedCertificate(models.Model):
    """One person's 1+X certificate (证书)."""

    class Status(models.TextChoices):
        VALID = "valid", _("有效")
        REVOKED = "revoked", _("已撤销")
        REPLACED = "replaced", _("已补发替换")

    certificate = models.ForeignKey(
        "pilots.Certificate", on_delete=models.PROTECT, related_name="issued", verbose_name=_("证书")
    )
    level = models.CharField(_("等级"), max_length=20, choices=Level.choices)
    number = models.CharField(_("证书编号"), max_length=40)
    school = models.ForeignKey("accounts.School", on_delete=models.PROTECT, related_name="issued_certificates")
    person = models.ForeignKey("students.Person", on_delete=models.PROTECT, related_name="issued_certificates")
    result = models.ForeignKey(Result, on_delete=models.PROTECT, related_name="certificates")
    assessment_period = models.CharField(_("鉴定时间"), max_length=30, help_text=_("例如 2022.5-6"))
    issued_on = models.DateField(_("发证日期"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.VALID)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by", verbose_name=_("补发自")
    )
    revoked_reason = models.TextField(_("撤销原因"), blank=True)
    verification_token = models.CharField(max_length=64, unique=True, default=new_verification_token)
    collected_by = models.CharField(_("证书签领人"), max_length=50, blank=True)
    collected_on = models.DateField(_("签领日期"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantManager(school="school", organisation="certificate__organisation")

    class Meta:
        verbose_name = _("职业技能等级证书（已发）")
        verbose_name_plural = _("职业技能等级证书（已发）")
        ordering = ["certificate__code", "number"]
        constraints = [
            models.UniqueConstraint(fields=["certificate", "number"], name="issued_number_unique_per_certificate"),
            # One valid certificate per passed result: generating twice never gives a person two numbers.
            models.UniqueConstraint(fields=["result"], condition=Q(status="valid"), name="issued_one_valid_per_result"),
        ]

    def __str__(self) -> str:
        return f"{self.certificate} {self.number}"


class NumberSequence(models.Model):
    """The last sequential number handed out per organisation, certificate and year (locked when used)."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    certificate = models.ForeignKey("pilots.Certificate", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    objects = TenantManager(school=None, organisation="organisation")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "certificate", "year"], name="number_sequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id}/{self.year}: {self.last_value}"


class ExternalCertificate(models.Model):
    """A skill certificate from outside 1+X (e.g. 机械设计工程师 (AutoCAD)); the level may be blank."""

    school = models.ForeignKey("accounts.School", on_delete=models.PROTECT, related_name="external_certificates")
    person = models.ForeignKey("students.Person", on_delete=models.PROTECT, related_name="external_certificates")
    name = models.CharField(_("工种"), max_length=100)
    issuer = models.CharField(_("发证机构"), max_length=100)
    level = models.CharField(_("等级"), max_length=30, blank=True)
    assessment_period = models.CharField(_("鉴定时间"), max_length=30, blank=True)
    issued_on = models.DateField(_("发证日期"), null=True, blank=True)
    number = models.CharField(_("证书编号"), max_length=40, blank=True)
    collected_by = models.CharField(_("证书签领人"), max_length=50, blank=True)
    collected_on = models.DateField(_("签领日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantManager(school="school")

    class Meta:
        verbose_name = _("其他技能证书")
        verbose_name_plural = _("其他技能证书")
        ordering = ["person", "issued_on"]

    def __str__(self) -> str:
        return f"{self.name} · {self.issuer}"
