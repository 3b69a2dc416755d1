"""The generic tasks: every spreadsheet import and export of the product runs through these."""

from __future__ import annotations

from celery import shared_task
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .files import XLSX, stored_file_create
from .job_sweep import jobs_sweep
from .jobs import JobError, Progress, job_run
from .models import Job, StoredFile
from .spreadsheets import Exporter, Importer


def _load(path: str, base: type) -> type:
    cls = import_string(path)
    if not (isinstance(cls, type) and issubclass(cls, base)):
        raise TypeError(f"{path} is not a {base.__name__}")
    return cls


def import_work(job: Job, progress: Progress) -> str | None:
    importer = _load(job.params["importer"], Importer)(owner_id=job.owner_id, **job.params.get("params", {}))
    if job.input_file is None:
        raise JobError(_("上传的文件已过期，请重新上传。"))
    with job.input_file.file.open("rb") as handle:
        data = handle.read()
    report = importer.run(data, progress)
    if not report.ok:
        errors = stored_file_create(
            name="errors.xlsx", content=importer.error_workbook(data, report), content_type=XLSX, owner_id=job.owner_id
        )
        raise JobError(report.message, report=errors)
    progress(100, report.message)
    return job.params.get("success_url") or None


def export_work(job: Job, progress: Progress) -> StoredFile:
    exporter = _load(job.params["exporter"], Exporter)(owner_id=job.owner_id, **job.params.get("params", {}))
    content = exporter.render(progress)
    return stored_file_create(name=exporter.filename, content=content, content_type=XLSX, owner_id=job.owner_id)


@shared_task(name="core.import_spreadsheet")
def import_spreadsheet(job_id: int) -> None:
    job_run(job_id, import_work)


@shared_task(name="core.export_spreadsheet")
def export_spreadsheet(job_id: int) -> None:
    job_run(job_id, export_work)


@shared_task(name="core.sweep_jobs", ignore_result=True)
def sweep_jobs() -> None:
    """Run by Celery beat every JOB_SWEEP_SECONDS (see core/job_sweep.py)."""
    jobs_sweep()
