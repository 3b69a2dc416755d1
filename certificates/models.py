"""Results (成绩) of assessment batches, and the certificates issued from them.

Results: a batch has one ``ResultSheet`` whose status moves 成绩登记中 → 成绩公示中 → 已结束; each seat
has at most one ``Result``; every change to a result is a ``ResultChange`` row written in the same
transaction; objections during the notice are ``Objection`` rows recorded by the school admin.

Certificates: an ``IssuedCertificate`` is one person's 1+X certificate, issued only from a passed
result of an ended sheet; numbers are unique per catalogue certificate. ``ExternalCertificate``
records skill certificates from outside 1+X (they count as 获得技能证 and can stand on a roster).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.scoping import TenantManager
from pilots.models import Level

SHEET_PATHS = {"school": "sheet__batch__school", "organisation": "sheet__batch__pilot__certificate__organisation"}
RESULT_PATHS = {
    "school": "result__sheet__batch__school",
    "organisation": "result__sheet__batch__pilot__certificate__organisation",
}


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


class ResultChange(models.Model):
    """One change to a result: who, when, old and new values, why. Never updated or deleted."""

    result = models.ForeignKey(Result, on_delete=models.PROTECT, related_name="changes")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    old_values = models.JSONField(default=dict)
    new_values = models.JSONField(default=dict)
    reason = models.TextField(_("原因"), blank=True)

    objects = TenantManager(**RESULT_PATHS)

    class Meta:
        verbose_name = _("成绩变更记录")
        verbose_name_plural = _("成绩变更记录")
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.result_id} @ {self.changed_at:%Y-%m-%d %H:%M}"


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


class CertificateEvent(models.Model):
    """History of an issued certificate: issued, collected, revoked, reissued."""

    certificate = models.ForeignKey(IssuedCertificate, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("操作"), max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(_("说明"), blank=True)

    objects = TenantManager(school="certificate__school", organisation="certificate__certificate__organisation")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} @ {self.at:%Y-%m-%d}"


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


class VerificationLog(models.Model):
    """Every public verification: when, which certificate (if one matched), found or not."""

    certificate = models.ForeignKey(
        IssuedCertificate, null=True, blank=True, on_delete=models.SET_NULL, related_name="verifications"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    found = models.BooleanField()
    via_token = models.BooleanField(default=False)
    # A salted hash of the client address, to see abuse without keeping addresses.
    client_hash = models.CharField(max_length=64, blank=True)

    objects = TenantManager(school="certificate__school", organisation="certificate__certificate__organisation")

    class Meta:
        verbose_name = _("证书查验记录")
        verbose_name_plural = _("证书查验记录")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {'✓' if self.found else '✗'}"
