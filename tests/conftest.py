import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django_scopes import scopes_disabled

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session", autouse=True)
def _celery_eager():
    """Tasks run in-process in tests; the worker test switches this off for itself."""
    from config.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = False
    yield


@pytest.fixture(scope="session", autouse=True)
def _media_root():
    """Files the tests make go to a temporary folder, never into the checkout."""
    from django.test.utils import override_settings

    override = override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="onex-test-media-"))
    override.enable()
    yield
    override.disable()


@pytest.fixture(scope="session")
def world(_media_root, django_db_setup, django_db_blocker):
    """Two tenants on each side, built once for the session (see tests/world.py)."""
    from tests.world import build_world

    with django_db_blocker.unblock(), scopes_disabled():
        return build_world()


@pytest.fixture
def unscoped():
    with scopes_disabled():
        yield


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


ROOT = Path(__file__).resolve().parent.parent


def _services_ready() -> bool:
    from django.conf import settings
    from django.db import connection

    return connection.vendor == "postgresql" and settings.CELERY_BROKER_URL.startswith("redis://")


def _database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def real_worker(transactional_db):
    """A real Celery worker process against Redis and the test database (tasks leave eager mode)."""
    if not _services_ready():
        if os.environ.get("CI"):
            pytest.fail(
                "CI must run the worker test: DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis) are needed"
            )
        pytest.skip("needs PostgreSQL and Redis (set DATABASE_URL and CELERY_BROKER_URL); CI always runs it")
    from django.conf import settings

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


@pytest.fixture
def pdf_worker(request):
    """The real worker where PostgreSQL and Redis are configured (always in CI), else eager mode."""
    if os.environ.get("CI") or _services_ready():
        return request.getfixturevalue("real_worker")
    return None
