"""The README's deploy steps ("Running it for real"), run as a new machine would, over HTTP.

DEBUG=0 with a generated key, collectstatic into a fresh folder, gunicorn with 2 workers and a real
Celery worker (prefork), all on pytest-django's test database and the CI's Redis. The test talks to
gunicorn as a TLS proxy would (``X-Forwarded-Proto: https``), keeps its own cookies (they are
Secure), logs in through the real form (django-axes is on), opens a logged-in page, fetches a
hashed static file and has a PDF rendered by the worker.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.models import Membership, School
from accounts.roles import Role
from core.models import Job
from tests.conftest import _database_url, _services_ready
from tests.world import PASSWORD, make_user

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
SCHOOL_NAME = "生产路径测试学校"
HASHED_STATIC = re.compile(r'/static/[\w/.-]+\.[0-9a-f]{12}\.(?:css|js)(?=")')
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ONE_YEAR = 365 * 24 * 3600


# -- the unit test: no subprocesses -----------------------------------------------------------------


def test_the_no_store_middleware_acts_only_for_logged_in_users(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    from core.middleware import NoStoreForUsersMiddleware

    middleware = NoStoreForUsersMiddleware(lambda request: HttpResponse("page"))
    request = rf.get("/")
    request.user = AnonymousUser()
    assert not middleware(request).has_header("Cache-Control")
    request.user = type("LoggedIn", (), {"is_authenticated": True})()
    assert "no-store" in middleware(request)["Cache-Control"]


@pytest.mark.django_db
def test_logged_in_pages_are_no_store_and_anonymous_answers_are_not(client):
    with scopes_disabled():
        school = School.objects.create(name="缓存头测试学校")
        user = make_user("no_store_admin", "缓存头管理员")
        Membership.objects.create(user=user, school=school, role=Role.SCHOOL_ADMIN)
    anonymous = client.get(reverse("home"))
    assert anonymous.status_code == 302
    assert "no-store" not in anonymous.get("Cache-Control", "")
    # The login page is not required either way: Django's LoginView is never_cache by itself.

    client.force_login(user)
    for name in ("home", "accounts:school", "accounts:staff"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert "no-store" in response["Cache-Control"], name
        assert "private" in response["Cache-Control"], name


# -- talking to gunicorn as a TLS proxy would -------------------------------------------------------


class ProxiedClient:
    """HTTP to gunicorn with ``X-Forwarded-Proto: https`` and a cookie jar that keeps Secure cookies."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.origin = f"https://127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, *, form: dict | None = None, https: bool = True, **headers):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": f"127.0.0.1:{self.port}", **headers}
        if https:
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"{self.origin}{path}"  # CSRF checks the Referer on https
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.body = response.read()
        finally:
            connection.close()
        for line in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(line).items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response

    def get(self, path: str, **headers):
        return self.request("GET", path, **headers)

    def post(self, path: str, form: dict, **headers):
        return self.request("POST", path, form=form, **headers)

    def csrf_token(self, path: str) -> str:
        page = self.get(path)
        assert page.status == 200, (path, page.status)
        match = CSRF_INPUT.search(page.body.decode())
        assert match, f"no CSRF token in {path}"
        return match.group(1)


# -- the deployment: collectstatic, gunicorn and a Celery worker ------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _production_env(static_root: Path) -> dict[str, str]:
    from django.conf import settings

    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": os.environ["CELERY_BROKER_URL"],
        "REDIS_URL": os.environ["REDIS_URL"],
        "STATIC_ROOT": str(static_root),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }


def _manage(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"


def _start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("w") as out:  # a file, not a pipe: nobody reads a pipe and a full one blocks
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def _stop_all(processes: list[subprocess.Popen]) -> None:
    """SIGTERM to all at once (gunicorn and Celery shut down gracefully in parallel), then SIGKILL."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _wait_until_served(client: ProxiedClient, processes: dict[str, subprocess.Popen], logs: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for name, process in processes.items():
            assert process.poll() is None, f"{name} exited:\n{(logs / f'{name}.log').read_text()[-4000:]}"
        try:
            client.get(reverse("accounts:login"))
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer within 60 s:\n{(logs / 'gunicorn.log').read_text()[-4000:]}")


@pytest.fixture
def production(transactional_db, tmp_path):
    """The deploy steps, then gunicorn (2 workers) and a prefork Celery worker; yields a client."""
    if not _services_ready():
        if os.environ.get("CI"):
            pytest.fail("CI must run the production path: DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis)")
        pytest.skip("needs PostgreSQL and Redis (set DATABASE_URL, CELERY_BROKER_URL, REDIS_URL); CI always runs it")
    if not os.environ.get("REDIS_URL"):
        pytest.fail("the production path needs REDIS_URL (the shared cache)")
    env = _production_env(tmp_path / "staticfiles")
    started = time.monotonic()
    _manage(env, "migrate", "--noinput")  # the test database is migrated already: a no-op, as on a re-deploy
    _manage(env, "collectstatic", "--noinput", "-v0")
    assert (tmp_path / "staticfiles" / "staticfiles.json").exists()
    deploy_seconds = time.monotonic() - started
    port = _free_port()
    gunicorn = [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"]
    celery = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork", "--concurrency=1"]
    celery += ["--without-gossip", "--without-mingle", "--loglevel=INFO", "-n", "prod@%h"]
    processes = {
        "gunicorn": _start(gunicorn, env, tmp_path / "gunicorn.log"),
        "celery": _start(celery, env, tmp_path / "celery.log"),
    }
    try:
        client = ProxiedClient(port)
        _wait_until_served(client, processes, tmp_path)
        print(f"deploy steps {deploy_seconds:.1f} s, serving after {time.monotonic() - started:.1f} s")
        yield client, processes, tmp_path
    finally:
        _stop_all(list(processes.values()))


# -- the production path ----------------------------------------------------------------------------


def _log_in(client: ProxiedClient, username: str) -> None:
    login = reverse("accounts:login")
    page = client.get(login)
    assert page.status == 200, page.status
    assert "csrftoken" in client.cookies, page.headers
    assert page.getheader("Strict-Transport-Security"), "HSTS is on with DEBUG=0"
    token = CSRF_INPUT.search(page.body.decode()).group(1)
    response = client.post(login, {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD})
    assert response.status == 302, (response.status, response.body.decode()[:2000])
    assert response.getheader("Location") == reverse("home")
    assert "sessionid" in client.cookies


def _check_hashed_static(client: ProxiedClient, html: str) -> None:
    urls = sorted(set(HASHED_STATIC.findall(html)))
    assert any("bootstrap.min" in url for url in urls), urls
    encodings = {}
    for url in urls:
        response = client.get(url, **{"Accept-Encoding": "gzip"})
        assert response.status == 200, (url, response.status)
        cache_control = response.getheader("Cache-Control") or ""
        max_age = re.search(r"max-age=(\d+)", cache_control)
        assert max_age and int(max_age.group(1)) >= ONE_YEAR, (url, cache_control)
        assert "no-store" not in cache_control, url
        encodings[url] = response.getheader("Content-Encoding")
    bootstrap_css = next(url for url in urls if "bootstrap.min" in url and url.endswith(".css"))
    assert encodings[bootstrap_css] == "gzip", "collectstatic compressed the files"


def _render_pdf(client: ProxiedClient, processes: dict, logs: Path) -> bytes:
    token = client.csrf_token(reverse("accounts:school"))
    response = client.post(reverse("accounts:school_pdf"), {"csrfmiddlewaretoken": token})
    assert response.status == 302, (response.status, response.body.decode()[:2000])
    progress = response.getheader("Location")
    job_id = int(progress.rstrip("/").split("/")[-1])
    assert client.get(progress).status == 200

    deadline = time.monotonic() + 120
    status: dict = {}
    while time.monotonic() < deadline:
        reply = client.get(reverse("core:job_status", args=[job_id]))
        assert reply.status == 200, reply.status
        status = json.loads(reply.body)
        if status["ready"]:
            break
        for name, process in processes.items():
            assert process.poll() is None, f"{name} exited:\n{(logs / f'{name}.log').read_text()[-4000:]}"
        time.sleep(0.3)
    assert status.get("state") == "done", f"{status}\n{(logs / 'celery.log').read_text()[-4000:]}"
    with scopes_disabled():
        assert Job.objects.get(pk=job_id).state == "done"
    assert "succeeded" in (logs / "celery.log").read_text(), "the worker rendered it, not the web process"
    download = client.get(status["download"])
    assert download.status == 200
    assert download.getheader("Content-Type") == "application/pdf"
    assert "no-store" in download.getheader("Cache-Control")
    return download.body


@pytest.mark.worker
def test_the_readme_deploy_steps_serve_the_product(production):
    client, processes, logs = production
    with scopes_disabled():
        school = School.objects.create(name=SCHOOL_NAME, profile="由 gunicorn 与 Celery 生成")
        user = make_user("production_admin", "生产路径管理员")
        Membership.objects.create(user=user, school=school, role=Role.SCHOOL_ADMIN)

    plain = client.get(reverse("accounts:login"), https=False)
    assert plain.status == 301 and plain.getheader("Location").startswith("https://"), "SSL redirect is on"
    stranger = ProxiedClient(client.port)
    anonymous = stranger.get(reverse("home"))
    assert anonymous.status == 302
    assert anonymous.getheader("Location").startswith(reverse("accounts:login"))
    assert "no-store" not in (anonymous.getheader("Cache-Control") or ""), "no-store is for logged-in answers"
    login_page = stranger.get(reverse("accounts:login"))
    assert login_page.status == 200
    _check_hashed_static(stranger, login_page.body.decode())

    _log_in(client, user.username)
    home = client.get(reverse("home"))
    assert home.status == 200, home.status
    assert SCHOOL_NAME in home.body.decode()
    assert "no-store" in home.getheader("Cache-Control")

    pdf = _render_pdf(client, processes, logs)
    assert pdf.startswith(b"%PDF")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "production-path-school-profile.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert SCHOOL_NAME in text
