"""A pilot's enrolments as .xlsx: the enrolment import (all or none) and the export.

The import checks the service's rules (pilot open, cohort, the one quota rule) before any write,
then enrols through ``students.services.enrolments_create``, which checks them again under the
pilot's lock.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.spreadsheets import Column, Importer, ImportReport, ParsedRow, QueryExporter, RowError, parse_name
from pilots.models import Pilot

from ..models import Enrolment
from ..selectors import enrolments_of, persons_by_id_numbers
from ..services import (
    enrolment_cohort_error,
    enrolment_newcomers,
    enrolment_open_check,
    enrolment_quota_check,
    enrolments_create,
)
from ..validators import normalise_id_number
from .people import ID_NUMBER


class EnrolmentImporter(Importer):
    """Enrols the people named by ID number into one pilot (params: ``pilot_id``).

    All or none: every person must be registered and of the pilot's cohort, and the new ones must
    fit the remaining places. People already enrolled are left as they are (re-import is safe).
    """

    title = gettext_lazy("导入报名名单")
    filename = "enrolments-template.xlsx"
    columns = (
        ID_NUMBER,
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
        try:  # the service's rules, checked before any write so the whole file is refused at once
            enrolment_open_check(pilot)
            enrolment_quota_check(pilot, len(enrolment_newcomers(pilot, [r.values["person"] for r in rows])))
        except ValidationError as exc:
            report.file_error = " ".join(exc.messages)
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
            cohort_error = enrolment_cohort_error(pilot, person)
            if cohort_error:
                self.error(row, "id_number", cohort_error, errors)

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


class EnrolmentExporter(QueryExporter):
    """The enrolments of one pilot (params: ``pilot_id``), numbered; ID numbers masked."""

    numbered = True
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

    def query(self):
        return enrolments_of(pilot_id=self.params.get("pilot_id"))

    def row(self, e: Enrolment) -> Sequence[Any]:
        return (
            e.person.name,
            e.person.masked_id_number,
            e.person.school_class.code if e.person.school_class else "",
            e.pilot.certificate.name,
            e.pilot.get_level_display(),
            e.pilot.year,
            timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M"),
        )
