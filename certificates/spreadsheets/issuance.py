"""Certificate numbers from the organisation's .xlsx: the template and its import."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.scoping import current_tenant
from core.spreadsheets import (
    CellError,
    Column,
    Importer,
    ParsedRow,
    RowError,
    parse_code,
    parse_date,
    parse_name,
)
from core.spreadsheets import parse_text as parse_plain
from pilots.models import Certificate
from students.validators import normalise_id_number

from ..selectors.issuance import eligible_results
from ..services.issuance import (
    ImportedNumber,
    certificates_import,
    check_may_issue,
    number_taken,
    validate_assessment_period,
    validate_number,
)


def parse_id_number(value: Any) -> str:
    return normalise_id_number(parse_plain(value))


def parse_period(value: Any) -> str:
    text = parse_plain(value)
    if not text:
        return ""
    try:
        return validate_assessment_period(text)
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from exc


class CertificateNumberImporter(Importer):
    """Numbers the organisation assigned: one row per candidate, found by ID number or by name and batch.

    Only passed candidates of ended batches the active tenant may issue for, without a valid
    certificate yet, can be matched.
    """

    title = gettext_lazy("导入证书编号")
    filename = "certificate-numbers-template.xlsx"
    columns = (
        Column(
            "id_number",
            gettext_lazy("身份证号"),
            parse_id_number,
            required=False,
            example="441202200501011234",
            help=gettext_lazy("身份证号，或 姓名 + 批次，二者填其一"),
            width=22,
        ),
        Column("name", gettext_lazy("姓名"), parse_name, required=False, example="张三", width=10),
        Column("batch", gettext_lazy("批次"), parse_plain, required=False, example="2024年第一轮初级", width=24),
        Column("number", gettext_lazy("证书编号"), parse_code, example="C0120240000172", width=20),
        Column("issued_on", gettext_lazy("发证日期"), parse_date, example="2024-07-01", width=12),
        Column("assessment_period", gettext_lazy("鉴定时间"), parse_period, example="2024.6", width=12),
    )

    _candidates: list | None = None

    def candidates(self) -> list:
        if self._candidates is None:
            self._candidates = list(
                eligible_results().select_related("enrolment__person", "sheet__batch__pilot__certificate__organisation")
            )
        return self._candidates

    def validate_row(self, row: ParsedRow, errors: list[RowError]) -> None:
        v = row.values
        if not v.get("id_number") and not (v.get("name") and v.get("batch")):
            self.error(row, "id_number", _("请填写身份证号，或同时填写姓名和批次。"), errors)

    def resolve(self, rows: list[ParsedRow], errors: list[RowError]) -> None:
        by_id: dict[str, list] = {}
        by_name: dict[tuple[str, str], list] = {}
        for result in self.candidates():
            person, batch = result.enrolment.person, result.sheet.batch
            by_id.setdefault(person.id_number, []).append(result)
            by_name.setdefault((person.name, batch.name), []).append(result)
        tenant = current_tenant()
        wanted: dict[int, set[str]] = {}
        for row in rows:
            v = row.values
            row.values["result"] = None
            if v.get("id_number"):
                found = by_id.get(v["id_number"], [])
                if v.get("batch"):
                    found = [r for r in found if r.sheet.batch.name == v["batch"]]
                key = "id_number"
            elif v.get("name") and v.get("batch"):
                found, key = by_name.get((v["name"], v["batch"]), []), "name"
            else:
                continue
            if not found:
                self.error(row, key, _("没有找到该考生已结束且合格、尚未发证的成绩。"), errors)
                continue
            if len(found) > 1:
                self.error(row, "batch", _("该考生有多个待发证成绩，请填写批次。"), errors)
                continue
            result = found[0]
            certificate = result.sheet.batch.pilot.certificate
            try:
                check_may_issue(tenant=tenant, certificate=certificate)
                if v.get("number"):
                    v["number"] = validate_number(v["number"], certificate=certificate)
            except ValidationError as exc:
                self.error(row, "number", exc.messages[0], errors)
                continue
            row.values["result"] = result
            if v.get("number"):
                wanted.setdefault(certificate.pk, set()).add(v["number"])
        taken: set[tuple[int, str]] = set()
        for certificate_id, numbers in wanted.items():
            taken |= {
                (certificate_id, n) for n in number_taken(certificate=Certificate(pk=certificate_id), numbers=numbers)
            }
        for row in rows:
            result = row.values.get("result")
            if result is not None and (result.sheet.batch.pilot.certificate_id, row.values["number"]) in taken:
                self.error(row, "number", _("证书编号已被使用。"), errors)

    def check_file(self, rows: list[ParsedRow], errors: list[RowError]) -> None:
        results = Counter(r.values["result"].pk for r in rows if r.values.get("result"))
        numbers = Counter(
            (r.values["result"].sheet.batch.pilot.certificate_id, r.values["number"])
            for r in rows
            if r.values.get("result")
        )
        for row in rows:
            result = row.values.get("result")
            if result is None:
                continue
            if results[result.pk] > 1:
                self.error(row, "id_number", _("同一考生在文件中出现多次。"), errors)
            if numbers[(result.sheet.batch.pilot.certificate_id, row.values["number"])] > 1:
                self.error(row, "number", _("证书编号在文件中重复。"), errors)

    def write(self, rows: list[ParsedRow]) -> int:
        actor = User.objects.filter(pk=self.params.get("owner_id")).first()
        items = [
            ImportedNumber(
                result_id=r.values["result"].pk,
                number=r.values["number"],
                issued_on=r.values["issued_on"],
                assessment_period=r.values["assessment_period"],
            )
            for r in rows
        ]
        return certificates_import(items=items, tenant=current_tenant(), actor=actor)
