"""Students and social trainees as .xlsx: the two person importers and the people export.

People are matched by their ID number (exact, through the selectors), so importing the same file
again updates the people it names and never creates duplicates. The rows are checked with the
person rules of ``students.services`` and written in bulk, each changed person with its history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.audit import record_many
from core.scoping import SCHOOL, current_tenant
from core.spreadsheets import (
    Column,
    Importer,
    ParsedRow,
    QueryExporter,
    RowError,
    choice_parser,
    parse_code,
    parse_int,
    parse_name,
    parse_text,
)

from ..history import person_changes, person_values
from ..models import Gender, Major, Person, PersonKind, SchoolClass
from ..selectors import persons_by_id_numbers, persons_search
from ..services import person_fit_kind, person_rules

ID_HELP = gettext_lazy("18 位身份证号。请把此列设为文本格式，否则 Excel 会改写长数字。")
ID_NUMBER = Column(
    "id_number", gettext_lazy("身份证号"), parse_text, example="110101200501010018", help=ID_HELP, width=22
)


def _person_columns(name: str, gender: str, id_number: str) -> tuple[Column, ...]:
    """The columns both person files open with; only their examples differ."""
    return (
        Column("name", gettext_lazy("姓名"), parse_name, example=name, width=12),
        Column(
            "gender",
            gettext_lazy("性别"),
            choice_parser(lambda: Gender.choices),
            required=False,
            example=gender,
            width=8,
        ),
        replace(ID_NUMBER, example=id_number),
    )


def _school_id() -> int:
    tenant = current_tenant()
    if tenant is None or tenant.kind != SCHOOL:
        raise ValidationError(_("只有学校可以导入学员。"))
    return tenant.pk


class _PersonImporter(Importer):
    """What students and trainees share: the person rules of ``students.services`` checked per
    row, ID numbers unique in the file, people matched by ID number, bulk writes with history."""

    kind: str = PersonKind.STUDENT
    # column key -> the person field it fills
    fields_of_columns: dict[str, str] = {}

    def validate_row(self, row: ParsedRow, errors: list[RowError]) -> None:
        columns = self.fields_of_columns
        values = {field: row.values.get(key) for key, field in columns.items()}
        values["kind"] = self.kind
        problems = person_rules(values)
        for key in ("id_number", "phone"):
            if key in columns:
                row.values[key] = values[key]
        for key, field in columns.items() if problems else ():
            for message in problems.get(field, ()):
                self.error(row, key, message, errors)

    def check_file(self, rows: list[ParsedRow], errors: list[RowError]) -> None:
        self.flag_repeats(
            rows,
            errors,
            key=lambda row: row.values.get("id_number") or None,
            column="id_number",
            message=_("与第 %(line)s 行的身份证号重复。"),
        )

    def resolve(self, rows: list[ParsedRow], errors: list[RowError]) -> None:
        existing = persons_by_id_numbers(r.values["id_number"] for r in rows if r.values.get("id_number"))
        for row in rows:
            person = existing.get(row.values.get("id_number") or "")
            if person is not None and person.kind != self.kind:
                self.error(
                    row,
                    "id_number",
                    _("该身份证号已登记为%(kind)s，不能改为其他类别。") % {"kind": person.get_kind_display()},
                    errors,
                )
            row.values["person"] = person

    def _save(self, people: list[Person], fields: list[str], before: dict[int, dict], labels=None) -> None:
        """Insert the new people; update only the existing ones whose values changed (a repeated
        import of the same file writes nothing). Each changed person gets a line of history; the
        people an import creates do not (its job records who imported which file, and when), so
        that a large first import stays one bulk insert."""
        new = [p for p in people if p.pk is None]
        changes = {}
        for person in people:
            if person.pk is not None:
                data = person_changes(before[person.pk], person_values(person, fields, labels), source="import")
                if data:
                    changes[person.pk] = (person, data)
        Person.objects.bulk_create(new, batch_size=1000)
        Person.objects.bulk_update([p for p, _data in changes.values()], fields, batch_size=1000)
        owner_id = self.params.get("owner_id")
        actor = User.objects.filter(pk=owner_id).first() if owner_id and changes else None
        record_many(changes.values(), "students.person.updated", actor=actor)

    def _before(self, rows: list[ParsedRow], fields: list[str], labels=None) -> dict[int, dict]:
        return {
            r.values["person"].pk: person_values(r.values["person"], fields, labels) for r in rows if r.values["person"]
        }


class StudentImporter(_PersonImporter):
    """Students of the active school.

    Decision: a class (班号) or a major (专业) the school has not registered yet is created on the
    fly (a class takes the row's major and enrolment year), since the roster from the academic
    office is usually where classes first appear. An existing class keeps its major.
    """

    title = gettext_lazy("导入学生")
    filename = "students-template.xlsx"
    kind = PersonKind.STUDENT
    columns = (
        *_person_columns("张三", "男", "110101200501010018"),
        Column("class_code", gettext_lazy("班号"), parse_code, example="20数控1", width=12),
        Column("major", gettext_lazy("专业"), parse_name, required=False, example="数控技术应用", width=18),
        Column("enrolment_year", gettext_lazy("入学年份"), parse_int, required=False, example=2020, width=10),
        Column("graduation_year", gettext_lazy("预计毕业年份"), parse_int, required=False, example=2023, width=12),
    )

    fields_of_columns = {
        "id_number": "id_number",
        "enrolment_year": "enrolment_year",
        "graduation_year": "expected_graduation_year",
    }
    fields = ["name", "gender", "school_class", "major", "enrolment_year", "expected_graduation_year"]

    def write(self, rows: list[ParsedRow]) -> int:
        school_id = _school_id()
        majors, classes = self._majors_and_classes(rows, school_id)
        labels = {
            "school_class": {c.pk: c.code for c in classes.values()},
            "major": {m.pk: m.name for m in majors.values()},
        }
        before = self._before(rows, self.fields, labels)
        people = []
        for row in rows:
            v = row.values
            person = v["person"] or Person(school_id=school_id, kind=PersonKind.STUDENT, id_number=v["id_number"])
            school_class = classes[v["class_code"]]
            person.name = v["name"]
            person.gender = v.get("gender") or person.gender
            person.school_class = school_class
            major = majors.get(v.get("major") or "")
            person.major = major or (school_class.major if school_class.major_id else person.major)
            person.enrolment_year = v.get("enrolment_year") or person.enrolment_year
            person.expected_graduation_year = v.get("graduation_year") or person.expected_graduation_year
            person_fit_kind(person)
            people.append(person)
        self._save(people, self.fields, before, labels)
        return len(people)

    @staticmethod
    def _majors_and_classes(rows: list[ParsedRow], school_id: int) -> tuple[dict[str, Major], dict[str, SchoolClass]]:
        """The school's majors by name and classes by code, creating those the file names first."""
        majors = {m.name: m for m in Major.objects.all()}
        missing_majors = {r.values["major"] for r in rows if r.values.get("major")} - set(majors)
        Major.objects.bulk_create([Major(school_id=school_id, name=name) for name in sorted(missing_majors)])
        majors.update({m.name: m for m in Major.objects.filter(name__in=missing_majors)})
        classes = {c.code: c for c in SchoolClass.objects.all()}
        new_classes: dict[str, SchoolClass] = {}
        for row in rows:
            code = row.values["class_code"]
            if code not in classes and code not in new_classes:
                major = majors.get(row.values.get("major") or "")
                new_classes[code] = SchoolClass(
                    school_id=school_id, code=code, major=major, enrolment_year=row.values.get("enrolment_year")
                )
        SchoolClass.objects.bulk_create(list(new_classes.values()))
        classes.update({c.code: c for c in SchoolClass.objects.filter(code__in=list(new_classes))})
        return majors, classes


class TraineeImporter(_PersonImporter):
    """Social trainees (社会学员) of the active school, matched by ID number."""

    title = gettext_lazy("导入社会学员")
    filename = "trainees-template.xlsx"
    kind = PersonKind.TRAINEE
    columns = (
        *_person_columns("李四", "女", "110101199001010013"),
        Column("employer", gettext_lazy("工作单位"), parse_name, required=False, example="示例机械有限公司", width=24),
        Column(
            "phone",
            gettext_lazy("电话"),
            parse_code,
            example="13800138000",
            help=gettext_lazy("11 位手机号或带区号的固定电话"),
            width=16,
        ),
    )

    fields_of_columns = {"id_number": "id_number", "phone": "phone"}
    fields = ["name", "gender", "employer", "phone"]

    def write(self, rows: list[ParsedRow]) -> int:
        school_id = _school_id()
        before = self._before(rows, self.fields)
        people = []
        for row in rows:
            v = row.values
            person = v["person"] or Person(school_id=school_id, kind=PersonKind.TRAINEE, id_number=v["id_number"])
            person.name = v["name"]
            person.gender = v.get("gender") or person.gender
            person.employer = v.get("employer") or person.employer
            person.phone = v["phone"]
            person_fit_kind(person)
            people.append(person)
        self._save(people, self.fields, before)
        return len(people)


class PersonExporter(QueryExporter):
    """The filtered people of the active school; ID numbers and phones masked."""

    title = gettext_lazy("学员")
    filename = "people.xlsx"
    headers = (
        gettext_lazy("类别"),
        gettext_lazy("姓名"),
        gettext_lazy("性别"),
        gettext_lazy("身份证号"),
        gettext_lazy("班号"),
        gettext_lazy("专业"),
        gettext_lazy("入学年份"),
        gettext_lazy("预计毕业年份"),
        gettext_lazy("工作单位"),
        gettext_lazy("电话"),
    )
    widths = (10, 12, 6, 22, 12, 18, 10, 12, 24, 16)

    def query(self):
        return persons_search(**self.list_filters())

    def row(self, p: Person) -> Sequence[Any]:
        return (
            p.get_kind_display(),
            p.name,
            p.get_gender_display(),
            p.masked_id_number,
            p.school_class.code if p.school_class else "",
            p.major.name if p.major else "",
            p.enrolment_year,
            p.expected_graduation_year,
            p.employer,
            p.masked_phone,
        )
