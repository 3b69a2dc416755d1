from django.http import Http404

from .models import Job


def job_for_user(*, user, job_id: int) -> Job:
    """A job of the active tenant that the user started. Anything else is 404."""
    job = Job.objects.filter(pk=job_id, owner=user).select_related("result").first()
    if job is None:
        raise Http404
    return job
