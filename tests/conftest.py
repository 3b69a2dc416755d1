import os
import tempfile

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
