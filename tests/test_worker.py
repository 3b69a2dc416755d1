"""A real Celery worker against Redis and the test database, through the product's own views."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.models import Membership, School
from accounts.roles import Role
from core.models import Job
from tests.world import make_user

ROOT = Path(__file__).resolve().parent.parent


def _services_ready() -> bool:
    return connection.vendor == "postgresql" and settings.CELERY_BROKER_URL.startswith("redis://")


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(transactional_db):
    if not _services_ready():
        if os.environ.get("CI"):
            pytest.fail(
                "CI must run the worker test: DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis) are needed"
            )
        pytest.skip("needs PostgreSQL and Redis (set DATABASE_URL and CELERY_BROKER_URL); CI always runs it")
    from config.celery import app

    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
            "-Q",
            "celery",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    app.conf.task_always_eager = False
    try:
        yield process
    finally:
        app.conf.task_always_eager = True
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.mark.worker
def test_a_real_worker_renders_the_school_profile_pdf(worker, client):
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
        assert worker.poll() is None, worker.stdout.read()
        time.sleep(0.3)
    assert status.get("state") == "done", status
    with scopes_disabled():
        job = Job.objects.get(pk=job_id)
    assert job.attempts == 1
    pdf = b"".join(client.get(status["download"]).streaming_content)
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "工作进程测试学校" in text
