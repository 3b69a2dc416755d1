from celery import shared_task

from core.jobs import job_run

from .services.projects import project_plan_pdf


@shared_task(name="funding.render_plan_pdf")
def render_plan_pdf(job_id: int) -> None:
    job_run(
        job_id,
        lambda job, progress: project_plan_pdf(project_id=job.params["project_id"], owner_id=job.owner_id),
    )
