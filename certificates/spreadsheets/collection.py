"""External skill certificates (其他技能证书) from the school's .xlsx."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.spreadsheets import Column, Importer, ParsedRow, RowError, parse_date
from core.spreadsheets import parse_text as parse_plain
from students.selectors import persons_by_id_numbers

from ..models import ExternalCertificate
from ..services.collection import external_certificates_create
from .issuance import parse_id_number, parse_period


class ExternalCertificateImporter(Importer):
    """External skill certificates of the school's people, found by ID number."""

    title = gettext_lazy("导入其他技能证书")
    filename = "external-certificates-template.xlsx"
    columns = (
        Column("id_number", gettext_lazy("身份证号"), parse_id_number, example="441202200501011234", width=22),
        Column("name", gettext_lazy("工种"), parse_plain, example="机械设计工程师（AutoCAD）", width=26),
        Column("issuer", gettext_lazy("发证机构"), parse_plain, example="示例行业协会", width=20),
        Column("level", gettext_lazy("等级"), parse_plain, required=False, example="", width=8),
        Column("assessment_period", gettext_lazy("鉴定时间"), parse_period, example="2022.5-6", width=12),
        Column("issued_on", gettext_lazy("发证日期"), parse_date, example="2022-07-01", width=12),
    )

    def validate_row(self, row: ParsedRow, errors: list[RowError]) -> None:
        for key, limit in (("name", 100), ("issuer", 100), ("level", 30)):
            if len(row.values.get(key) or "") > limit:
                self.error(row, key, _("不能超过 %(n)s 个字。") % {"n": limit}, errors)

    def resolve(self, rows: list[ParsedRow], errors: list[RowError]) -> None:
        people = persons_by_id_numbers(r.values["id_number"] for r in rows if r.values.get("id_number"))
        existing = set(
            ExternalCertificate.objects.filter(person__in=list(people.values())).values_list(
                "person_id", "name", "issued_on"
            )
        )
        for row in rows:
            person = people.get(row.values.get("id_number") or "")
            row.values["person"] = person
            if row.values.get("id_number") and person is None:
                self.error(row, "id_number", _("本校没有登记该身份证号的学员。"), errors)
            elif person and (person.pk, row.values["name"], row.values["issued_on"]) in existing:
                self.error(row, "name", _("该学员的这张证书已登记。"), errors)

    def write(self, rows: list[ParsedRow]) -> int:
        return external_certificates_create(
            school_id=self.params["school_id"],
            rows=[
                {
                    "person": r.values["person"],
                    "name": r.values["name"],
                    "issuer": r.values["issuer"],
                    "level": r.values.get("level") or "",
                    "assessment_period": r.values["assessment_period"],
                    "issued_on": r.values["issued_on"],
                }
                for r in rows
            ],
        )
