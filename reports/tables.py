"""The five report tables, declared once: the statistics page and the .xlsx exports both print them
from here, so the page and the file always carry the same numbers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from .rates import DASH
from .selectors import (
    ReportFilters,
    dual_certificates,
    education_pilots,
    exams_by_year,
    shows_schools,
    training_pilots,
)


@dataclass(frozen=True)
class Table:
    key: str
    number: int
    title: Any
    headers: Callable[[bool], Sequence[Any]]  # (shows_schools) -> headers
    rows: Callable[[ReportFilters], list]
    cells: Callable[[Any, bool], Sequence[Any]]  # (row, shows_schools) -> cells
    definition: Any
    filename: str  # of the .xlsx export
    widths: Sequence[int] = ()
    label_columns: int = 1  # the leading columns that name the row (year, certificate...): never right-aligned

    def render(
        self, filters: ReportFilters, schools: bool | None = None, computed: dict | None = None
    ) -> dict[str, Any]:
        """Headers and cells for the page. ``computed`` shares rows between tables built from the
        same selector (tables 3 and 5) within one page."""
        schools = shows_schools() if schools is None else schools
        computed = {} if computed is None else computed
        if self.rows not in computed:
            computed[self.rows] = self.rows(filters)
        labels = self.label_columns + (1 if schools and self.key == "training" else 0)
        rows = [
            [_cell(value, index >= labels) for index, value in enumerate(self.cells(row, schools))]
            for row in computed[self.rows]
        ]
        headers = [
            {"label": str(h), "numeric": any(r[i]["numeric"] for r in rows)}
            for i, h in enumerate(self.headers(schools))
        ]
        return {"table": self, "headers": headers, "rows": rows}


def _cell(value: Any, may_be_numeric: bool) -> dict[str, Any]:
    """A cell for the page: counts and rates are right-aligned."""
    text = str(value)
    numeric = may_be_numeric and (
        isinstance(value, int) or text == DASH or (text.endswith("%") and text[:-1].replace(".", "").isdigit())
    )
    return {"value": value, "numeric": numeric}


def _school(schools: bool, value: Any) -> list[Any]:
    return [value] if schools else []


# Tables 1 and 2 both open with the pilot's year, certificate, level, quota and enrolled people.
PILOT_HEADERS = (_("年份"), _("证书"), _("等级"), _("试点指标"), _("报名人数"))
PILOT_WIDTHS = (8, 24, 8, 10, 10)


def _pilot_cells(r: Any) -> tuple[Any, ...]:
    return (r.year, r.certificate, r.level_label, r.quota, r.enrolled)


EDUCATION = Table(
    key="education",
    filename="report-1-education-pilots.xlsx",
    number=1,
    title=_("教育试点"),
    headers=lambda schools: (*PILOT_HEADERS, _("鉴定人数"), _("取证人数"), _("指标完成率"), _("取证率"), _("参考率")),
    rows=education_pilots,
    label_columns=3,
    cells=lambda r, schools: (
        *_pilot_cells(r),
        r.assessed,
        r.certified,
        r.completion_rate,
        r.certified_rate,
        r.sat_rate,
    ),
    widths=(*PILOT_WIDTHS, 10, 10, 12, 10, 10),
    definition=_(
        "在校学生试点（已批准、实施中、已结束），按年份、证书、等级汇总；试点指标为核定指标之和。"
        "鉴定人数：成绩单已公示或已结束、至少有一次成绩为合格或不合格的报名人数，每人只计一次；"
        "缺考且未参加补考者、成绩尚在登记中者不计入。取证人数：持有一张有效（未撤销、未被补发替换）"
        "1+X 证书的报名人数。指标完成率 = 鉴定人数 ÷ 试点指标；取证率 = 取证人数 ÷ 鉴定人数；"
        "参考率 = 鉴定人数 ÷ 报名人数。分母为 0 时显示“—”。不受“试点对象”筛选影响。"
    ),
)

TRAINING = Table(
    key="training",
    filename="report-2-training-pilots.xlsx",
    number=2,
    title=_("社会人员及企业员工证书试点"),
    headers=lambda schools: (*_school(schools, _("学校")), *PILOT_HEADERS, _("待鉴定人数"), _("备注")),
    rows=training_pilots,
    label_columns=3,
    cells=lambda r, schools: (*_school(schools, r.school), *_pilot_cells(r), r.pending, r.notes),
    widths=(*PILOT_WIDTHS, 12, 30),
    definition=_(
        "社会人员及企业员工试点，每个试点一行。待鉴定人数 = 报名人数 − 鉴定人数（鉴定人数的定义同表 1："
        "缺考且未参加补考者仍待鉴定）。备注为试点申报时填写的备注。不受“试点对象”筛选影响。"
    ),
)

EXAMS = Table(
    key="exams",
    filename="report-3-exams-by-year.xlsx",
    number=3,
    title=_("1+X 考证情况统计表"),
    headers=lambda schools: (_("年份"), _("考证人数"), _("通过人数"), _("通过率")),
    rows=exams_by_year,
    cells=lambda r, schools: (r.year, r.assessed, r.passed, r.pass_rate),
    widths=(8, 12, 12, 10),
    definition=_(
        "按试点年份汇总全部试点（可按试点对象筛选）。考证人数即鉴定人数（定义同表 1）。"
        "通过人数：考证人数中在已公示或已结束的成绩单上取得“合格”的人数，首次考核或补考合格均计入，"
        "每人只计一次。通过率 = 通过人数 ÷ 考证人数。缺考不计入考证人数。"
    ),
)

GRADUATION = Table(
    key="graduation",
    filename="report-4-dual-certificates.xlsx",
    number=4,
    title=_("双证毕业情况统计表"),
    headers=lambda schools: (_("毕业学生"), _("毕业生人数"), _("获得技能证人数"), _("双证毕业率")),
    rows=dual_certificates,
    cells=lambda r, schools: (_("%(year)s届") % {"year": r.year}, r.graduates, r.certified, r.rate),
    widths=(12, 12, 16, 12),
    definition=_(
        "毕业生：预计毕业年份为该年的在校学生（按学员信息中的“预计毕业年份”）。获得技能证人数："
        "持有至少一张有效 1+X 证书或任一其他技能证书的毕业生，无论持有几张证书，每人只计一次。"
        "双证毕业率 = 获得技能证人数 ÷ 毕业生人数。年份筛选按毕业年份；证书、等级和试点对象筛选不适用。"
        "学生名册属于学校，培训评价组织看不到此表的数据。"
    ),
)

CERTIFICATES = Table(
    key="certificates",
    filename="report-5-certificates-by-year.xlsx",
    number=5,
    title=_("历年证书试点情况"),
    headers=lambda schools: (_("年份"), _("试点证书数"), _("考证人数"), _("通过人数"), _("通过率")),
    rows=exams_by_year,
    cells=lambda r, schools: (r.year, r.certificates, r.assessed, r.passed, r.pass_rate),
    widths=(8, 12, 12, 12, 10),
    definition=_(
        "每年试点的证书数（当年已批准、实施中或已结束的试点涉及的不同证书），以及考证人数、通过人数和通过率"
        "（定义同表 3）。"
    ),
)

TABLES: tuple[Table, ...] = (EDUCATION, TRAINING, EXAMS, GRADUATION, CERTIFICATES)
BY_KEY = {t.key: t for t in TABLES}
