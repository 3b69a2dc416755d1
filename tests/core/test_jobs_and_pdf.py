import subprocess

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.roles import Role
from core import pdf
from core.jobs import JobError, job_create, job_run
from core.models import Job, StoredFile
from core.scoping import SCHOOL, TenantRef, tenant_scope
from tests.world import World

pytestmark = pytest.mark.django_db


def pdf_text(stored: StoredFile) -> str:
    with stored.file.open("rb") as handle:
        data = handle.read()
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return result.stdout.decode()


def make_job(world: World, work_name: str = "test") -> Job:
    with scopes_disabled():
        return Job.objects.create(
            kind=work_name,
            title="测试任务",
            task_name="core.export_spreadsheet",
            owner=world.a.user(Role.SCHOOL_ADMIN),
            school=world.a.school,
        )


def test_the_school_profile_pdf_goes_through_a_job(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.a.user(Role.TEACHER))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:school_pdf"))
    page = client.get(response["Location"])
    assert page.status_code == 200 and "学校简介 PDF" in page.content.decode()
    status = client.get(reverse("core:job_status", args=[page.context["job"].pk])).json()
    assert status["state"] == "done" and status["percentage"] == 100
    download = client.get(status["download"])
    assert download["Content-Type"] == "application/pdf"
    with scopes_disabled():
        job = Job.objects.get(pk=page.context["job"].pk)
        text = pdf_text(job.result)
        assert job.started_at and job.finished_at and job.school_id == world.a.school.pk
    assert world.a.school.name in text
    assert "第1页共1页" in text.replace(" ", "")


def test_rendering_the_same_input_twice_returns_the_stored_file(world, monkeypatch):
    calls = []
    original = pdf.html_to_pdf
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html: calls.append(1) or original(html))
    with tenant_scope(TenantRef(SCHOOL, world.a.school.pk)):
        context = {"school": world.a.school, "printed_on": None}
        first = pdf.render_pdf(
            template_name="accounts/pdf/school_profile.html", context=context, filename="a.pdf", owner_id=None
        )
        second = pdf.render_pdf(
            template_name="accounts/pdf/school_profile.html", context=context, filename="a.pdf", owner_id=None
        )
    assert first.pk == second.pk and len(calls) == 1


def test_the_url_fetcher_serves_only_the_projects_static_files(tmp_path):
    fetcher = pdf.StaticOnlyFetcher()
    css = fetcher.fetch(pdf.BASE_URL + "static/css/pdf.css")
    assert b"@page" in css.read()
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    for url in (
        f"file://{secret}",
        "http://127.0.0.1:1/x.css",
        "https://example.com/x.css",
        pdf.BASE_URL + "static/../config/settings.py",
        pdf.BASE_URL + "media/files/x.pdf",
        "data:text/html;base64,PGgxPng8L2gxPg==",
        "data:image/png;base64," + "A" * (pdf.MAX_DATA_URL_BYTES + 4),
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    small = fetcher.fetch("data:image/png;base64,iVBORw0KGgo=")
    assert small.read().startswith(b"\x89PNG")


def test_a_pdf_never_embeds_a_local_file(tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not an image")
    html = f'<html><body><p>正文</p><img src="file://{secret}"><link rel="stylesheet" href="file:///etc/passwd"></body></html>'
    assert pdf.html_to_pdf(html).startswith(b"%PDF")


def test_an_expected_error_shows_its_message_and_can_be_retried(client, world, django_capture_on_commit_callbacks):
    job = make_job(world)

    def fails(job, progress):
        progress(40, "一半")
        raise JobError("证书编号已用完")

    job_run(job.pk, fails)
    with scopes_disabled():
        job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.error == "证书编号已用完" and job.finished_at

    with scopes_disabled():
        Job.objects.filter(pk=job.pk).update(task_name="accounts.render_school_profile")
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(reverse("core:job_retry", args=[job.pk]))
    assert len(callbacks) == 1  # the task is sent again once the retry commits
    with scopes_disabled():
        job.refresh_from_db()
    assert job.state == Job.State.DONE and job.error == "" and job.attempts == 2 and job.result_id


def test_an_unexpected_error_shows_a_generic_message_and_is_logged(world, caplog):
    job = make_job(world)

    def crashes(job, progress):
        raise RuntimeError("internal detail /srv/secret")

    job_run(job.pk, crashes)
    with scopes_disabled():
        job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert "意外错误" in job.error and "secret" not in job.error
    assert "internal detail" in caplog.text


def test_a_job_runs_in_its_tenants_scope_and_language(world):
    job = make_job(world)
    with scopes_disabled():
        Job.objects.filter(pk=job.pk).update(language="en")
    seen = {}

    def work(job, progress):
        from django.utils import translation

        from accounts.models import StaffQualification

        seen["schools"] = set(StaffQualification.objects.values_list("school_id", flat=True))
        seen["language"] = translation.get_language()
        return "/somewhere/"

    job_run(job.pk, work)
    assert seen == {"schools": {world.a.school.pk}, "language": "en"}
    with scopes_disabled():
        job.refresh_from_db()
    assert job.state == Job.State.DONE and job.result_url == "/somewhere/"


def test_another_users_job_answers_404(client, world):
    job = make_job(world)
    client.force_login(world.a.user(Role.TEACHER))  # same school, other user
    for name in ("core:job_detail", "core:job_status", "core:job_download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404


def test_the_progress_page_refreshes_itself_without_javascript(client, world):
    job = make_job(world)
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    page = client.get(reverse("core:job_detail", args=[job.pk])).content.decode()
    assert '<noscript><meta http-equiv="refresh"' in page
    assert "js/job.js" in page


def test_job_create_sends_the_task_on_commit(world, django_capture_on_commit_callbacks, rf):
    from accounts.selectors import context_for
    from accounts.tasks import render_school_profile

    user = world.a.user(Role.SCHOOL_ADMIN)
    with scopes_disabled():
        membership = user.memberships.first()
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        tenant_scope(TenantRef(SCHOOL, world.a.school.pk)),
    ):
        job = job_create(owner=user, tenant=context_for(membership), task=render_school_profile, kind="k", title="t")
    assert len(callbacks) == 1
    assert job.state == Job.State.QUEUED


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = subprocess.run(
        [".venv/bin/python", "-c", "import django, os; django.setup()"],
        env={"DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "0", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr or ImproperlyConfigured.__name__ in result.stderr


def test_the_deploy_check_passes_with_production_settings():
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "a-long-random-production-secret-key-for-the-check-0123456789abcdef",
        "ALLOWED_HOSTS": "pilots.example.edu.cn",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [".venv/bin/python", "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
