"""A real Celery worker against Redis and the test database, through the product's own views."""

import subprocess
import time
from pathlib import Path

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.models import Membership, School
from accounts.roles import Role
from core.models import Job
from tests.world import make_user

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.worker
def test_a_real_worker_renders_the_school_profile_pdf(real_worker, client):
    with scopes_disabled():
        school = School.objects.create(name="工作进程测试学校", profile="由真实 worker 渲染")
        user = make_user("worker_admin", "工作进程管理员")
        Membership.objects.create(user=user, school=school, role=Role.SCHOOL_ADMIN)
    client.force_login(user)
    response = client.post(reverse("accounts:school_pdf"))
    assert response.status_code == 302
    job_id = int(response["Location"].rstrip("/").split("/")[-1])

    deadline = time.monotonic() + 90
    status = {}
    while time.monotonic() < deadline:
        status = client.get(reverse("core:job_status", args=[job_id])).json()
        if status["ready"]:
            break
        assert real_worker.poll() is None, real_worker.stdout.read()
        time.sleep(0.3)
    assert status.get("state") == "done", status
    with scopes_disabled():
        job = Job.objects.get(pk=job_id)
    assert job.attempts == 1
    pdf = b"".join(client.get(status["download"]).streaming_content)
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "工作进程测试学校" in text
