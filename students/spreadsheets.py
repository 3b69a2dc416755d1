"""Students, trainees and enrolments as .xlsx, through core's importer and exporter.

People are matched by their ID number (exact, through the selectors), so importing the same file
again updates the people it names and never creates duplicates.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.scoping import SCHOOL, current_tenant
from core.spreadsheets import (
    Column,
    Exporter,
    Importer,
    ImportReport,
    ParsedRow,
    RowError,
    choice_parser,
    parse_code,
    parse_int,
    parse_name,
    parse_text,
)
from pilots.models import Pilot

from .models import Enrolment, Gender, Major, Person, PersonKind, SchoolClass
from .selectors import enrolments_of, persons_by_id_numbers, persons_search
from .services import COHORT_OF_KIND, enrolments_create
from .validators import normalise_id_number, normalise_phone, validate_id_number, validate_phone

ID_HELP = gettext_lazy("18 位身份证号。请把此列设为文本格式，否则 Excel 会改写长数字。")


def _school_id() -> int:
    tenant = current_tenant()
    if tenant is None or tenant.kind != SCHOOL:
        raise ValidationError(_("只有学校可以导入学员。"))
    return tenant.pk


class _PersonImporter(Importer):
    kind: str = PersonKind.STUDENT

    def validate_row(self, row: ParsedRow, errors: list[RowError]) -> None:
        value = normalise_id_number(row.values.get("id_number") or "")
        row.values["id_number"] = value
        try:
            validate_id_number(value)
        except ValidationError as exc:
            self.error(row, "id_number", " ".join(exc.messages), errors)
        if "phone" in row.values and row.values.get("phone"):
            row.values["phone"] = normalise_phone(row.values["phone"])
            try:
                validate_phone(row.values["phone"])
            except ValidationError as exc:
                self.error(row, "phone", " ".join(exc.messages), errors)

    def parse(self, data: bytes, progress=None) -> tuple[list[ParsedRow], ImportReport]:
        rows, report = super().parse(data, progress)
        seen: dict[str, int] = {}
        for row in rows:
            key = row.values.get("id_number")
            if key and key in seen:
                self.error(row, "id_number", _("与第 %(line)s 行的身份证号重复。") % {"line": seen[key]}, report.errors)
            elif key:
                seen[key] = row.line
        report.errors.sort(key=lambda e: e.row)
        return rows, report

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

    @staticmethod
    def _snapshot(person: Person, fields: list[str]) -> tuple:
        return tuple(getattr(person, f"{f}_id" if f in ("school_class", "major") else f) for f in fields)

    def _save(self, people: list[Person], fields: list[str], before: dict[int, tuple]) -> None:
        """Insert the new people; update only the existing ones whose values changed (a repeated
        import of the same file writes nothing)."""
        new = [p for p in people if p.pk is None]
        changed = [p for p in people if p.pk is not None and before.get(p.pk) != self._snapshot(p, fields)]
        Person.objects.bulk_create(new, batch_size=1000)
        Person.objects.bulk_update(changed, fields, batch_size=1000)


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
        Column("name", gettext_lazy("姓名"), parse_name, example="张三", width=12),
        Column(
            "gender", gettext_lazy("性别"), choice_parser(lambda: Gender.choices), required=False, example="男", width=8
        ),
        Column("id_number", gettext_lazy("身份证号"), parse_text, example="110101200501010018", help=ID_HELP, width=22),
        Column("class_code", gettext_lazy("班号"), parse_code, example="20数控1", width=12),
        Column("major", gettext_lazy("专业"), parse_name, required=False, example="数控技术应用", width=18),
        Column("enrolment_year", gettext_lazy("入学年份"), parse_int, required=False, example=2020, width=10),
        Column("graduation_year", gettext_lazy("预计毕业年份"), parse_int, required=False, example=2023, width=12),
    )

    def validate_row(self, row: ParsedRow, errors: list[RowError]) -> None:
        super().validate_row(row, errors)
        start, end = row.values.get("enrolment_year"), row.values.get("graduation_year")
        for key, year in (("enrolment_year", start), ("graduation_year", end)):
            if year is not None and not 1950 <= year <= 2100:
                self.error(row, key, _("年份不合理。"), errors)
        if start and end and end < start:
            self.error(row, "graduation_year", _("预计毕业年份不能早于入学年份。"), errors)

    def write(self, rows: list[ParsedRow]) -> int:
        school_id = _school_id()
        majors = {m.name: m for m in Major.objects.all()}
        missing_majors = {r.values["major"] for r in rows if r.values.get("major")} - set(majors)
        created = [Major(school_id=school_id, name=name) for name in sorted(missing_majors)]
        Major.objects.bulk_create(created)
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
        fields = ["name", "gender", "school_class", "major", "enrolment_year", "expected_graduation_year"]
        before = {r.values["person"].pk: self._snapshot(r.values["person"], fields) for r in rows if r.values["person"]}
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
            people.append(person)
        self._save(people, fields, before)
        return len(people)


class TraineeImporter(_PersonImporter):
    """Social trainees (社会学员) of the active school, matched by ID number."""

    title = gettext_lazy("导入社会学员")
    filename = "trainees-template.xlsx"
    kind = PersonKind.TRAINEE
    columns = (
        Column("name", gettext_lazy("姓名"), parse_name, example="李四", width=12),
        Column(
            "gender", gettext_lazy("性别"), choice_parser(lambda: Gender.choices), required=False, example="女", width=8
        ),
        Column("id_number", gettext_lazy("身份证号"), parse_text, example="110101199001010013", help=ID_HELP, width=22),
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

    def write(self, rows: list[ParsedRow]) -> int:
        school_id = _school_id()
        fields = ["name", "gender", "employer", "phone"]
        before = {r.values["person"].pk: self._snapshot(r.values["person"], fields) for r in rows if r.values["person"]}
        people = []
        for row in rows:
            v = row.values
            person = v["person"] or Person(school_id=school_id, kind=PersonKind.TRAINEE, id_number=v["id_number"])
            person.name = v["name"]
            person.gender = v.get("gender") or person.gender
            person.employer = v.get("employer") or person.employer
            person.phone = v["phone"]
            people.append(person)
        self._save(people, fields, before)
        return len(people)


class EnrollmentImporter(Importer):
    """Enrols the people named by ID number into one pilot (params: ``pilot_id``).

    All or none: every person must be registered and of the pilot's cohort, and the new ones must
    fit the remaining places. People already enrolled are left as they are (re-import is safe).
    """

    title = gettext_lazy("导入报名名单")
    filename = "enrolments-template.xlsx"
    columns = (
        Column("id_number", gettext_lazy("身份证号"), parse_text, example="110101200501010018", help=ID_HELP, width=22),
        Column(
            "name",
            gettext_lazy("姓名"),
            parse_name,
            required=False,
            example="张三",
            help=gettext_lazy("可不填；填写时须与登记的姓名一致"),
            width=12,
        ),
    )

    def pilot(self) -> Pilot:
        if not hasattr(self, "_pilot"):
            self._pilot = Pilot.objects.get(pk=self.params["pilot_id"])
        return self._pilot

    def parse(self, data: bytes, progress=None) -> tuple[list[ParsedRow], ImportReport]:
        rows, report = super().parse(data, progress)
        if report.file_error or report.errors:
            return rows, report
        pilot = self.pilot()
        if not pilot.is_open_for_enrolment:
            report.file_error = _("试点状态为“%(status)s”，只有已批准或实施中的试点可以报名。") % {
                "status": pilot.get_status_display()
            }
            return rows, report
        wanted = {r.values["person"].pk for r in rows}
        already = set(Enrolment.objects.filter(pilot=pilot, person_id__in=wanted).values_list("person_id", flat=True))
        left = max((pilot.quota or 0) - Enrolment.objects.filter(pilot=pilot).count(), 0)
        if len(wanted - already) > left:
            report.file_error = _("名额不足：需要 %(need)s 个名额，试点仅剩 %(left)s 个，未报名任何人。") % {
                "need": len(wanted - already),
                "left": left,
            }
        return rows, report

    def validate_row(self, row: ParsedRow, errors: list[RowError]) -> None:
        row.values["id_number"] = normalise_id_number(row.values["id_number"])

    def resolve(self, rows: list[ParsedRow], errors: list[RowError]) -> None:
        pilot = self.pilot()
        found = persons_by_id_numbers(r.values["id_number"] for r in rows if r.values.get("id_number"))
        for row in rows:
            person = found.get(row.values.get("id_number") or "")
            row.values["person"] = person
            if person is None:
                self.error(row, "id_number", _("本校没有登记该身份证号的学员，请先导入学员。"), errors)
                continue
            if row.values.get("name") and row.values["name"] != person.name:
                self.error(row, "name", _("姓名与登记的不一致（登记为 %(name)s）。") % {"name": person.name}, errors)
            if COHORT_OF_KIND[person.kind] != pilot.cohort:
                self.error(
                    row,
                    "id_number",
                    _("%(kind)s不能报名试点对象为“%(cohort)s”的试点。")
                    % {"kind": person.get_kind_display(), "cohort": pilot.get_cohort_display()},
                    errors,
                )

    def run(self, data: bytes, progress=None) -> ImportReport:
        try:
            return super().run(data, progress)
        except ValidationError as exc:  # the quota re-checked under the pilot's lock
            return ImportReport(file_error=" ".join(exc.messages))

    def write(self, rows: list[ParsedRow]) -> int:
        return enrolments_create(
            pilot_id=self.params["pilot_id"],
            persons=[r.values["person"] for r in rows],
            actor_id=self.params.get("owner_id"),
        )


# --- exports ------------------------------------------------------------------------------------


class PersonExporter(Exporter):
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

    def _people(self):
        filters = {k: v for k, v in self.params.items() if k != "owner_id"}
        return persons_search(**filters)

    def count(self) -> int:
        return self._people().count()

    def iterate_rows(self) -> Iterable[Sequence[Any]]:
        for p in self._people().iterator(chunk_size=2000):
            yield (
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


class EnrolmentExporter(Exporter):
    """The enrolments of one pilot (params: ``pilot_id``); ID numbers masked."""

    title = gettext_lazy("报名名单")
    filename = "enrolments.xlsx"
    headers = (
        gettext_lazy("序号"),
        gettext_lazy("姓名"),
        gettext_lazy("身份证号"),
        gettext_lazy("班号"),
        gettext_lazy("证书"),
        gettext_lazy("等级"),
        gettext_lazy("年份"),
        gettext_lazy("报名时间"),
    )
    widths = (6, 12, 22, 12, 22, 8, 8, 18)

    def _enrolments(self):
        return enrolments_of(pilot_id=self.params.get("pilot_id"))

    def count(self) -> int:
        return self._enrolments().count()

    def iterate_rows(self) -> Iterable[Sequence[Any]]:
        for index, e in enumerate(self._enrolments().iterator(chunk_size=2000), start=1):
            yield (
                index,
                e.person.name,
                e.person.masked_id_number,
                e.person.school_class.code if e.person.school_class else "",
                e.pilot.certificate.name,
                e.pilot.get_level_display(),
                e.pilot.year,
                timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M"),
            )
