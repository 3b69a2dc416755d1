from celery import shared_task

from core.jobs import job_run

from .services import school_profile_pdf


@shared_task(name="accounts.render_school_profile")
def render_school_profile(job_id: int) -> None:
    job_run(job_id, lambda job, progress: school_profile_pdf(school_id=job.school_id, owner_id=job.owner_id))
