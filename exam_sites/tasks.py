from celery import shared_task

from core.jobs import job_run

from .services.applications import application_pdf
from .services.sessions import session_list_pdf


@shared_task(name="exam_sites.render_application_pdf")
def render_application_pdf(job_id: int) -> None:
    job_run(
        job_id,
        lambda job, progress: application_pdf(application_id=job.params["application_id"], owner_id=job.owner_id),
    )


@shared_task(name="exam_sites.render_session_list_pdf")
def render_session_list_pdf(job_id: int) -> None:
    job_run(
        job_id,
        lambda job, progress: session_list_pdf(session_id=job.params["session_id"], owner_id=job.owner_id),
    )
