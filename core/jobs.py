"""Jobs: the one way to do long work.

A view calls ``job_create`` (inside its transaction); the task is sent when that commits. The task
calls ``job_run(job_id, work)``, which re-enters the job's tenant scope and the requester's language,
marks the job running, gives ``work`` a progress callback and records the outcome. ``work`` returns
a ``StoredFile`` to download, a URL to go to, or nothing. It raises ``JobError`` for a failure the
user should read; any other exception is logged and shown as a generic message.

No job is lost (see ``core/job_sweep.py`` for the recovery):
- sending happens after the commit; a broker that is down leaves the job queued with a message for
  the user, and the sweep sends it once the broker is back;
- a delivery first claims the row (queued → running) in one conditional UPDATE, so a second delivery
  of a job that runs or is done does nothing; a job whose worker process died on this machine is
  claimed again at once (the broker hands the message back: acks late, reject on worker lost);
- while it works, the task's process writes a heartbeat; a job without one for longer than
  ``JOB_STALL_SECONDS`` is sent again by the sweep, up to ``JOB_MAX_SENDS`` times, then failed.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
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
    job_id = job.pk
    transaction.on_commit(lambda: job_send(job_id))
    return job


def job_send(job_id: int) -> bool:
    """Hand the job's task to the broker (in eager mode: run it now). False when the broker is down.

    A job that cannot be sent stays queued, with a message the user reads on the progress page; the
    sweep sends it once the broker answers again.
    """
    job = Job._base_manager.filter(pk=job_id).only("task_name", "state").first()
    if job is None or job.state != Job.State.QUEUED:
        return False
    try:
        current_app.tasks[job.task_name].delay(job_id)
    except Exception:  # kombu's OperationalError, a refused connection, a DNS failure ...
        logger.warning("job %s could not be sent (the sweep will send it)", job_id, exc_info=True)
        _update(job_id, message=str(_("后台服务暂不可用，任务已保存，服务恢复后将自动开始。")))
        return False
    # Only a send that reached the broker counts towards JOB_MAX_SENDS: a broker that is down for
    # an hour must not use up a job's chances. A job still waiting no longer says the broker is down.
    _update(job_id, sends=F("sends") + 1, sent_at=timezone.now())
    Job._base_manager.filter(pk=job_id, state=Job.State.QUEUED).update(message="")
    return True


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
        job.sends = 0
        job.runner = ""
        job.save(
            update_fields=[
                "state",
                "progress",
                "message",
                "error",
                "result",
                "started_at",
                "finished_at",
                "sends",
                "runner",
            ]
        )
        job_id = job.pk
        transaction.on_commit(lambda: job_send(job_id))
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


def this_runner() -> str:
    """Who runs a job: this machine and process ("host:pid")."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _runner_is_dead(runner: str) -> bool:
    """True when ``runner`` was a process of this machine that no longer exists (a killed pool child)."""
    host, _sep, pid = runner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine's process: only its missing heartbeat tells (the sweep)
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def job_claim(job_id: int) -> Job | None:
    """Take the job for this process, or None when it is not to be run here.

    A queued job is taken. A running one only when the process that ran it died on this machine
    (the broker handed its message back); a job that runs elsewhere, is done or failed is left as
    it is, so a second delivery never gives a second result.
    """
    job = Job._base_manager.filter(pk=job_id).first()
    if job is None:
        return None
    claimable = Q(state=Job.State.QUEUED)
    if job.state == Job.State.RUNNING and _runner_is_dead(job.runner):
        claimable = Q(state=Job.State.RUNNING, runner=job.runner)
    now = timezone.now()
    taken = (
        Job._base_manager.filter(pk=job_id)
        .filter(claimable)
        .update(
            state=Job.State.RUNNING,
            runner=this_runner(),
            started_at=now,
            heartbeat_at=now,
            attempts=F("attempts") + 1,
            progress=0,
            message="",
        )
    )
    return Job._base_manager.get(pk=job_id) if taken else None


class _Heartbeat:
    """While the work runs, a thread of the same process writes the job's heartbeat.

    It dies with the process, so a killed worker stops it, and the sweep sees the job as stalled.
    """

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"job-{job_id}-heartbeat", daemon=True)

    def _beat(self) -> None:
        try:
            while not self.stop.wait(settings.JOB_HEARTBEAT_SECONDS):
                _update(self.job_id, heartbeat_at=timezone.now())
        finally:
            connection.close()

    def __enter__(self) -> _Heartbeat:
        # In eager mode (tests, inside a request) the row may not be committed yet: no thread.
        if not current_app.conf.task_always_eager:
            self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        if self.thread.is_alive():
            self.thread.join(timeout=5)


def job_run(job_id: int, work: Work) -> None:
    """Run ``work`` for the job (called by a task, in the worker or eagerly)."""
    job = job_claim(job_id)
    if job is None:
        return  # deleted, done, failed, or running in a live process: a repeated delivery
    with tenant_scope(tenant_ref_of(job)), translation.override(job.language), _Heartbeat(job.pk):

        def progress(percent: int, message: str = "") -> None:
            _update(
                job.pk,
                progress=max(0, min(100, int(percent))),
                message=str(message)[:200],
                heartbeat_at=timezone.now(),
            )

        try:
            outcome = work(job, progress)
        except JobError as exc:
            _finish(job.pk, state=Job.State.FAILED, error=exc.message, result=exc.report)
            return
        except Exception:
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            _finish(
                job.pk,
                state=Job.State.FAILED,
                error=_("处理时出现意外错误，已记录。请稍后重试，如仍失败请联系平台管理员。"),
            )
            return
        fields: dict[str, Any] = {"state": Job.State.DONE, "progress": 100}
        if isinstance(outcome, StoredFile):
            fields["result"] = outcome
        elif isinstance(outcome, str):
            fields["result_url"] = outcome
        _finish(job.pk, **fields)


def _finish(job_id: int, **fields: Any) -> None:
    _update(job_id, finished_at=timezone.now(), **fields)


def _waiting_message(job: Job) -> str:
    """What a queued job that no worker has taken for a while tells the user."""
    waited = (timezone.now() - job.created_at).total_seconds()
    if job.state == Job.State.QUEUED and waited > settings.JOB_WAITING_NOTICE_SECONDS:
        return str(_("还没有后台进程接手此任务：后台服务可能繁忙或暂不可用。任务已保存，会自动开始，无需重复提交。"))
    return ""


def job_status(job: Job) -> dict[str, Any]:
    """What the progress page's JS polls."""
    data: dict[str, Any] = {
        "state": job.state,
        "state_label": job.get_state_display(),
        "ready": job.is_finished,
        "percentage": job.progress,
        "message": job.message or _waiting_message(job),
        "error": job.error,
        "download": None,
        "redirect": job.result_url or None,
    }
    if job.result_id:
        data["download"] = reverse("core:job_download", args=[job.pk])
    return data
