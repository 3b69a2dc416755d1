"""The worker's jobs of certificates: a class's roster as PDF, and many rosters in one ZIP."""

from celery import shared_task

from core.jobs import job_run

from .selectors.rosters import roster_specs_for_batch, roster_specs_for_year
from .services.rosters import roster_pdf, rosters_zip


@shared_task(name="certificates.render_roster")
def render_roster(job_id: int) -> None:
    """The collection roster (考证签领名单) of a class as an A4 PDF."""
    job_run(
        job_id,
        lambda job, progress: roster_pdf(
            class_id=job.params["class_id"],
            what=job.params.get("what", ""),
            period=job.params.get("period", ""),
            owner_id=job.owner_id,
        ),
    )


@shared_task(name="certificates.build_roster_zip")
def build_roster_zip(job_id: int) -> None:
    """One ZIP of all the rosters of a batch (``batch_id``) or of the school's year (``year``)."""

    def work(job, progress):
        if job.params.get("batch_id"):
            specs = roster_specs_for_batch(batch_id=job.params["batch_id"])
        else:
            specs = roster_specs_for_year(year=job.params["year"])
        return rosters_zip(specs=specs, name=job.params["filename"], owner_id=job.owner_id, progress=progress)

    job_run(job_id, work)
