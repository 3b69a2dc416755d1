"""The session list (场次名单): its rows, the A4 PDF through a job and the .xlsx through the exporter."""

from __future__ import annotations

import io
import subprocess

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from accounts.roles import Role
from core.models import Job
from exam_sites.models import Batch, ExamSession, Seat
from exam_sites.selectors.batches import session_list_document
from tests.exam_sites.helpers import as_school
from tests.exam_sites.scheduling_helpers import YEAR, announced_round, batch, candidates, d, room, session

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(world):
    """A session of side A with three seated candidates (numbers 3, 1, 2) and a familiarisation day."""
    b = batch(world.a, announced_round(world.a), name="三月批次")
    with scopes_disabled():
        Batch.objects.filter(pk=b.pk).update(familiarisation_on=d(3, 1))
    s = session(b, room(world.a, name="实训楼301"), d(3, 2), "09:00", "11:00", 10, world.a.user(Role.TEACHER))
    people = candidates(world.a, {"23机电1": 3})
    with scopes_disabled():
        for number, enrolment in zip((3, 1, 2), people, strict=True):
            Seat.objects.create(batch=b, session=s, enrolment=enrolment, number=number)
    return s, people


def test_the_list_has_seat_numbers_in_order_and_masked_id_numbers(world, listed):
    s, people = listed
    with as_school(world.a):
        document = session_list_document(ExamSession.objects.select_related("batch__pilot__certificate").get(pk=s.pk))
    rows = document["rows"]
    assert [r.number for r in rows] == [1, 2, 3]
    assert [r.name for r in rows] == [people[1].person.name, people[2].person.name, people[0].person.name]
    full = people[1].person.id_number
    assert rows[0].id_number == full[:4] + "*" * 10 + full[-4:]
    assert all(r.school_class == "23机电1" for r in rows)
    assert document["seated"] == 3 and document["free"] == 7


def pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def test_the_pdf_prints_the_list_through_a_job(client, world, listed, django_capture_on_commit_callbacks):
    s, people = listed
    client.force_login(world.a.user(Role.TEACHER))  # teachers may print the list too
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exam_sites:session_pdf", args=[s.pk]))
    assert response.status_code == 302 and "/core/jobs/" in response["Location"]
    status = client.get(response["Location"] + "status/").json()
    assert status["state"] == "done", status
    download = client.get(status["download"])
    text = "".join(pdf_text(b"".join(download.streaming_content)).split())
    for expected in (
        "场次名单",
        "三月批次",
        "实训楼301",
        f"{YEAR}-03-02",
        "09:00–11:00",
        "熟悉场地日",
        f"{YEAR}-03-01",
    ):
        assert expected in text, expected
    for enrolment in people:
        assert enrolment.person.name in text
        assert enrolment.person.masked_id_number in text
        assert enrolment.person.id_number not in text
    assert "考生签名" in text and "督考签名" in text


def test_the_xlsx_lists_the_same_rows_masked(client, world, listed, django_capture_on_commit_callbacks):
    s, people = listed
    client.force_login(world.a.user(Role.REVIEWER))  # the organisation sees its certificate's sessions
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exam_sites:session_xlsx", args=[s.pk]))
    status = client.get(response["Location"] + "status/").json()
    assert status["state"] == "done", status
    content = b"".join(client.get(status["download"]).streaming_content)
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("座位号", "姓名", "性别", "身份证号")
    assert [r[0] for r in rows[1:]] == [1, 2, 3]
    assert rows[1][1] == people[1].person.name and rows[1][3] == people[1].person.masked_id_number
    assert all(r[11] == "实训楼301" and r[13] == f"{YEAR}-03-01" for r in rows[1:])
    assert not any(p.person.id_number in str(r) for p in people for r in rows)
    with scopes_disabled():
        assert Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1])).organisation_id


def test_another_tenant_cannot_export_or_print_the_list(client, world, listed):
    s, _people = listed
    client.force_login(world.b.user(Role.SCHOOL_ADMIN))
    assert client.post(reverse("exam_sites:session_xlsx", args=[s.pk])).status_code == 404
    assert client.post(reverse("exam_sites:session_pdf", args=[s.pk])).status_code == 404
    assert client.get(reverse("exam_sites:session_detail", args=[s.pk])).status_code == 404
