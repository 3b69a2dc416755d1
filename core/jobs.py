"""Jobs: the one way to do long work.

A view calls ``job_create`` (inside its transaction); the task is sent when that commits. The task
calls ``job_run(job_id, work)``, which re-enters the job's tenant scope and the requester's language,
marks the job running, gives ``work`` a progress callback and records the outcome. ``work`` returns
a ``StoredFile`` to download, a URL to go to, or nothing. It raises ``JobError`` for a failure the
user should read; any other exception is logged and shown as a generic message.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from celery import current_app
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Job, StoredFile
from .scoping import ORGANISATION, PLATFORM, SCHOOL, TenantContext, TenantRef, tenant_scope

logger = logging.getLogger(__name__)


class JobError(Exception):
    """An expected failure: its message (already translated) is shown to the user.

    ``report`` is an optional file that explains it (e.g. an import's error workbook).
    """

    def __init__(self, message: str, *, report: StoredFile | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.report = report


Progress = Callable[[int, str], None]
Work = Callable[[Job, Progress], "StoredFile | str | None"]


def job_create(
    *,
    owner: Any,
    tenant: TenantContext,
    task: Any,
    kind: str,
    title: str,
    params: dict | None = None,
    input_file: StoredFile | None = None,
) -> Job:
    job = Job.objects.create(
        kind=kind,
        title=title,
        task_name=task.name,
        owner=owner,
        school_id=tenant.school_id,
        organisation_id=tenant.organisation_id,
        language=translation.get_language() or "zh-hans",
        params=params or {},
        input_file=input_file,
    )
    task.delay_on_commit(job.pk)
    return job


def job_retry(*, job: Job) -> Job:
    """Queue a failed job again, from the same input."""
    with transaction.atomic():
        # Lock the row: two clicks on "retry" must not queue the job twice.
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.state != Job.State.FAILED:
            return job
        job.state = Job.State.QUEUED
        job.progress = 0
        job.message = ""
        job.error = ""
        job.result = None
        job.started_at = None
        job.finished_at = None
        job.save(update_fields=["state", "progress", "message", "error", "result", "started_at", "finished_at"])
        job_id, task_name = job.pk, job.task_name
        # Through the registered task, so that eager mode (the embedded default) runs it too.
        transaction.on_commit(lambda: current_app.tasks[task_name].delay(job_id))
    return job


def tenant_ref_of(job: Job) -> TenantRef:
    if job.school_id:
        return TenantRef(SCHOOL, job.school_id)
    if job.organisation_id:
        return TenantRef(ORGANISATION, job.organisation_id)
    return TenantRef(PLATFORM)


def _update(job_id: int, **fields: Any) -> None:
    # The worker holds no scope yet when it first loads the row, and progress writes must not wait
    # for the work's own transaction: write through the base manager, by primary key only.
    Job._base_manager.filter(pk=job_id).update(**fields)


def job_run(job_id: int, work: Work) -> None:
    """Run ``work`` for the job (called by a task, in the worker or eagerly)."""
    job = Job._base_manager.filter(pk=job_id).first()
    if job is None or job.state == Job.State.DONE:
        return  # deleted, or delivered again by the broker after it was done
    with tenant_scope(tenant_ref_of(job)), translation.override(job.language):
        job.attempts += 1
        _update(job.pk, state=Job.State.RUNNING, started_at=timezone.now(), attempts=job.attempts, progress=0)

        def progress(percent: int, message: str = "") -> None:
            _update(job.pk, progress=max(0, min(100, int(percent))), message=str(message)[:200])

        try:
            outcome = work(job, progress)
        except JobError as exc:
            _update(
                job.pk,
                state=Job.State.FAILED,
                error=exc.message,
                result=exc.report,
                finished_at=timezone.now(),
            )
            return
        except Exception:
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            _update(
                job.pk,
                state=Job.State.FAILED,
                error=_("处理时出现意外错误，已记录。请稍后重试，如仍失败请联系平台管理员。"),
                finished_at=timezone.now(),
            )
            return
        fields: dict[str, Any] = {"state": Job.State.DONE, "progress": 100, "finished_at": timezone.now()}
        if isinstance(outcome, StoredFile):
            fields["result"] = outcome
        elif isinstance(outcome, str):
            fields["result_url"] = outcome
        _update(job.pk, **fields)


def job_status(job: Job) -> dict[str, Any]:
    """What the progress page's JS polls."""
    data: dict[str, Any] = {
        "state": job.state,
        "state_label": job.get_state_display(),
        "ready": job.is_finished,
        "percentage": job.progress,
        "message": job.message,
        "error": job.error,
        "download": None,
        "redirect": job.result_url or None,
    }
    if job.result_id:
        data["download"] = reverse("core:job_download", args=[job.pk])
    return data
