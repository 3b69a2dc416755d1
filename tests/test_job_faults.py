"""The faults a deployer meets: a worker killed mid-PDF, the broker gone, the cache gone.

Real parts throughout: two prefork Celery workers on Redis and the test database, a redis-server of
the test's own that is started late, and the product's own views. In every case the PDF arrives
once and nobody reads "Server Error (500)".
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.models import Membership, School
from accounts.roles import Role
from core.job_sweep import jobs_sweep
from core.jobs import job_claim
from core.models import Job, StoredFile
from tests.conftest import _database_url, _services_ready
from tests.world import make_user

ROOT = Path(__file__).resolve().parent.parent
# A profile long enough that rendering it takes seconds: the worker is killed while it renders.
LONG_PROFILE = "学校坚持产教融合、校企合作，开展职业技能等级证书试点工作。" * 50

pytestmark = pytest.mark.worker


def _require_services() -> None:
    if not _services_ready():
        if os.environ.get("CI"):
            pytest.fail("CI must run the fault tests: DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis)")
        pytest.skip("needs PostgreSQL and Redis; CI always runs it")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_worker(name: str, broker_url: str, media_root: str, **extra_env: str) -> subprocess.Popen:
    env = {
        **os.environ,
        **extra_env,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "MEDIA_ROOT": media_root,
        "JOB_HEARTBEAT_SECONDS": "0.5",
    }
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork", "--concurrency=1"]
    command += ["--without-gossip", "--without-mingle", "--loglevel=INFO", "-n", f"{name}@%h"]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _use_broker(app, url: str, options: dict) -> None:
    app.conf.broker_url = app.conf.broker_write_url = app.conf.broker_read_url = url
    app.conf.broker_transport_options = options
    app._pool = None  # the connection pool and the producer pool are made anew for this URL
    app.amqp._producer_pool = None


@contextmanager
def _sending_to(broker_url: str, options: dict | None = None):
    """This test process sends tasks to ``broker_url`` instead of running them eagerly."""
    from config.celery import app

    previous = (app.conf.broker_url, dict(app.conf.broker_transport_options or {}))
    app.conf.task_always_eager = False
    _use_broker(app, broker_url, options if options is not None else previous[1])
    try:
        yield
    finally:
        _use_broker(app, *previous)
        app.conf.task_always_eager = True


@pytest.fixture
def school_admin(transactional_db, client):
    with scopes_disabled():
        school = School.objects.create(name="故障测试学校", profile=LONG_PROFILE)
        user = make_user("fault_admin", "故障测试管理员")
        Membership.objects.create(user=user, school=school, role=Role.SCHOOL_ADMIN)
    client.force_login(user)
    return school


def _ask_for_pdf(client) -> int:
    response = client.post(reverse("accounts:school_pdf"))
    assert response.status_code == 302, response.status_code
    return int(response["Location"].rstrip("/").split("/")[-1])


def _job(job_id: int) -> Job:
    return Job._base_manager.get(pk=job_id)


def _wait_for(predicate, *, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _running_pid(job_id: int) -> int:
    job = _wait_for(lambda: (j := _job(job_id)).state == Job.State.RUNNING and j.runner and j, seconds=60, what="run")
    return int(job.runner.rpartition(":")[2])


def _assert_one_pdf(client, job_id: int, school: School) -> None:
    job = _wait_for(lambda: (j := _job(job_id)).is_finished and j, seconds=120, what="the job to finish")
    assert job.state == Job.State.DONE, job.error
    assert job.attempts == 2  # the killed run and the one that finished
    files = StoredFile._base_manager.filter(school=school, name__startswith="school-profile-")
    assert files.count() == 1
    status = client.get(reverse("core:job_status", args=[job_id])).json()
    pdf = b"".join(client.get(status["download"]).streaming_content)
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "故障测试学校" in text


@contextmanager
def _two_workers(settings, url: str | None = None, **env: str):
    """Two prefork workers on the test's broker (or ``url``), stopped afterwards."""
    _require_services()
    url = url or settings.CELERY_BROKER_URL
    workers = [_start_worker(name, url, str(settings.MEDIA_ROOT), **env) for name in ("a", "b")]
    try:
        yield workers
    finally:
        for worker in workers:
            _stop(worker)


def test_a_pool_child_killed_mid_pdf_gives_its_message_back_at_once(school_admin, client, settings):
    with _two_workers(settings), _sending_to(settings.CELERY_BROKER_URL):
        job_id = _ask_for_pdf(client)
        os.kill(_running_pid(job_id), signal.SIGKILL)
        _assert_one_pdf(client, job_id, school_admin)  # no sweep: the broker handed the message back


@pytest.fixture(params=["redis", "filesystem"])
def broker(request, settings, tmp_path):
    """The production broker, and the embedded default's (kombu's filesystem transport)."""
    if request.param == "redis":
        return settings.CELERY_BROKER_URL, None, {}
    folder = tmp_path / "broker"
    folder.mkdir()
    options = {"data_folder_in": str(folder), "data_folder_out": str(folder), "control_folder": str(folder / "control")}
    return "filesystem://", options, {"BROKER_FOLDER": str(folder)}


def test_a_whole_worker_killed_mid_pdf_is_recovered_by_the_sweep(school_admin, client, settings, broker):
    url, options, env = broker
    with _two_workers(settings, url, **env) as workers, _sending_to(url, options):
        job_id = _ask_for_pdf(client)
        child = _running_pid(job_id)
        parent = int(Path(f"/proc/{child}/stat").read_text().split(")")[1].split()[1])
        owner = next(w for w in workers if w.pid == parent)
        os.killpg(owner.pid, signal.SIGKILL)  # the main process and its pool child, no goodbye
        owner.wait()
        settings.JOB_STALL_SECONDS = 2  # the deadline, shortened for the test
        assert job_id not in jobs_sweep().resent  # its heartbeat is still fresh: not resent yet
        _wait_for(lambda: job_id in jobs_sweep().resent, seconds=30, what="the sweep to resend the job")
        _assert_one_pdf(client, job_id, school_admin)


def test_with_the_broker_down_the_job_waits_and_the_sweep_sends_it_when_it_is_back(school_admin, client, settings):
    _require_services()
    port = _free_port()
    broker = f"redis://127.0.0.1:{port}/0"
    with _sending_to(broker):
        job_id = _ask_for_pdf(client)  # nothing listens on the port: the send fails, the page does not
        job = _job(job_id)
        assert job.state == Job.State.QUEUED and job.sends == 0
        page = client.get(reverse("core:job_detail", args=[job_id]))
        assert page.status_code == 200
        assert "后台服务暂不可用" in page.content.decode()

        redis = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        worker = None
        try:
            _wait_for(lambda: socket.socket().connect_ex(("127.0.0.1", port)) == 0, seconds=10, what="redis")
            worker = _start_worker("late", broker, str(settings.MEDIA_ROOT))
            settings.JOB_QUEUE_SECONDS = 0
            assert job_id in jobs_sweep().resent
            job = _wait_for(lambda: (j := _job(job_id)).is_finished and j, seconds=120, what="the job")
            assert job.state == Job.State.DONE and job.attempts == 1 and job.sends == 1
        finally:
            if worker is not None:
                _stop(worker)
            _stop(redis)


@pytest.mark.django_db
def test_a_second_delivery_of_a_running_or_finished_job_does_nothing(world):
    with scopes_disabled():
        job = Job.objects.create(kind="x", title="x", task_name="x", owner=world.a.user(Role.SCHOOL_ADMIN))
    assert job_claim(job.pk) is not None
    assert job_claim(job.pk) is None  # running in this (live) process
    Job._base_manager.filter(pk=job.pk).update(state=Job.State.DONE)
    assert job_claim(job.pk) is None


@pytest.mark.django_db
def test_the_sweep_fails_a_job_sent_too_often_so_that_the_user_can_retry(world, settings):
    settings.JOB_QUEUE_SECONDS = 0
    with scopes_disabled():
        job = Job.objects.create(
            kind="x", title="x", task_name="x", owner=world.a.user(Role.SCHOOL_ADMIN), sends=settings.JOB_MAX_SENDS
        )
    report = jobs_sweep()
    assert job.pk in report.failed
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and "重试" in job.error
