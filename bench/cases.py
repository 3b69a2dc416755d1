"""The cases. Each builds what it needs in the bench's database and returns one table row.

Imported only after ``django.setup()`` (``bench.runner``).
"""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from django.contrib.staticfiles import finders
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from weasyprint import HTML

from accounts.models import Organisation, School
from accounts.roles import Role
from accounts.services import user_with_membership
from core.pdf import html_to_pdf
from core.scoping import PLATFORM, TenantRef, tenant_scope
from core.spreadsheets import ImportReport
from pilots.models import Certificate, CertificateLevel, Level
from pilots.spreadsheets import CatalogueImporter

from .measure import BenchError, Row, alternate

# --- 1. the home page -----------------------------------------------------------------------

HOME_REQUESTS = 200


@dataclass
class Target:
    """One page requested ``HOME_REQUESTS`` times per run."""

    client: Client
    path: str
    queries: int = 0
    seconds: list[float] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)

    def warm_up(self) -> None:
        """One untimed GET, whose queries are counted."""
        with CaptureQueriesContext(connection) as captured:
            _get(self.client, self.path)
        self.queries = len(captured)  # now: the next request clears the connection's query log

    def run(self) -> None:
        start = time.perf_counter()
        for _ in range(HOME_REQUESTS):
            sent = time.perf_counter()
            _get(self.client, self.path)
            self.latencies.append(time.perf_counter() - sent)
        self.seconds.append(time.perf_counter() - start)

    @property
    def per_second(self) -> float:
        return HOME_REQUESTS / statistics.median(self.seconds)

    def describe(self) -> str:
        median_ms = statistics.median(self.latencies) * 1000
        return f"{self.per_second:,.0f} req/s, median {median_ms:.1f} ms, {self.queries} queries/req"


def _school_admin_client() -> Client:
    school = School.objects.create(name="基准学校")
    user = user_with_membership(
        username="bench_admin",
        password="bench-Pass-123",  # noqa: S106 - a throwaway user in a throwaway database
        full_name="基准管理员",
        role=Role.SCHOOL_ADMIN,
        school=school,
    )
    client = Client()
    client.force_login(user)
    return client


def _get(client: Client, path: str) -> None:
    response = client.get(path)
    if response.status_code != 200:
        raise BenchError(f"GET {path} answered {response.status_code}, not 200")


def home_page(*, runs: int) -> Row:
    """A school admin's home page, against the anonymous login page through the same test client.

    The runs of the two alternate, so that a machine that slows down part-way hits both alike.
    """
    home = Target(_school_admin_client(), reverse("home"))
    login = Target(Client(), reverse("accounts:login"))
    for target in (home, login):
        target.warm_up()
    for _ in range(runs):
        home.run()
        login.run()
    return Row(
        case="home page, empty request",
        size=HOME_REQUESTS,
        figure=home.describe(),
        floor=f"login page, anonymous: {login.describe()}",
        ratio=home.per_second / login.per_second,
    )


# --- 2. the catalogue import ----------------------------------------------------------------

CODE_PREFIX = "B"
CATALOGUE_ORGANISATION = "基准培训评价组织"


def catalogue_xlsx(size: int, organisation: str) -> bytes:
    """``size`` rows in the importer's own columns: three levels of each certificate."""
    levels = [str(label) for _value, label in Level.choices]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("数据")
    sheet.append([column.label for column in CatalogueImporter.columns])
    for i in range(size):
        code = i // 3
        sheet.append([f"{CODE_PREFIX}{code:06d}", f"基准证书{code}", organisation, levels[i % 3], 60, "是", "是"])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _clear_catalogue() -> None:
    with tenant_scope(TenantRef(PLATFORM)):
        CertificateLevel.objects.filter(certificate__code__startswith=CODE_PREFIX).delete()
        Certificate.objects.filter(code__startswith=CODE_PREFIX).delete()


def _import(data: bytes, size: int) -> ImportReport:
    with tenant_scope(TenantRef(PLATFORM)):
        report = CatalogueImporter(owner_id=None).run(data)
    if not report.ok or report.created != size:
        first = "; ".join(f"row {e.row} {e.column}: {e.message}" for e in report.errors[:3])
        raise BenchError(f"the import did not write {size} rows: {report.file_error or first or report.message}")
    return report


def _openpyxl_rows(data: bytes) -> int:
    workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
    try:
        return sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True)) - 1
    finally:
        workbook.close()


def catalogue_import(*, size: int, runs: int) -> Row:
    """``CatalogueImporter.run`` on new rows, against openpyxl reading the same bytes."""
    Organisation.objects.get_or_create(name=CATALOGUE_ORGANISATION)
    data = catalogue_xlsx(size, CATALOGUE_ORGANISATION)

    _clear_catalogue()  # a warm-up run, whose queries are counted (untimed: logging them costs time)
    with CaptureQueriesContext(connection) as captured:
        _import(data, size)
    queries = len(captured)
    _openpyxl_rows(data)
    product, floor = alternate(
        lambda: _import(data, size), lambda: _openpyxl_rows(data), runs=runs, before_product=_clear_catalogue
    )
    _clear_catalogue()
    if floor.result != size:
        raise BenchError(f"openpyxl read {floor.result} rows, not {size}")

    product_rate, floor_rate = size / product.median, size / floor.median
    return Row(
        case=f"catalogue import {size:,} rows",
        size=size,
        figure=f"{product_rate:,.0f} rows/s ({product.median:.2f} s), {queries} queries",
        floor=f"openpyxl read-only alone: {floor_rate:,.0f} rows/s ({floor.median:.2f} s)",
        ratio=product_rate / floor_rate,
        notes=tuple(n for n in (f"xlsx of {len(data) / 1024:,.0f} KiB", product.note) if n),
    )


# --- 3. a long table as PDF -----------------------------------------------------------------

PDF_ROWS = 1000
PDF_SLOW_SECONDS = 60.0  # a first run slower than this is the only one
PDF_HEADERS = ("序号", "姓名", "班级", "证书", "等级", "考试时间", "发证日期", "备注")
PDF_TEMPLATE = (
    "{% extends 'pdf/base.html' %}{% block title %}基准表{% endblock %}{% block body %}<h1>基准表</h1>"
    "<table><thead><tr>{% for h in headers %}<th>{{ h }}</th>{% endfor %}</tr></thead><tbody>"
    "{% for row in rows %}<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>{% endfor %}"
    "</tbody></table>{% endblock %}"
)
PDF_CSS_LINK = re.compile(r'<link rel="stylesheet" href="[^"]*css/pdf\.css">')


def table_html(rows: int) -> str:
    """A ``rows`` × 8 Chinese table on the product's PDF base template."""
    data = [
        (i, f"学生{i}", "20数控1", "机械工程制图", "初级", "2022.5-6", "2022-07-01", "") for i in range(1, rows + 1)
    ]
    return Template(PDF_TEMPLATE).render(Context({"headers": PDF_HEADERS, "rows": data}))


def inline_css(html: str) -> str:
    """The same page with ``pdf.css`` in a ``<style>``, so WeasyPrint needs no URL fetcher."""
    found = finders.find("css/pdf.css")
    if not found:
        raise BenchError("static file css/pdf.css not found")
    css = Path(str(found)).read_text(encoding="utf-8")
    inlined, count = PDF_CSS_LINK.subn(lambda _match: f"<style>{css}</style>", html)
    if count != 1:
        raise BenchError(f"expected one <link> to pdf.css in the rendered base template, found {count}")
    return inlined


def _weasyprint_alone(html: str) -> int:
    document = HTML(string=html).render()
    document.write_pdf()
    return len(document.pages)


def pdf_pages(pdf: bytes) -> int | None:
    """Pages of a PDF, by poppler's ``pdfinfo`` when it is installed."""
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo is None:
        return None
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        output = subprocess.run([pdfinfo, file.name], capture_output=True, text=True, check=False).stdout
    match = re.search(r"^Pages:\s+(\d+)", output, re.MULTILINE)
    return int(match.group(1)) if match else None


def table_pdf(*, runs: int) -> Row:
    """``core.pdf.html_to_pdf`` (the product's fetcher included) against WeasyPrint alone."""
    html = table_html(PDF_ROWS)
    floor_html = inline_css(html)
    html_to_pdf(table_html(10))  # a warm-up: fonts found and loaded once, by the first of the two only
    product, floor = alternate(
        lambda: html_to_pdf(html), lambda: _weasyprint_alone(floor_html), runs=runs, single_if_over=PDF_SLOW_SECONDS
    )

    pages = pdf_pages(product.result)
    notes = [product.note] if product.note else []
    if pages is not None and pages != floor.result:
        notes.append(f"page counts differ ({pages} vs {floor.result}): did the product path load pdf.css?")
    return Row(
        case=f"{PDF_ROWS:,}-row table PDF",
        size=PDF_ROWS,
        figure=f"{product.median:.1f} s, {'?' if pages is None else pages} pages",
        floor=f"WeasyPrint alone, CSS inlined: {floor.median:.1f} s, {floor.result} pages",
        ratio=floor.median / product.median,
        notes=tuple(notes),
    )


# --- 4. students imported from .xlsx (issue 5) --------------------------------------------------

STUDENT_BENCH_SCHOOL = "基准学校"


def students_xlsx(size: int) -> bytes:
    """``size`` students with valid, distinct ID numbers, 40 to a class."""
    from datetime import date, timedelta

    from students.spreadsheets import StudentImporter
    from students.validators import id_number_check_digit

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("数据")
    sheet.append([column.label for column in StudentImporter.columns])
    for i in range(size):
        birth = date(2005, 1, 1) + timedelta(days=i // 1000)
        first17 = f"441202{birth:%Y%m%d}{i % 1000:03d}"
        sheet.append(
            [
                f"学生{i}",
                "男" if i % 2 else "女",
                first17 + id_number_check_digit(first17),
                f"20数控{i // 40}",
                "数控技术应用",
                2020,
                2023,
            ]
        )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def student_import(*, size: int, runs: int) -> Row:
    """``StudentImporter.run`` for a school (new people every run), against openpyxl alone."""
    from core.scoping import SCHOOL
    from students.models import Major, Person, SchoolClass
    from students.spreadsheets import StudentImporter

    school, _created = School.objects.get_or_create(name=STUDENT_BENCH_SCHOOL)
    scope = TenantRef(SCHOOL, school.pk)
    data = students_xlsx(size)

    def clear() -> None:
        with tenant_scope(scope):
            Person.objects.all().delete()
            SchoolClass.objects.all().delete()
            Major.objects.all().delete()

    def run() -> None:
        with tenant_scope(scope):
            report = StudentImporter(owner_id=None).run(data)
        if not report.ok:
            first = "; ".join(f"row {e.row} {e.column}: {e.message}" for e in report.errors[:3])
            raise BenchError(f"the student import failed: {report.file_error or first}")

    clear()
    with CaptureQueriesContext(connection) as captured:
        run()
    queries = len(captured)
    product, floor = alternate(run, lambda: _openpyxl_rows(data), runs=runs, before_product=clear)
    clear()
    product_rate, floor_rate = size / product.median, size / floor.median
    return Row(
        case=f"student import {size:,} rows",
        size=size,
        figure=f"{product_rate:,.0f} rows/s ({product.median:.2f} s), {queries} queries",
        floor=f"openpyxl read-only alone: {floor_rate:,.0f} rows/s ({floor.median:.2f} s)",
        ratio=product_rate / floor_rate,
        notes=tuple(n for n in ("aim: within 3x the raw read (ratio >= 0.33x)", product.note) if n),
    )


# --- 5. one exam-site application as PDF (issue 6) ---------------------------------------------


def application_pdf(*, runs: int) -> Row:
    """One full application form rendered by the product (template + restricted fetcher), against
    WeasyPrint alone on the same HTML with the CSS inlined."""
    from django.template.loader import render_to_string

    from core.scoping import SCHOOL
    from exam_sites.models import SiteContact, SiteRoom
    from exam_sites.selectors import application_document
    from exam_sites.services import application_create

    organisation, _ = Organisation.objects.get_or_create(name=CATALOGUE_ORGANISATION)
    certificate, _ = Certificate.objects.get_or_create(
        code="BENCH-APP", defaults={"name": "基准申报证书", "organisation": organisation}
    )
    school, _ = School.objects.get_or_create(
        name="基准申报学校", defaults={"address": "示范市示范路 1 号", "profile": "学校简介。" * 200}
    )
    admin = user_with_membership(
        username="bench_app_admin",
        password="bench-pass-123",
        full_name="基准管理员",
        role=Role.SCHOOL_ADMIN,
        school=school,
    )
    with tenant_scope(TenantRef(SCHOOL, school.pk)):
        application = application_create(school=school, certificate=certificate, actor=admin)
        SiteContact.objects.filter(application=application).update(
            name="联系人", title="主任", phone="020-1234567", mobile="13800138000", email="x@example.edu.cn"
        )
        for n in range(6):
            SiteRoom.objects.create(application=application, name=f"机房{n}", area=80, workstations=40)
        context = application_document(application)
        context["notes_contact"] = organisation
        html = render_to_string("exam_sites/pdf/application.html", context)
    floor_html = inline_css(html)
    html_to_pdf(table_html(10))
    product, floor = alternate(lambda: html_to_pdf(html), lambda: _weasyprint_alone(floor_html), runs=runs)
    pages = pdf_pages(product.result)
    return Row(
        case="exam-site application PDF",
        size=1,
        figure=f"{product.median:.2f} s, {'?' if pages is None else pages} pages",
        floor=f"WeasyPrint alone, CSS inlined: {floor.median:.2f} s, {floor.result} pages",
        ratio=floor.median / product.median,
        notes=tuple(n for n in (product.note,) if n),
    )
