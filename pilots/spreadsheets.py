"""The certificate catalogue as .xlsx: one row per certificate level."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organisation
from core.spreadsheets import (
    Column,
    Importer,
    ParsedRow,
    QueryExporter,
    RowError,
    choice_parser,
    parse_bool,
    parse_code,
    parse_decimal,
    parse_name,
)

from .models import Certificate, CertificateLevel, Level, Pilot
from .selectors import catalogue_levels, pilots_list

YES, NO = gettext_lazy("是"), gettext_lazy("否")


def _yes_no(value: bool) -> str:
    return str(YES if value else NO)


class CatalogueImporter(Importer):
    """Creates or updates certificates and their levels. Organisations must already exist."""

    title = gettext_lazy("导入证书目录")
    filename = "certificate-catalogue-template.xlsx"
    columns = (
        Column("code", gettext_lazy("证书代码"), parse_code, example="ZX-01", width=12),
        Column("name", gettext_lazy("证书名称"), parse_name, example="机械工程制图", width=24),
        Column("organisation", gettext_lazy("培训评价组织"), parse_name, example="示例培训评价组织", width=28),
        Column("level", gettext_lazy("等级"), choice_parser(lambda: Level.choices), example="初级", width=8),
        Column(
            "pass_mark",
            gettext_lazy("合格分数线"),
            parse_decimal,
            example=60,
            help=gettext_lazy("0 到 100 之间的数字"),
            width=12,
        ),
        Column("has_theory", gettext_lazy("含理论考核"), parse_bool, required=False, example="是", width=12),
        Column("has_practical", gettext_lazy("含实操考核"), parse_bool, required=False, example="是", width=12),
    )

    def resolve(self, rows: list[ParsedRow], errors: list[RowError]) -> None:
        names = {r.values["organisation"] for r in rows if r.values.get("organisation")}
        known = dict(Organisation.objects.filter(name__in=names).values_list("name", "pk"))
        for row in rows:
            name = row.values.get("organisation")
            if name and name not in known:
                self.error(row, "organisation", _("平台中没有这个培训评价组织，请先在后台添加。"), errors)
            row.values["organisation_id"] = known.get(name)

    def validate_row(self, row: ParsedRow, errors: list[RowError]) -> None:
        mark = row.values["pass_mark"]
        if mark is not None and not (0 <= mark <= 100):
            self.error(row, "pass_mark", _("合格分数线须在 0 到 100 之间。"), errors)

    def check_file(self, rows: list[ParsedRow], errors: list[RowError]) -> None:
        self.flag_repeats(
            rows,
            errors,
            key=lambda row: (row.values.get("code"), row.values.get("level")),
            column="level",
            message=_("与第 %(line)s 行重复（同一证书同一等级）。"),
        )

    def write(self, rows: list[ParsedRow]) -> int:
        certificates: dict[str, Certificate] = {
            c.code: c for c in Certificate.objects.filter(code__in={r.values["code"] for r in rows})
        }
        for row in rows:
            v = row.values
            cert = certificates.get(v["code"])
            if cert is None:
                cert = certificates[v["code"]] = Certificate(code=v["code"])
            cert.name = v["name"]
            cert.organisation_id = v["organisation_id"]
            if v.get("has_theory") is not None:
                cert.has_theory = v["has_theory"]
            if v.get("has_practical") is not None:
                cert.has_practical = v["has_practical"]
        known = [c for c in certificates.values() if c.pk is not None]
        Certificate.objects.bulk_create([c for c in certificates.values() if c.pk is None], batch_size=1000)
        Certificate.objects.bulk_update(known, ["name", "organisation", "has_theory", "has_practical"], batch_size=1000)
        existing = {
            (lv.certificate_id, lv.level): lv
            for lv in CertificateLevel.objects.filter(certificate__in=list(certificates.values()))
        }
        created, updated = [], []
        for row in rows:
            cert = certificates[row.values["code"]]
            level = existing.get((cert.pk, row.values["level"]))
            if level is None:
                created.append(
                    CertificateLevel(certificate=cert, level=row.values["level"], pass_mark=row.values["pass_mark"])
                )
            else:
                level.pass_mark = row.values["pass_mark"]
                updated.append(level)
        CertificateLevel.objects.bulk_create(created, batch_size=1000)
        CertificateLevel.objects.bulk_update(updated, ["pass_mark"], batch_size=1000)
        return len(rows)


class CatalogueExporter(QueryExporter):
    title = gettext_lazy("证书目录")
    filename = "certificate-catalogue.xlsx"
    headers = tuple(c.header for c in CatalogueImporter.columns)
    widths = tuple(c.width for c in CatalogueImporter.columns)

    def query(self):
        return catalogue_levels()

    def row(self, level: CertificateLevel) -> Sequence[Any]:
        cert = level.certificate
        return (
            cert.code,
            cert.name,
            cert.organisation.name,
            level.get_level_display(),
            level.pass_mark,
            _yes_no(cert.has_theory),
            _yes_no(cert.has_practical),
        )


class PilotExporter(QueryExporter):
    """The filtered pilot list (params: the list's filters) of the active tenant."""

    title = gettext_lazy("试点")
    filename = "pilots.xlsx"
    headers = (
        gettext_lazy("年份"),
        gettext_lazy("学校"),
        gettext_lazy("证书"),
        gettext_lazy("等级"),
        gettext_lazy("试点对象"),
        gettext_lazy("申报人数"),
        gettext_lazy("试点指标"),
        gettext_lazy("已报名"),
        gettext_lazy("剩余名额"),
        gettext_lazy("状态"),
        gettext_lazy("备注"),
    )
    widths = (8, 28, 22, 8, 18, 10, 10, 10, 10, 10, 30)

    def query(self):
        return pilots_list(**self.list_filters())

    def row(self, pilot: Pilot) -> Sequence[Any]:
        remaining = max(pilot.quota - pilot.enrolled, 0) if pilot.quota is not None else None
        return (
            pilot.year,
            pilot.school.name,
            pilot.certificate.name,
            pilot.get_level_display(),
            pilot.get_cohort_display(),
            pilot.requested_quota,
            pilot.quota,
            pilot.enrolled,
            remaining,
            pilot.get_status_display(),
            pilot.notes,
        )
