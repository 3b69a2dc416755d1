"""The collection roster (考证签领名单): rows, the A4 PDF's text, the .xlsx, and the query count."""

from __future__ import annotations

import io
import os
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from accounts.roles import Role
from certificates.selectors.rosters import roster_document, roster_rows
from certificates.services.collection import external_certificate_create
from certificates.services.rosters import roster_pdf
from core.models import Job, StoredFile
from tests.certificates.issuance_helpers import as_school, realistic_names
from tests.certificates.issuance_helpers import issued_class as issued_class_with_numbers

pytestmark = pytest.mark.django_db

HEADERS = ["序号", "班号", "姓名", "工种", "等级", "鉴定时间", "发证日期", "证书签领人"]


def issued_class(side, code: str, size: int, *, names=None):
    """A class with certificates issued on 2022-07-01 for the period 2022.5-6, the one these rosters print."""
    certificate, school_class, people, _setup = issued_class_with_numbers(
        side, code, size, names=names, issued_on=date(2022, 7, 1), period="2022.5-6"
    )
    return certificate, school_class, people


def add_external(side, people, *, name="机械设计工程师（AutoCAD）", period="2022.5-6"):
    with as_school(side.school):
        for person in people:
            external_certificate_create(
                school=side.school,
                person=person,
                name=name,
                issuer="示例行业协会",
                assessment_period=period,
                issued_on=date(2022, 7, 10),
            )


def pdf_text(stored: StoredFile) -> str:
    with stored.file.open("rb") as handle:
        data = handle.read()
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def test_external_certificates_stand_on_the_roster_beside_1x_certificates(world):
    certificate, school_class, people = issued_class(world.a, "20数控R1", 3)
    add_external(world.a, people[:2])
    add_external(world.a, people[2:], name="数控技术工程师", period="2023.5")
    with as_school(world.a.school):
        period_rows = roster_rows(school_class=school_class, period="2022.5-6")
        certificate_rows = roster_rows(school_class=school_class, what=f"cert:{certificate.pk}")
        external_rows = roster_rows(school_class=school_class, what="ext:数控技术工程师")
        document = roster_document(class_id=school_class.pk, period="2022.5-6")
    assert len(period_rows) == 5  # three 1+X and two external certificates of that period
    assert {r.certificate for r in period_rows} == {certificate.name, "机械设计工程师（AutoCAD）"}
    assert [r.level for r in period_rows if r.certificate != certificate.name] == ["", ""]  # no level
    assert len(certificate_rows) == 3 and len(external_rows) == 1
    assert document["title"] == "数控技术应用专业2022年20数控R1班考证签领名单"


def test_a_150_name_roster_prints_every_name_with_the_header_and_page_numbers_on_every_page(world):
    certificate, school_class, people = issued_class(world.a, "20数控R2", 140, names=realistic_names(140))
    add_external(world.a, people[:10])
    with as_school(world.a.school):
        stored = roster_pdf(class_id=school_class.pk, what="", period="2022.5-6", owner_id=None)
    text = pdf_text(stored)
    if os.environ.get("ROSTER_PNG"):  # look at it: ROSTER_PNG=/tmp/roster pytest -k 150_name
        with stored.file.open("rb") as handle:
            Path(os.environ["ROSTER_PNG"] + ".pdf").write_bytes(handle.read())
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) >= 4
    assert "数控技术应用专业2022年20数控R2班考证签领名单" in pages[0]
    for number, page in enumerate(pages, start=1):
        header = re.search(r"序号\s+班号\s+姓名\s+工种\s+等级\s+鉴定时间\s+发证日期\s+证书签领人", page)
        assert header, f"page {number} has no header row"
        assert f"第{number}页共{len(pages)}页" in "".join(page.split())
    flat = "".join(text.split())
    for person in people:
        assert person.name in flat, person.name
    assert flat.count("机械设计工程师") == 10 and flat.count("AutoCAD") == 10  # the name wraps in its cell
    assert flat.count(certificate.name) == 140
    # numbered 1..150, in order
    numbers = [int(m) for m in re.findall(r"^\s*(\d+)\s+20数控R2", text, flags=re.MULTILINE)]
    assert numbers == list(range(1, 151))
    # the same roster is not rendered twice
    with as_school(world.a.school):
        again = roster_pdf(class_id=school_class.pk, what="", period="2022.5-6", owner_id=None)
    assert again.pk == stored.pk


def test_the_roster_takes_the_same_number_of_queries_for_10_or_100_names(world):
    counts = []
    for code, size in (("20数控Q1", 10), ("20数控Q2", 100)):
        _certificate, school_class, people = issued_class(world.a, code, size)
        add_external(world.a, people[: size // 2])
        with as_school(world.a.school), CaptureQueriesContext(connection) as queries:
            document = roster_document(class_id=school_class.pk, period="2022.5-6")
        assert len(document["rows"]) == size + size // 2
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_school_gets_the_roster_as_pdf_and_xlsx_through_jobs(client, world, django_capture_on_commit_callbacks):
    certificate, school_class, people = issued_class(world.a, "20数控R3", 3, names=realistic_names(3))
    add_external(world.a, people[:1])
    client.force_login(world.a.user(Role.TEACHER))
    form = {"what": "", "period": "2022.5-6"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("certificates:roster_pdf", args=[school_class.pk]), form)
    assert response.status_code == 302
    job_id = int(response["Location"].rstrip("/").split("/")[-1])
    with scopes_disabled():
        job = Job.objects.get(pk=job_id)
    assert job.state == Job.State.DONE, job.error
    download = client.get(reverse("core:job_download", args=[job_id]))
    assert download.status_code == 200
    data = b"".join(download.streaming_content)
    text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    assert people[0].name in text
    # another user may not download it
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    assert client.get(reverse("core:job_download", args=[job_id])).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("certificates:roster_xlsx", args=[school_class.pk]), form)
    assert response.status_code == 302
    job_id = int(response["Location"].rstrip("/").split("/")[-1])
    download = client.get(reverse("core:job_download", args=[job_id]))
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert len(rows) == 5
    assert {r[2] for r in rows[1:]} == {p.name for p in people}
    assert {r[3] for r in rows[1:]} == {certificate.name, "机械设计工程师（AutoCAD）"}
    # neither without a choice
    assert client.post(reverse("certificates:roster_pdf", args=[school_class.pk]), {}).status_code == 400
    assert client.post(reverse("certificates:roster_xlsx", args=[school_class.pk]), {}).status_code == 400
