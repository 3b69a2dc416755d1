import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from core.scoping import PLATFORM, TenantRef, tenant_scope
from core.spreadsheets import normalise_name, safe_cell
from pilots.models import Certificate, CertificateLevel
from pilots.spreadsheets import CatalogueExporter, CatalogueImporter
from tests.factories import xlsx

pytestmark = pytest.mark.django_db
HEADER = [c.label for c in CatalogueImporter.columns]


def rows(n, org="a组织", start=0):
    levels = ["初级", "中级", "高级"]
    return [
        [f"X{(start + i) // 3:05d}", f"证书{(start + i) // 3}", org, levels[i % 3], 60, "是", "否"] for i in range(n)
    ]


@pytest.fixture
def platform(world):
    with tenant_scope(TenantRef(PLATFORM)):
        yield


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.platform_admin)
    return client


def test_a_valid_file_is_written_in_bulk(platform):
    report = CatalogueImporter().run(xlsx(HEADER, rows(6)))
    assert report.ok and report.created == 6
    assert Certificate.objects.filter(code__startswith="X").count() == 2
    assert CertificateLevel.objects.filter(certificate__code="X00000").count() == 3
    assert Certificate.objects.get(code="X00001").has_practical is False


def test_one_bad_row_writes_no_row(platform):
    data = rows(5) + [["X09999", "坏行", "不存在的组织", "初级", 60, "是", "是"]]
    report = CatalogueImporter().run(xlsx(HEADER, data))
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(7, "培训评价组织")]
    assert not Certificate.objects.filter(code__startswith="X").exists()


def test_every_bad_cell_is_reported_in_the_users_language(platform):
    data = [
        ["X1", "甲", "a组织", "特级", 60, "是", "是"],
        ["X2", "乙", "a组织", "初级", 160, "是", "是"],
        ["X3", "", "a组织", "初级", "六十", "是", "也许"],
    ]
    report = CatalogueImporter().run(xlsx(HEADER, data))
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert "须为以下之一" in messages[(2, "等级")]
    assert "0 到 100" in messages[(3, "合格分数线")]
    assert messages[(4, "证书名称")] == "必填。"
    assert messages[(4, "合格分数线")] == "须为数字。"
    assert "是" in messages[(4, "含实操考核")]


def test_duplicate_rows_are_errors(platform):
    data = rows(3) + [rows(1)[0]]
    report = CatalogueImporter().run(xlsx(HEADER, data))
    assert [e.row for e in report.errors] == [5]
    assert "第 2 行" in report.errors[0].message


def test_a_number_where_text_is_required_is_an_error_not_repaired(platform):
    report = CatalogueImporter().run(xlsx(HEADER, [["X1", 1.23e17, "a组织", "初级", 60, "是", "是"]]))
    assert not report.ok
    assert "文本" in report.errors[0].message


def test_full_width_characters_and_stray_spaces_are_normalised(platform):
    report = CatalogueImporter().run(xlsx(HEADER, [["ＸＷ１", " 机械  制图 ", "a组织", "初级", "６０", "是", "是"]]))
    assert report.ok, report.errors
    certificate = Certificate.objects.get(code="XW1")
    assert certificate.name == "机械制图"
    assert CertificateLevel.objects.get(certificate=certificate).pass_mark == 60
    assert normalise_name("张 三") == "张三"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "空"),
        (b"code,name\n1,2\n", "不是 .xlsx"),
        (b"PK\x03\x04 not really a zip", "不是 .xlsx"),
    ],
)
def test_files_that_are_not_xlsx_are_refused(platform, content, expected):
    report = CatalogueImporter().run(content)
    assert expected in report.file_error
    assert not Certificate.objects.filter(code__startswith="X").exists()


def _with_part(data: bytes, name: str, payload: bytes, content_types: bytes | None = None) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if content_types and item.filename == "[Content_Types].xml":
                content = content_types
            target.writestr(item, content)
        target.writestr(name, payload)
    return buffer.getvalue()


def test_a_renamed_xlsm_is_refused(platform):
    data = _with_part(xlsx(HEADER, rows(1)), "xl/vbaProject.bin", b"macro")
    assert "宏" in CatalogueImporter().run(data).file_error


def test_a_zip_bomb_is_refused(platform, settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    data = _with_part(xlsx(HEADER, rows(1)), "xl/media/padding.bin", b"\0" * (2 * 1024 * 1024))
    assert len(data) < 100_000
    assert "过大" in CatalogueImporter().run(data).file_error


def test_too_many_rows_or_bytes_are_refused(platform, settings):
    settings.IMPORT_MAX_ROWS = 5
    assert "超过 5 行" in CatalogueImporter().run(xlsx(HEADER, rows(6))).file_error
    settings.IMPORT_MAX_BYTES = 100
    assert "MB" in CatalogueImporter().run(xlsx(HEADER, rows(1))).file_error


def test_headers_missing_or_merged_are_refused(platform):
    assert "缺少列" in CatalogueImporter().run(xlsx(HEADER[:3], [r[:3] for r in rows(1)])).file_error
    merged = xlsx(HEADER, rows(1), merge="A1:B1")
    assert "合并单元格" in CatalogueImporter().run(merged).file_error
    assert "没有数据行" in CatalogueImporter().run(xlsx(HEADER, [])).file_error
    assert "空" in CatalogueImporter().run(xlsx([], [])).file_error


def test_parsing_and_checking_write_nothing_and_query_per_batch(platform):
    importer = CatalogueImporter()
    small, large = xlsx(HEADER, rows(10)), xlsx(HEADER, rows(2500))
    with CaptureQueriesContext(connection) as few:
        importer.parse(small)
    with CaptureQueriesContext(connection) as many:
        _rows, report = importer.parse(large)
    assert not report.errors
    statements = [q["sql"].split()[0].upper() for q in few.captured_queries + many.captured_queries]
    assert all(s == "SELECT" for s in statements), statements
    assert len(many.captured_queries) == 3  # one look-up per batch of 1,000 rows, not per row
    assert len(few.captured_queries) == 1


def test_the_template_declares_columns_choices_and_an_example(platform):
    workbook = load_workbook(io.BytesIO(CatalogueImporter().template()))
    data, guide = workbook.worksheets
    assert [c.value for c in data[1]] == HEADER
    validations = data.data_validations.dataValidation
    assert any(v.formula1 == '"初级,中级,高级"' for v in validations)
    guide_values = [[c.value for c in row][:4] for row in guide.iter_rows()]
    assert ["证书代码", "是", None, "ZX-01"] in guide_values
    assert ["等级", "是", "初级、中级、高级", "初级"] in guide_values


def test_the_error_workbook_marks_the_bad_cells(platform):
    importer = CatalogueImporter()
    data = xlsx(HEADER, [["X1", "甲", "a组织", "特级", 60, "是", "是"]])
    report = importer.run(data)
    workbook = load_workbook(io.BytesIO(importer.error_workbook(data, report)))
    listing, marked = workbook.worksheets
    assert [c.value for c in listing[2]][:3] == [2, "等级", "特级"]
    bad = marked["D2"]
    assert bad.fill.fgColor.rgb.endswith("F8CBAD")
    assert "须为以下之一" in bad.comment.text


def test_export_rows_round_trip_through_the_importer(platform):
    CatalogueImporter().run(xlsx(HEADER, rows(3)))
    content = CatalogueExporter().render()
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    exported = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert exported[0] == HEADER
    assert ["X00000", "证书0", "a组织", "初级", 60, "是", "否"] in exported


@pytest.mark.parametrize("text", ["=1+2", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_export_cells_that_look_like_formulas_are_made_safe(text):
    assert safe_cell(text) == "'" + text
    assert safe_cell("张三") == "张三" and safe_cell(-5) == -5


def test_import_page_small_file_imports_at_once(admin_client, world):
    upload = SimpleUploadedFile("c.xlsx", xlsx(HEADER, rows(3)))
    response = admin_client.post(reverse("pilots:catalogue_import"), {"file": upload})
    assert response.status_code == 302
    with scopes_disabled():
        assert Certificate.objects.filter(code="X00000").exists()


def test_import_page_shows_errors_and_offers_the_marked_workbook(admin_client, world):
    upload = SimpleUploadedFile("c.xlsx", xlsx(HEADER, [["X1", "甲", "无此组织", "初级", 60, "是", "是"]]))
    response = admin_client.post(reverse("pilots:catalogue_import"), {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert "未导入任何数据" in page and "平台中没有这个培训评价组织" in page
    assert reverse("core:file_download", args=[response.context["error_file"].pk]) in page


def test_import_page_refuses_a_csv_with_a_clear_message(admin_client, world):
    upload = SimpleUploadedFile("c.xlsx", b"a,b\n1,2\n")
    response = admin_client.post(reverse("pilots:catalogue_import"), {"file": upload})
    assert response.status_code == 400
    assert "不是 .xlsx" in response.content.decode()


def test_a_large_file_goes_through_a_job_with_progress(
    admin_client, world, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_JOB_THRESHOLD_ROWS = 10
    upload = SimpleUploadedFile("c.xlsx", xlsx(HEADER, rows(30)))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("pilots:catalogue_import"), {"file": upload})
    assert response.status_code == 302 and "/core/jobs/" in response["Location"]
    status = admin_client.get(response["Location"] + "status/").json()
    assert status["state"] == "done" and status["percentage"] == 100
    assert status["redirect"] == reverse("pilots:catalogue")
    assert "已导入 30 行" in status["message"]


def test_a_large_bad_file_fails_its_job_with_the_error_workbook(
    admin_client, world, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_JOB_THRESHOLD_ROWS = 10
    upload = SimpleUploadedFile("c.xlsx", xlsx(HEADER, rows(30, org="无此组织")))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("pilots:catalogue_import"), {"file": upload})
    status = admin_client.get(response["Location"] + "status/").json()
    assert status["state"] == "failed" and "30 处错误" in status["error"]
    download = admin_client.get(status["download"])
    assert download.status_code == 200
    with scopes_disabled():
        assert not Certificate.objects.filter(code__startswith="X").exists()


def test_export_runs_as_a_job_and_downloads(admin_client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("pilots:catalogue_export"))
    status = admin_client.get(response["Location"] + "status/").json()
    assert status["state"] == "done"
    download = admin_client.get(status["download"])
    content = b"".join(download.streaming_content)
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    codes = {r[0] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert {"T-a", "T-b"} <= codes


def test_a_chinese_file_imports_for_a_user_of_the_english_interface(platform):
    from django.utils import translation

    with translation.override("en"):
        report = CatalogueImporter().run(xlsx(HEADER, rows(3)))
    assert report.ok, report.errors


def test_an_exporter_of_several_sheets_writes_each_in_order_with_safe_cells():
    from decimal import Decimal

    from core.spreadsheets import Exporter, ExportSheet

    class TwoSheets(Exporter):
        def sheets(self):
            yield ExportSheet(
                title="预算表", headers=["类别", "金额"], rows=[("甲", Decimal("0.10")), ("乙", Decimal("0.20"))]
            )
            yield ExportSheet(
                title="一个超过三十一个字符的很长很长很长很长很长很长很长很长的工作表名称",
                headers=["公式"],
                rows=iter([("=1+2",)]),
                widths=[30],
            )

    book = load_workbook(io.BytesIO(TwoSheets().render()))
    first, second = book.worksheets
    assert first.title == "预算表"
    assert list(first.iter_rows(values_only=True)) == [("类别", "金额"), ("甲", 0.1), ("乙", 0.2)]
    assert first["A1"].font.bold
    assert len(second.title) == 31 and second.title.startswith("一个超过")
    assert list(second.iter_rows(values_only=True)) == [("公式",), ("'=1+2",)]
    assert second.column_dimensions["A"].width == 30


def test_a_single_sheet_exporter_still_writes_one_sheet(platform):
    CatalogueImporter().run(xlsx(HEADER, rows(3)))
    book = load_workbook(io.BytesIO(CatalogueExporter().render()))
    assert len(book.worksheets) == 1 and book.worksheets[0].title == str(CatalogueExporter.title)
