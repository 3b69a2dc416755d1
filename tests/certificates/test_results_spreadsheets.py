"""The per-batch results template (pre-filled) and its import: the errors and the history rows."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from certificates.history import RESULT_IMPORTED
from certificates.models import Result
from certificates.services.notice import sheet_publish
from certificates.services.results import result_save
from certificates.spreadsheets.results import ResultsImporter
from core.audit import describe
from tests.certificates.results_helpers import as_school, audit_lines, make_setup, sheet_of

pytestmark = pytest.mark.django_db


def _template(client, sheet) -> bytes:
    response = client.get(reverse("certificates:results_import", kwargs={"sheet_id": sheet.pk}) + "?template=1")
    assert response.status_code == 200
    return response.content


def _fill(data: bytes, scores: dict[int, tuple], extra_rows: list[list] | None = None) -> tuple[bytes, list[str]]:
    """Write scores by data row index (0-based) into the template; returns the file and its header."""
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.worksheets[0]
    header = [c.value for c in sheet[1]]
    for index, values in scores.items():
        row = index + 2
        for name, value in zip(("理论成绩", "实操成绩", "缺考"), values, strict=False):
            sheet.cell(row=row, column=header.index(name) + 1, value=value)
    for extra in extra_rows or []:
        sheet.append(extra)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), header


def test_the_template_is_pre_filled_with_the_candidates_and_seat_numbers(client, world):
    setup = make_setup(world.a)
    client.force_login(setup.teacher)
    workbook = load_workbook(io.BytesIO(_template(client, sheet_of(setup.batch))))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[0][:3] == ("场次", "座位号", "姓名")
    assert [r[1] for r in rows[1:]] == [1, 2, 3]
    assert [r[2] for r in rows[1:]] == [p.name for p in setup.people]
    assert rows[1][4] == setup.people[0].masked_id_number  # never the full ID number


def test_an_import_writes_every_row_with_its_history(client, world):
    setup = make_setup(world.a)
    sheet = sheet_of(setup.batch)
    client.force_login(setup.teacher)
    data, _ = _fill(_template(client, sheet), {0: (80, 90, None), 1: (50, 70, "否"), 2: (None, None, "是")})
    response = client.post(
        reverse("certificates:results_import", kwargs={"sheet_id": sheet.pk}),
        {"file": SimpleUploadedFile("r.xlsx", data)},
    )
    assert response.status_code == 302
    with scopes_disabled():
        results = [Result.objects.get(seat=s) for s in setup.seats]
    outcomes = [r.outcome for r in results]
    lines = [line for r in results for line in audit_lines(r)]
    assert len(lines) == 3 and all(line.action == RESULT_IMPORTED and line.organisation_id is None for line in lines)
    assert all(describe(line).label == "导入成绩" and line.actor == setup.teacher for line in lines)
    assert outcomes == [Result.Outcome.PASS, Result.Outcome.FAIL, Result.Outcome.ABSENT]


def test_unknown_candidates_duplicates_out_of_range_and_missing_parts_are_errors(client, world):
    setup = make_setup(world.a)
    sheet = sheet_of(setup.batch)
    client.force_login(setup.teacher)
    template = _template(client, sheet)
    first = list(load_workbook(io.BytesIO(template)).worksheets[0].iter_rows(min_row=2, values_only=True))[0]
    duplicate = list(first)
    duplicate[6:9] = [70, 70, None]
    unknown = list(first)
    unknown[1], unknown[6:9] = 99, [70, 70, None]
    data, _ = _fill(template, {0: (101, 80, None), 1: (70, None, None), 2: (60, 60, None)}, [duplicate, unknown])
    with as_school(world.a):
        report = ResultsImporter(sheet_id=sheet.pk, owner_id=setup.teacher.pk).run(data)
    messages = " | ".join(f"{e.row}:{e.column}:{e.message}" for e in report.errors)
    assert not report.ok
    assert "2:理论成绩:成绩须在 0 到 100 之间。" in messages
    assert "3:实操成绩:缺少成绩" in messages
    assert "5:座位号:与第 2 行重复" in messages
    assert "6:座位号:本批次没有这个场次和座位号的考生。" in messages
    with scopes_disabled():
        assert not Result.objects.filter(sheet=sheet).exists()  # nothing written


def test_a_name_that_does_not_match_the_seat_is_an_error_and_published_sheets_refuse_imports(client, world):
    setup = make_setup(world.a)
    sheet = sheet_of(setup.batch)
    client.force_login(setup.teacher)
    template = _template(client, sheet)
    workbook = load_workbook(io.BytesIO(template))
    workbook.worksheets[0].cell(row=2, column=3, value="别人")
    buffer = io.BytesIO()
    workbook.save(buffer)
    data, _ = _fill(buffer.getvalue(), {0: (80, 80, None), 1: (80, 80, None), 2: (80, 80, None)})
    with as_school(world.a):
        report = ResultsImporter(sheet_id=sheet.pk, owner_id=setup.teacher.pk).run(data)
        assert any("姓名与该座位的考生" in e.message for e in report.errors)
        for seat in setup.seats:
            result_save(seat=seat, theory=Decimal(70), practical=Decimal(70), actor=setup.teacher, version=0)
        sheet_publish(sheet=sheet, actor=setup.admin, notice_days=3)
        refused = ResultsImporter(sheet_id=sheet.pk, owner_id=setup.admin.pk).run(data)
    assert "公示开始后不能再导入" in refused.file_error
