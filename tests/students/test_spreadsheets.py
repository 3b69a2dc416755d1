import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from accounts.roles import Role
from core.audit import entries_for, history
from core.masking import mask_id_number
from core.models import Job
from core.scoping import SCHOOL, TenantRef, tenant_scope
from pilots.models import Level, Pilot, PilotStatus
from students.models import Enrolment, Major, Person, PersonKind, SchoolClass
from students.spreadsheets.enrolments import EnrolmentImporter
from students.spreadsheets.people import StudentImporter, TraineeImporter
from tests.factories import xlsx
from tests.worlds.students import make_id_number

pytestmark = pytest.mark.django_db
STUDENT_HEADER = [c.label for c in StudentImporter.columns]
TRAINEE_HEADER = [c.label for c in TraineeImporter.columns]


def students(n, *, code="22数控1", start=0, major="数控技术应用"):
    return [
        [
            f"学生{start + i}",
            "男" if i % 2 else "女",
            make_id_number(start + i, birth="20070301"),
            code,
            major,
            2022,
            2025,
        ]
        for i in range(n)
    ]


@pytest.fixture
def school_a(world):
    with tenant_scope(TenantRef(SCHOOL, world.a.school.pk)):
        yield world.a


def test_students_import_creates_classes_and_majors_and_reimport_updates(school_a):
    report = StudentImporter().run(xlsx(STUDENT_HEADER, students(5)))
    assert report.ok and report.created == 5, report.errors
    school_class = SchoolClass.objects.get(code="22数控1")
    assert school_class.major.name == "数控技术应用" and school_class.enrolment_year == 2022
    assert Person.objects.filter(school_class=school_class).count() == 5
    rows = students(5)
    rows[0][0] = "学生零"
    report = StudentImporter().run(xlsx(STUDENT_HEADER, rows))
    assert report.ok
    assert Person.objects.filter(school_class=school_class).count() == 5
    assert Person.objects.get(id_number=rows[0][2]).name == "学生零"
    assert Major.objects.filter(name="数控技术应用").count() == 1


def test_an_import_writes_the_history_of_each_changed_person_and_nothing_when_repeated(school_a):
    rows = students(2, code="22数控9", start=60)
    assert StudentImporter().run(xlsx(STUDENT_HEADER, rows)).ok
    person = Person.objects.get(id_number=rows[0][2])
    assert not entries_for(person).exists()  # a first import is one bulk insert; its job tells who did it
    rows[0][0], rows[0][3] = "学生改名", "22数控8"
    admin = school_a.user(Role.SCHOOL_ADMIN)
    assert StudentImporter(owner_id=admin.pk).run(xlsx(STUDENT_HEADER, rows)).ok
    assert StudentImporter(owner_id=admin.pk).run(xlsx(STUDENT_HEADER, rows)).ok  # the same file changes nothing
    lines = [(e.action, e.data, e.actor_id) for e in entries_for(person).order_by("id")]
    assert lines == [
        (
            "students.person.updated",
            {
                "fields": ["name", "school_class"],
                "changes": {
                    "name": {"before": "学生60", "after": "学生改名"},
                    "school_class": {"before": "22数控9", "after": "22数控8"},
                },
                "source": "import",
            },
            admin.pk,
        ),
    ]
    assert history(person)[0].detail == "导入 · 姓名：学生60 → 学生改名 · 班级：22数控9 → 22数控8"
    assert not entries_for(Person.objects.get(id_number=rows[1][2])).exists()


def test_the_importer_checks_years_with_the_persons_rules(school_a):
    rows = students(2, code="22数控7", start=70)
    rows[0][5], rows[1][6] = 1900, 2019
    report = StudentImporter().run(xlsx(STUDENT_HEADER, rows))
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "入学年份", "年份不合理。"),
        (3, "预计毕业年份", "预计毕业年份不能早于入学年份。"),
    ]


def test_bad_id_numbers_and_duplicates_write_nothing(school_a):
    rows = students(3)
    rows[1][2] = rows[1][2][:17] + ("0" if rows[1][2][17] != "0" else "1")
    rows.append(list(rows[0]))
    rows.append(["数字", "男", 110105194912310021, "22数控1", "", 2022, 2025])
    report = StudentImporter().run(xlsx(STUDENT_HEADER, rows))
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(3, "身份证号"), (5, "身份证号"), (6, "身份证号")]
    assert "校验位" in report.errors[0].message and "重复" in report.errors[1].message
    assert "文本" in report.errors[2].message
    assert not SchoolClass.objects.filter(code="22数控1").exists()


def test_a_trainee_cannot_be_reimported_as_a_student(school_a):
    trainee = school_a.objects["trainee"]
    rows = [["某人", "男", trainee.id_number, "22数控1", "", 2022, 2025]]
    report = StudentImporter().run(xlsx(STUDENT_HEADER, rows))
    assert not report.ok and "社会学员" in report.errors[0].message


def test_trainees_import_validates_phones(school_a):
    rows = [
        ["赵六", "男", make_id_number(1, birth="19880808"), "示例公司", "13912345678"],
        ["钱七", "女", make_id_number(2, birth="19880808"), "示例公司", 13912345679],
        ["孙八", "女", make_id_number(3, birth="19880808"), "", "123"],
    ]
    report = TraineeImporter().run(xlsx(TRAINEE_HEADER, rows))
    assert [(e.row, e.column) for e in report.errors] == [(4, "电话")]
    report = TraineeImporter().run(xlsx(TRAINEE_HEADER, rows[:2]))
    assert report.ok
    assert Person.objects.get(name="钱七").phone == "13912345679"
    assert Person.objects.get(name="赵六").kind == PersonKind.TRAINEE


def test_the_student_import_query_count_does_not_grow_with_rows(school_a):
    def queries(n, start):
        data = xlsx(STUDENT_HEADER, students(n, code=f"C{start}", start=start, major=f"专业{start}"))
        with CaptureQueriesContext(connection) as ctx:
            assert StudentImporter().run(data).ok
        # SQLite splits one bulk INSERT by its variable limit; every other query is per batch
        return len([q for q in ctx.captured_queries if not q["sql"].startswith("INSERT")])

    assert queries(10, 100) == queries(400, 300)


def enrol_pilot(side, quota):
    with scopes_disabled():
        return Pilot.objects.create(
            school=side.school,
            certificate=side.certificate,
            level=Level.INTERMEDIATE,
            year=2026,
            requested_quota=quota,
            quota=quota,
            status=PilotStatus.APPROVED,
        )


def test_enrolments_import_is_all_or_nothing_and_safe_to_repeat(school_a):
    StudentImporter().run(xlsx(STUDENT_HEADER, students(6)))
    pilot = enrol_pilot(school_a, 5)
    header = [c.label for c in EnrolmentImporter.columns]
    rows = [[r[2], r[0]] for r in students(6)]
    report = EnrolmentImporter(pilot_id=pilot.pk).run(xlsx(header, rows))
    assert not report.ok and "仅剩 5 个" in report.file_error
    assert Enrolment.objects.filter(pilot=pilot).count() == 0
    assert EnrolmentImporter(pilot_id=pilot.pk).run(xlsx(header, rows[:4])).ok
    report = EnrolmentImporter(pilot_id=pilot.pk).run(xlsx(header, rows[:5]))
    assert report.ok, report.file_error
    assert Enrolment.objects.filter(pilot=pilot).count() == 5
    unknown = [[make_id_number(999, birth="19990101"), ""], [rows[5][0], "别人"]]
    report = EnrolmentImporter(pilot_id=pilot.pk).run(xlsx(header, unknown))
    assert [e.column for e in report.errors] == ["身份证号", "姓名"]


def test_a_school_imports_a_class_file_through_the_page(world, client):
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    url = reverse("students:student_import")
    template = client.get(url + "?template=1")
    assert load_workbook(__import__("io").BytesIO(template.content)).active["C1"].value == "身份证号"
    upload = SimpleUploadedFile("class.xlsx", xlsx(STUDENT_HEADER, students(3, code="23模具1", start=40)))
    response = client.post(url, {"file": upload})
    assert response.status_code == 302
    page = client.get(reverse("students:person_list"), {"name": "学生4"}).content.decode()
    assert "23模具1" in page and mask_id_number(make_id_number(40, birth="20070301")) in page


def test_the_enrolment_export_is_masked(world, client, django_capture_on_commit_callbacks):
    client.force_login(world.a.user(Role.REVIEWER))
    pilot = world.a.objects["pilot"]
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("students:enrolment_export", args=[pilot.pk])).status_code == 302
    job = Job._base_manager.filter(owner=world.a.user(Role.REVIEWER), kind="export").latest("id")
    with job.result.file.open("rb") as handle:
        rows = list(load_workbook(handle).active.iter_rows(values_only=True))
    person = world.a.objects["person"]
    assert rows[1][1] == person.name and rows[1][2] == mask_id_number(person.id_number)
