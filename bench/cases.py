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
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from datetime import time as time_of_day
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.contrib.staticfiles import finders
from django.db import connection
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from weasyprint import HTML

from accounts.models import Organisation, School, User
from accounts.roles import Role
from accounts.selectors import memberships_of
from accounts.services import user_with_membership
from certificates.models import IssuedCertificate, Result, ResultSheet
from certificates.selectors.results import grid_rows, sheet_get
from certificates.selectors.rosters import roster_document
from certificates.services.results import result_save
from certificates.services.rosters import roster_pdf
from certificates.spreadsheets.results import ResultsImporter, session_label
from core.models import AuditEntry, StoredFile
from core.pdf import html_to_pdf
from core.scoping import PLATFORM, SCHOOL, TenantRef, tenant_scope
from core.spreadsheets import ImportReport
from exam_sites.models import Announcement, Batch, ExamRoom, ExamSession, ExamSite, Round, Seat, SiteApplication
from pilots.models import Certificate, CertificateLevel, Level, Pilot, PilotStatus
from pilots.spreadsheets import CatalogueImporter
from students.models import Enrolment, Person, SchoolClass
from students.validators import id_number_check_digit

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


# --- 4. students imported from .xlsx ------------------------------------------------------------

STUDENT_BENCH_SCHOOL = "基准学校"


def students_xlsx(size: int) -> bytes:
    """``size`` students with valid, distinct ID numbers, 40 to a class."""
    from students.spreadsheets.people import StudentImporter

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
    from students.models import Major
    from students.spreadsheets.people import StudentImporter

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


# --- 5. one exam-site application as PDF -------------------------------------------------------


def application_pdf(*, runs: int) -> Row:
    """One full application form rendered by the product (template + restricted fetcher), against
    WeasyPrint alone on the same HTML with the CSS inlined."""
    from exam_sites.models import SiteContact, SiteRoom
    from exam_sites.selectors.applications import application_document
    from exam_sites.services.applications import application_create

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


# --- a world of results: candidates, a pilot, batches with seats and sheets ---------------------

SESSION_SEATS = 50  # a room of 50 workstations; four sessions a day
SESSION_STARTS = ((8, 0), (10, 0), (13, 30), (15, 30))
RESULTS_DAY = date(2024, 6, 3)


@dataclass
class ResultsWorld:
    """A school whose teacher enters results, with its batches (each with a sheet) and classes."""

    school: School
    teacher: User
    certificate: Certificate
    batches: list[Batch]
    sheets: list[ResultSheet]
    seats: list[list[Seat]]
    classes: list[SchoolClass]

    @property
    def scope(self) -> TenantRef:
        return TenantRef(SCHOOL, self.school.pk)


def _id_number(i: int) -> str:
    """The ``i``-th valid, distinct ID number (1,000 per birthday from 1 January 2006)."""
    birth = date(2006, 1, 1) + timedelta(days=i // 1000)
    first17 = f"441202{birth:%Y%m%d}{i % 1000:03d}"
    return first17 + id_number_check_digit(first17)


def _session_starts(index: int) -> tuple[date, time_of_day]:
    hour, minute = SESSION_STARTS[index % len(SESSION_STARTS)]
    return RESULTS_DAY + timedelta(days=index // len(SESSION_STARTS)), time_of_day(hour, minute)


def results_world(tag: str, *, class_sizes: Sequence[int], batch_sizes: Sequence[int]) -> ResultsWorld:
    """Everything a result sheet stands on, written directly with the models (bulk where many).

    ``class_sizes`` people in as many classes, all enrolled in one approved pilot; a batch of each
    of ``batch_sizes`` seats (the first people of the list), in sessions of ``SESSION_SEATS``, each
    batch with its teacher and a sheet being entered.
    """
    people_count = sum(class_sizes)
    if max(batch_sizes) > people_count:
        raise BenchError(f"a batch of {max(batch_sizes)} seats needs as many people, not {people_count}")
    organisation, _created = Organisation.objects.get_or_create(name=CATALOGUE_ORGANISATION)
    school = School.objects.create(name=f"基准{tag}学校")
    teacher = user_with_membership(
        username=f"bench_{tag}_teacher",
        password="bench-Pass-123",  # noqa: S106 - a throwaway user in a throwaway database
        full_name="基准教师",
        role=Role.TEACHER,
        school=school,
    )
    certificate = Certificate.objects.create(
        code=f"BENCH-{tag.upper()}", name=f"基准{tag}证书", organisation=organisation
    )
    CertificateLevel.objects.bulk_create(
        [CertificateLevel(certificate=certificate, level=level, pass_mark=60) for level in Level.values]
    )
    with tenant_scope(TenantRef(PLATFORM)):
        pilot = Pilot.objects.create(
            school=school,
            certificate=certificate,
            level=Level.ELEMENTARY,
            year=RESULTS_DAY.year,
            requested_quota=people_count,
            quota=people_count,
            status=PilotStatus.APPROVED,
        )
        application = SiteApplication.objects.create(
            school=school, certificate=certificate, status=SiteApplication.Status.APPROVED
        )
        site = ExamSite.objects.create(
            school=school,
            certificate=certificate,
            application=application,
            name=f"基准{tag}考点",
            daily_max=SESSION_SEATS * len(SESSION_STARTS),
            sessions_per_day=len(SESSION_STARTS),
            levels=[Level.ELEMENTARY.value],
            approved_at=timezone.now(),
        )
        room = ExamRoom.objects.create(site=site, name="实训楼 301 机房", area=Decimal(80), workstations=SESSION_SEATS)
        announcement = Announcement.objects.create(
            organisation=organisation, certificate=certificate, year=RESULTS_DAY.year, title="基准年度鉴定公告"
        )
        round_ = Round.objects.create(
            announcement=announcement,
            name="第一轮",
            starts_on=RESULTS_DAY,
            ends_on=RESULTS_DAY + timedelta(days=365),
            registration_closes_on=RESULTS_DAY,
            levels=[Level.ELEMENTARY.value],
        )
        classes = SchoolClass.objects.bulk_create(
            [SchoolClass(school=school, code=f"24{tag}{k + 1}", enrolment_year=2024) for k in range(len(class_sizes))]
        )
        people = Person.objects.bulk_create(
            [
                Person(school=school, name=f"学生{i}", id_number=_id_number(i), school_class=school_class)
                for i, school_class in enumerate(c for c, n in zip(classes, class_sizes, strict=True) for _ in range(n))
            ],
            batch_size=1000,
        )
        enrolments = Enrolment.objects.bulk_create(
            [Enrolment(person=person, pilot=pilot) for person in people], batch_size=1000
        )
        batches, sheets, all_seats = [], [], []
        for size in batch_sizes:
            batch = Batch.objects.create(
                school=school, pilot=pilot, site=site, round=round_, name=f"基准批次（{size} 人）"
            )
            batch.teachers.add(teacher)
            sessions = ExamSession.objects.bulk_create(
                [
                    ExamSession(
                        batch=batch,
                        room=room,
                        date=(starts := _session_starts(k))[0],
                        starts_at=starts[1],
                        ends_at=time_of_day(starts[1].hour + 1, starts[1].minute + 29),
                        seats=SESSION_SEATS,
                        invigilator=teacher,
                    )
                    for k in range(-(-size // SESSION_SEATS))
                ]
            )
            seats = Seat.objects.bulk_create(
                [
                    Seat(
                        batch=batch,
                        session=sessions[i // SESSION_SEATS],
                        enrolment=enrolment,
                        number=i % SESSION_SEATS + 1,
                    )
                    for i, enrolment in enumerate(enrolments[:size])
                ],
                batch_size=1000,
            )
            batches.append(batch)
            sheets.append(ResultSheet.objects.create(batch=batch))
            all_seats.append(seats)
    return ResultsWorld(school, teacher, certificate, batches, sheets, all_seats, classes)


# --- 6. results: saving a grid row, and the .xlsx import ----------------------------------------

SAVE_BATCHES = (50, 500)
SAVES_PER_RUN = 500  # each row of the 50-seat batch is saved 10 times a run, of the 500-seat batch once
RESULTS_IMPORT_ROWS = 5000
BEFORE = {"theory": Decimal(50), "practical": Decimal(50), "absent": False, "outcome": Result.Outcome.FAIL}


def _delete_history(sheet: ResultSheet) -> None:
    """The audit lines of the sheet's results."""
    AuditEntry._base_manager.filter(
        content_type=ContentType.objects.get_for_model(Result),
        object_id__in=Result._base_manager.filter(sheet=sheet).values("pk"),
    ).delete()


def _reset_results(sheet: ResultSheet) -> None:
    """Every result of the sheet back to 50/50 (不合格, version 1), without its change history."""
    _delete_history(sheet)
    Result._base_manager.filter(sheet=sheet).update(**BEFORE, version=1)


def _rounds(seats: int) -> int:
    """How many times each row is saved in a run, so that every run makes about ``SAVES_PER_RUN`` saves."""
    return max(1, SAVES_PER_RUN // seats)


def _save_rows(world: ResultsWorld, index: int) -> int:
    """Every row of the grid saved as the grid view does, ``_rounds`` times: theory 80, 81... and
    practical 75 over 50/50, one ``result_save`` each with the version the grid was showing."""
    seats = world.seats[index]
    with tenant_scope(world.scope):
        sheet = sheet_get(sheet_id=world.sheets[index].pk)  # the view reads it once per request
        for round_ in range(_rounds(len(seats))):
            for seat in seats:
                result = result_save(
                    sheet=sheet,
                    seat=seat.pk,
                    theory=Decimal(80 + round_),
                    practical=Decimal(75),
                    absent=False,
                    actor=world.teacher,
                    version=1 + round_,
                    reason="",
                )
                if result.version != 2 + round_ or result.outcome != Result.Outcome.PASS:
                    raise BenchError(f"seat {seat.pk} saved as version {result.version}, {result.outcome}")
    return len(seats) * _rounds(len(seats))


def _update_rows(result_ids: Sequence[int]) -> int:
    """The floor: the bare UPDATE of each row by its primary key (no tenant filter, no history),
    as many times as ``_save_rows`` saves it."""
    rounds = _rounds(len(result_ids))
    for round_ in range(rounds):
        for pk in result_ids:
            Result._base_manager.filter(pk=pk).update(
                theory=Decimal(80 + round_), practical=Decimal(75), outcome=Result.Outcome.PASS, version=2 + round_
            )
    return len(result_ids) * rounds


@dataclass(frozen=True)
class SaveFigure:
    seats: int
    product_ms: float
    floor_ms: float
    queries: float
    statements: float
    note: str


def _save_figure(world: ResultsWorld, index: int, runs: int) -> SaveFigure:
    sheet, seats = world.sheets[index], world.seats[index]
    Result._base_manager.bulk_create(
        [
            Result(
                sheet=sheet, seat=seat, enrolment_id=seat.enrolment_id, version=1, updated_by=world.teacher, **BEFORE
            )
            for seat in seats
        ],
        batch_size=1000,
    )
    result_ids = list(Result._base_manager.filter(sheet=sheet).values_list("pk", flat=True))
    connection.queries_log.clear()  # Django keeps the last 9,000 queries: counts beyond that are wrong
    with CaptureQueriesContext(connection) as captured:  # a warm-up run, whose queries are counted
        saves = _save_rows(world, index)
    queries = len(captured) - 1  # less the view's one read of the sheet
    statements = queries - sum(1 for q in captured.captured_queries if q["sql"] in ("BEGIN", "COMMIT"))
    product, floor = alternate(
        lambda: _save_rows(world, index),
        lambda: _update_rows(result_ids),
        runs=runs,
        before_product=lambda: _reset_results(sheet),
    )
    if floor.result != saves:
        raise BenchError(f"the floor made {floor.result} updates, not {saves}")
    return SaveFigure(
        len(seats),
        product.median / saves * 1000,
        floor.median / saves * 1000,
        queries / saves,
        statements / saves,
        product.note,
    )


def _results_xlsx(world: ResultsWorld, index: int, columns: Sequence[tuple[str, str]]) -> bytes:
    """Every seat of the batch with its scores in the importer's columns; one candidate in 20 absent."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("数据")
    sheet.append([label for _key, label in columns])
    seats = {s.pk: s for s in world.seats[index]}
    with tenant_scope(world.scope):
        rows = grid_rows(world.sheets[index])
    for i, row in enumerate(rows):
        seat, person = seats[row.seat.pk], row.seat.enrolment.person
        absent = i % 20 == 19
        values = {
            "session": session_label(row.seat.session),
            "number": seat.number,
            "name": person.name,
            "class": person.school_class.code if person.school_class else "",
            "id_number": person.masked_id_number,
            "kind": "新考",
            "theory": None if absent else 40 + i % 61,
            "practical": None if absent else Decimal(35 + i % 65) + Decimal("0.5"),
            "absent": "是" if absent else "否",
        }
        sheet.append([values[key] for key, _label in columns])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _results_import(world: ResultsWorld, index: int, data: bytes) -> int:
    with tenant_scope(world.scope):
        report = ResultsImporter(sheet_id=world.sheets[index].pk, owner_id=world.teacher.pk).run(data)
    if not report.ok or report.created != len(world.seats[index]):
        first = "; ".join(f"row {e.row} {e.column}: {e.message}" for e in report.errors[:3])
        raise BenchError(f"the results import failed: {report.file_error or first or report.message}")
    return report.created


def _clear_results(sheet: ResultSheet) -> None:
    _delete_history(sheet)
    Result._base_manager.filter(sheet=sheet).delete()


def results(*, runs: int) -> list[Row]:
    """(a) ``result_save`` of every row of a 50-seat and a 500-seat batch, against the bare UPDATE of
    the same rows; (b) ``ResultsImporter.run`` of 5,000 rows, against openpyxl reading the same bytes."""
    world = results_world(
        "results", class_sizes=[40] * (RESULTS_IMPORT_ROWS // 40), batch_sizes=(*SAVE_BATCHES, RESULTS_IMPORT_ROWS)
    )
    memberships_of(world.teacher)  # read once per request by the tenant middleware, before the view
    small, large = (_save_figure(world, index, runs) for index in range(len(SAVE_BATCHES)))
    notes = [
        "each save changes an entered row (50/50 to 80/75, then 81/75...) as the grid's teacher, in the sheet's state 成绩登记中, "
        f"one transaction per save as in the view; {SAVES_PER_RUN} saves a run (each row of the {small.seats}-seat "
        f"batch {_rounds(small.seats)} times); the floor runs outside the tenant filter",
        f"queries per save count BEGIN and COMMIT: {large.statements:g} statements; ratio at {large.seats} seats",
        f"per-save time at {large.seats} seats / at {small.seats} seats: {large.product_ms / small.product_ms:.2f}",
    ]
    if large.queries != small.queries:
        notes.append(
            f"queries per save grow with the batch: {small.queries:g} at {small.seats}, {large.queries:g} at {large.seats}"
        )
    notes += [n for n in (small.note, large.note) if n]
    save_row = Row(
        case=f"result save (grid row), {small.seats} vs {large.seats} seats",
        size=large.seats,
        figure=" · ".join(
            f"{f.seats} seats: {f.product_ms:.2f} ms, {f.queries:g} queries per save" for f in (small, large)
        ),
        floor="UPDATE by pk: " + " · ".join(f"{f.seats} seats: {f.floor_ms:.2f} ms" for f in (small, large)),
        ratio=large.floor_ms / large.product_ms,
        notes=tuple(notes),
    )

    index = len(SAVE_BATCHES)
    sheet = world.sheets[index]
    with tenant_scope(world.scope):
        columns = [(column.key, str(column.label)) for column in ResultsImporter(sheet_id=sheet.pk).columns]
    data = _results_xlsx(world, index, columns)
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:  # a warm-up run, whose queries are counted
        _results_import(world, index, data)
    queries = len(captured)
    _openpyxl_rows(data)
    product, floor = alternate(
        lambda: _results_import(world, index, data),
        lambda: _openpyxl_rows(data),
        runs=runs,
        before_product=lambda: _clear_results(sheet),
    )
    _clear_results(sheet)
    size = len(world.seats[index])
    if floor.result != size:
        raise BenchError(f"openpyxl read {floor.result} rows, not {size}")
    product_rate, floor_rate = size / product.median, size / floor.median
    import_row = Row(
        case=f"results import {size:,} rows",
        size=size,
        figure=f"{product_rate:,.0f} rows/s ({product.median:.2f} s), {queries} queries",
        floor=f"openpyxl read-only alone: {floor_rate:,.0f} rows/s ({floor.median:.2f} s)",
        ratio=product_rate / floor_rate,
        notes=tuple(
            n
            for n in (
                f"xlsx of {len(data) / 1024:,.0f} KiB; new results (the sheet cleared before each run), "
                f"{SESSION_SEATS} seats a session",
                product.note,
            )
            if n
        ),
    )
    return [save_row, import_row]


# --- 7. a class's collection roster as PDF -----------------------------------------------------

ROSTER_SIZES = (100, 1000)


def _stored_bytes(stored: StoredFile) -> bytes:
    with stored.file.open("rb") as file:
        return file.read()


def roster(*, runs: int) -> Row:
    """``roster_pdf`` (context, template, ``html_to_pdf``, stored file) for a class of 1,000 names,
    against WeasyPrint alone on the same HTML with the CSS inlined; and the queries of the roster's
    context for a class of 100 and one of 1,000."""
    world = results_world("roster", class_sizes=ROSTER_SIZES, batch_sizes=(sum(ROSTER_SIZES),))
    sheet, seats = world.sheets[0], world.seats[0]
    ResultSheet._base_manager.filter(pk=sheet.pk).update(status=ResultSheet.Status.FINAL, ended_at=timezone.now())
    passed = Result._base_manager.bulk_create(
        [
            Result(
                sheet=sheet,
                seat=seat,
                enrolment_id=seat.enrolment_id,
                theory=Decimal(80),
                practical=Decimal(75),
                outcome=Result.Outcome.PASS,
                version=1,
            )
            for seat in seats
        ],
        batch_size=1000,
    )
    person_of = dict(
        Enrolment._base_manager.filter(pk__in=[s.enrolment_id for s in seats]).values_list("pk", "person_id")
    )
    IssuedCertificate._base_manager.bulk_create(
        [
            IssuedCertificate(
                certificate=world.certificate,
                level=Level.ELEMENTARY,
                number=f"BR2024{i + 1:06d}",
                school=world.school,
                person_id=person_of[result.enrolment_id],
                result=result,
                assessment_period="2024.6",
                issued_on=date(2024, 7, 1),
            )
            for i, result in enumerate(passed)
        ],
        batch_size=1000,
    )
    small_class, large_class = world.classes
    counts: list[int] = []
    with tenant_scope(world.scope):
        for school_class in (small_class, large_class):
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as captured:
                context = roster_document(class_id=school_class.pk)
            counts.append(len(captured))
            if len(context["rows"]) != school_class.people.count():
                raise BenchError(f"the roster of {school_class} has {len(context['rows'])} rows")
        html = render_to_string("certificates/pdf/roster.html", context)
    floor_html = inline_css(html)

    def clear_files() -> None:
        with tenant_scope(world.scope):
            StoredFile.objects.all().delete()  # else the second run returns the file the first made

    def product_run() -> StoredFile:
        with tenant_scope(world.scope):
            return roster_pdf(class_id=large_class.pk, what="", period="", owner_id=world.teacher.pk)

    html_to_pdf(table_html(10))  # a warm-up: fonts found and loaded once
    product, floor = alternate(
        product_run,
        lambda: _weasyprint_alone(floor_html),
        runs=runs,
        before_product=clear_files,
        single_if_over=PDF_SLOW_SECONDS,
    )
    pages = pdf_pages(_stored_bytes(product.result))
    notes = [
        f"queries of the roster's context: {counts[0]} at {ROSTER_SIZES[0]:,} names, {counts[1]} at {ROSTER_SIZES[1]:,}"
    ]
    if counts[0] != counts[1]:
        notes.append("the roster's context takes more queries for more names")
    if pages is not None and pages != floor.result:
        notes.append(f"page counts differ ({pages} vs {floor.result}): did the product path load pdf.css?")
    notes += [n for n in (product.note,) if n]
    return Row(
        case=f"{ROSTER_SIZES[1]:,}-name roster PDF",
        size=ROSTER_SIZES[1],
        figure=f"{product.median:.1f} s, {'?' if pages is None else pages} pages, context {counts[1]} queries",
        floor=f"WeasyPrint alone, CSS inlined: {floor.median:.1f} s, {floor.result} pages",
        ratio=floor.median / product.median,
        notes=tuple(notes),
    )
