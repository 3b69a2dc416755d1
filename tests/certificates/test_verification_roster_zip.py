"""One ZIP of all the rosters of a batch or of a school's year, built by a job with progress."""

import io
import subprocess
import zipfile

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.roles import Role
from certificates.selectors.rosters import roster_specs_for_batch, roster_specs_for_year
from certificates.services.rosters import rosters_zip
from core.jobs import JobError
from core.models import Job
from core.scoping import SCHOOL, TenantRef, tenant_scope
from tests.certificates.issuance_helpers import (
    generate_numbers,
    make_batch,
    make_class,
    new_certificate,
)

pytestmark = pytest.mark.django_db
URL = reverse("certificates:roster_zip")


def run(client, django_capture_on_commit_callbacks, data) -> Job:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, data)
    assert response.status_code == 302, response.content.decode()[:500]
    with scopes_disabled():
        return Job.objects.select_related("result").get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def test_a_batch_zip_holds_one_roster_per_class_with_its_certificates(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    assert world.a.objects["batch"].name in client.get(URL).content.decode()
    job = run(client, django_capture_on_commit_callbacks, {"batch": world.a.objects["batch"].pk})
    assert job.state == Job.State.DONE and job.progress == 100
    with job.result.file.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    names = archive.namelist()
    assert names == [f"001-{world.a.objects['school_class'].code}-{world.a.certificate.name}-2024.6.pdf"]
    text = pdf_text(archive.read(names[0]))
    assert "学生a" in text and "考证签领名单" in text
    assert "学生b" not in text


def test_a_year_zip_gathers_the_schools_rosters_of_that_year(world):
    with tenant_scope(TenantRef(SCHOOL, world.a.school.pk)):
        assert [s.label for s in roster_specs_for_year(year=2024)] == [world.a.certificate.name]
        assert [s.label for s in roster_specs_for_year(year=2022)] == ["机械设计工程师（AutoCAD）"]
        assert roster_specs_for_year(year=2019) == []
        # Another school's batch has nothing for this school.
        assert roster_specs_for_batch(batch_id=world.b.objects["batch"].pk) == []


def test_a_year_zip_is_built_by_the_job_and_nothing_to_pack_is_a_readable_failure(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    job = run(client, django_capture_on_commit_callbacks, {"year": 2024})
    assert job.state == Job.State.DONE and job.result.name == "rosters-2024.zip"
    with tenant_scope(TenantRef(SCHOOL, world.a.school.pk)), pytest.raises(JobError) as refused:
        rosters_zip(specs=[], name="x.zip", owner_id=None)
    assert "没有可打包的签领名单" in refused.value.message


def test_the_form_wants_a_batch_or_a_year_and_only_the_schools_own(client, world):
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    assert client.post(URL, {}).status_code == 400
    assert client.post(URL, {"batch": world.a.objects["batch"].pk, "year": 2024}).status_code == 400
    assert client.post(URL, {"batch": world.b.objects["batch"].pk}).status_code == 400
    assert world.b.objects["batch"].name not in client.get(URL).content.decode()


def test_a_batch_of_several_classes_gives_one_roster_per_class_in_order(world):
    certificate = new_certificate(world.a.organisation)
    first, first_people = make_class(world.a.school, "26打包1", 2)
    second, second_people = make_class(world.a.school, "26打包2", 1)
    setup = make_batch(school=world.a.school, certificate=certificate, people=second_people + first_people)
    generate_numbers(world.a.organisation, setup.batch)
    with tenant_scope(TenantRef(SCHOOL, world.a.school.pk)):
        specs = roster_specs_for_batch(batch_id=setup.batch.pk)
    assert [(s.class_id, s.what, s.period) for s in specs] == [
        (first.pk, f"cert:{certificate.pk}", "2024.6"),
        (second.pk, f"cert:{certificate.pk}", "2024.6"),
    ]
