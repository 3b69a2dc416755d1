"""The sweep: finds jobs that nobody is working on and sends them again, or fails them for a retry.

It runs every ``JOB_SWEEP_SECONDS`` as the Celery beat task ``core.sweep_jobs`` (the worker of
``make run`` and ``make worker`` runs beat too; a larger installation runs one ``celery beat``), and
by hand as ``manage.py sweep_jobs``. A job is stuck when
- it is queued and was not handed to a worker for ``JOB_QUEUE_SECONDS`` (the broker was down, or the
  message was lost with a worker), or
- it is running and its process has shown no sign of life for ``JOB_STALL_SECONDS`` (the whole
  worker was killed; a job that keeps reporting progress or its heartbeat is never touched).
A stuck job is sent again up to ``JOB_MAX_SENDS`` times in all; then it fails with a message, and
the user's "重试" button queues it anew.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .jobs import job_send
from .models import Job

logger = logging.getLogger(__name__)


@dataclass
class SweepReport:
    resent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    unsent: list[int] = field(default_factory=list)


def stuck_jobs(now=None):
    now = now or timezone.now()
    queue_deadline = now - timedelta(seconds=settings.JOB_QUEUE_SECONDS)
    stall_deadline = now - timedelta(seconds=settings.JOB_STALL_SECONDS)
    queued = Q(state=Job.State.QUEUED, created_at__lt=queue_deadline) & (
        Q(sent_at__isnull=True) | Q(sent_at__lt=queue_deadline)
    )
    stalled = Q(state=Job.State.RUNNING) & (
        Q(heartbeat_at__lt=stall_deadline) | Q(heartbeat_at__isnull=True, started_at__lt=stall_deadline)
    )
    return Job._base_manager.filter(queued | stalled).order_by("pk")


def _unchanged(job: Job):
    """The job's row, only if nobody touched it since the sweep read it (a beat, a claim, an end)."""
    return Job._base_manager.filter(pk=job.pk, state=job.state, runner=job.runner, heartbeat_at=job.heartbeat_at)


def _fail(job: Job) -> bool:
    with translation.override(job.language):
        message = _("后台任务多次未能完成（处理进程可能中断或后台服务不可用）。请点击“重试”再试一次。")
    return bool(_unchanged(job).update(state=Job.State.FAILED, error=message, finished_at=timezone.now()))


def _requeue(job: Job) -> bool:
    """A stalled running job back to queued, unless its process showed a sign of life meanwhile."""
    if job.state == Job.State.QUEUED:
        return True
    return bool(_unchanged(job).update(state=Job.State.QUEUED, runner="", progress=0))


def jobs_sweep(now=None) -> SweepReport:
    """Send every stuck job again, or fail it when it was sent ``JOB_MAX_SENDS`` times already."""
    report = SweepReport()
    for job in stuck_jobs(now):
        if job.sends >= settings.JOB_MAX_SENDS:
            if _fail(job):
                report.failed.append(job.pk)
            continue
        if not _requeue(job):
            continue
        if job_send(job.pk):
            report.resent.append(job.pk)
        else:
            report.unsent.append(job.pk)
    if report.resent or report.failed or report.unsent:
        logger.warning(
            "job sweep: resent %s, failed %s, broker down for %s", report.resent, report.failed, report.unsent
        )
    return report
