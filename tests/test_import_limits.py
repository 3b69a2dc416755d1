"""Every import page refuses a file over the row limit at once: no job, and no row read past the count."""

import io
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled
from openpyxl import Workbook

from core.models import Job
from core.spreadsheets import Importer
from core.views import ImportView
from tests.test_permission_matrix import build_url, declared_permission, permissions_of, project_urls

pytestmark = pytest.mark.django_db
ROLES = ["school_admin", "reviewer", "platform_admin"]


def _import_pages():
    pages = []
    for name, pattern in project_urls():
        view_class = getattr(pattern.callback, "view_class", None)
        if view_class is not None and issubclass(view_class, ImportView):
            pages.append((name, pattern))
    return pages


@pytest.fixture(scope="module")
def sixty_thousand_rows() -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["姓名"])
    for index in range(60_000):
        sheet.append([f"学员{index}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_import_pages_are_all_found():
    assert len(_import_pages()) == 7


@pytest.mark.parametrize("name", [name for name, _pattern in _import_pages()])
def test_a_file_over_the_row_limit_is_refused_before_any_job(client, world, sixty_thousand_rows, name):
    pattern = dict(_import_pages())[name]
    permission = declared_permission(pattern)
    role = next(r for r in ROLES if permission in permissions_of(r))
    client.force_login(world.platform_admin if role == "platform_admin" else world.a.user(role))
    url = build_url(name, pattern, world.a, role)
    with scopes_disabled():
        jobs_before = Job.objects.count()
    upload = SimpleUploadedFile("big.xlsx", sixty_thousand_rows)
    with mock.patch.object(Importer, "parse", side_effect=AssertionError("a row was parsed")):
        response = client.post(url, {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert "文件超过每次最多 50,000 行数据，请拆分后分批上传。" in page
    with scopes_disabled():
        assert Job.objects.count() == jobs_before
