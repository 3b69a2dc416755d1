from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .scoping import TenantManager


def _stored_file_path(instance: StoredFile, filename: str) -> str:
    return f"files/{timezone.now():%Y/%m}/{uuid.uuid4().hex}/{filename}"


def default_expiry():
    return timezone.now() + timedelta(days=settings.JOB_FILE_RETENTION_DAYS)


class StoredFile(models.Model):
    """A file the product made (a PDF, an export, an error workbook), kept for a set number of days.

    ``digest`` identifies the input it was made from, so the same input is not rendered twice.
    """

    school = models.ForeignKey("accounts.School", null=True, blank=True, on_delete=models.CASCADE)
    organisation = models.ForeignKey("accounts.Organisation", null=True, blank=True, on_delete=models.CASCADE)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    file = models.FileField(upload_to=_stored_file_path, max_length=300)
    size = models.PositiveIntegerField(default=0)
    digest = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=default_expiry, db_index=True)

    objects = TenantManager(school="school", organisation="organisation")

    class Meta:
        verbose_name = _("文件")
        verbose_name_plural = _("文件")

    def __str__(self) -> str:
        return self.name

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class Job(models.Model):
    """Long work done by the worker: a PDF, an import, an export. One progress page serves all."""

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("类型"), max_length=60)
    title = models.CharField(_("任务"), max_length=200)
    task_name = models.CharField(max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    school = models.ForeignKey("accounts.School", null=True, blank=True, on_delete=models.CASCADE)
    organisation = models.ForeignKey("accounts.Organisation", null=True, blank=True, on_delete=models.CASCADE)
    # The platform scope (staff only) when neither school nor organisation is set.
    language = models.CharField(max_length=10, default="zh-hans")
    params = models.JSONField(default=dict, blank=True)
    input_file = models.ForeignKey(StoredFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    message = models.CharField(_("进度说明"), max_length=200, blank=True)
    error = models.TextField(_("错误"), blank=True)
    result = models.ForeignKey(StoredFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    result_url = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Delivery: how often the task was handed to the broker, and when last; which worker process runs
    # it ("host:pid") and when that process last showed it was alive. The sweep reads these.
    sends = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    runner = models.CharField(max_length=120, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = TenantManager(school="school", organisation="organisation")

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(name="job_progress_percent", condition=models.Q(progress__gte=0, progress__lte=100)),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)


class AuditEntry(models.Model):
    """The one audit log: every state change, correction, unmasked view and erasure of every app.

    ``action`` is a dotted name (``results.result.corrected``); the words a person reads are built
    from it through gettext when the line is shown (``core.audit.describe``), never stored. The
    tenant columns are copied from the object when the line is written, so that a line is scoped
    like every tenant row: a school sees its own lines, an organisation only the lines it may see
    (the writer leaves ``organisation`` empty where the organisation may not see the object).
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    school = models.ForeignKey(
        "accounts.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("学校")
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("培训评价组织"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("操作人"),
    )
    action = models.CharField(_("操作"), max_length=80, db_index=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    objects = TenantManager(school="school", organisation="organisation")

    class Meta:
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"], name="audit_object_idx")]
        constraints = [
            models.CheckConstraint(
                name="audit_entry_has_tenant",
                condition=models.Q(school__isnull=False) | models.Q(organisation__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} @ {self.at:%Y-%m-%d %H:%M}"
