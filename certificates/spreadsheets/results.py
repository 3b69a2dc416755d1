"""A batch's results as .xlsx: the template pre-filled with the candidates, and its import.

Rows are found by 场次 and 座位号 (seat numbers are unique within a session); the name must match
the seat's candidate, so a shifted row is caught. Only the parts the certificate has are columns.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from accounts.models import User
from core.spreadsheets import (
    Column,
    Importer,
    ImportReport,
    ParsedRow,
    RowError,
    normalise_name,
    normalise_text,
    parse_bool,
    parse_decimal,
    parse_int,
    parse_name,
    parse_text,
    safe_cell,
)

from ..models import ResultSheet
from ..selectors.results import grid_rows, may_enter_results, sheet_get
from ..services.results import BulkRow, results_bulk_save

YES = gettext_lazy("是")


def session_label(session: Any) -> str:
    return normalise_text(f"{session.date:%Y-%m-%d} {session.starts_at:%H:%M} {session.room.name}")


class ResultsImporter(Importer):
    """Scores of one sheet (params: ``sheet_id``; ``owner_id`` is the user who imports)."""

    title = gettext_lazy("导入成绩")
    filename = "results-template.xlsx"

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        self.sheet = sheet_get(sheet_id=params["sheet_id"])
        certificate = self.sheet.batch.pilot.certificate
        score_help = gettext_lazy("0 到 100 之间的数字，最多一位小数；缺考的考生留空")
        columns = [
            Column("session", gettext_lazy("场次"), parse_text, example="2024-06-03 09:00 实训楼 301 机房", width=30),
            Column("number", gettext_lazy("座位号"), parse_int, example=1, width=8),
            Column("name", gettext_lazy("姓名"), parse_name, example="张三", width=12),
            Column("class", gettext_lazy("班级"), parse_text, required=False, example="20数控1", width=12),
            Column("id_number", gettext_lazy("身份证号"), parse_text, required=False, width=22),
            Column("kind", gettext_lazy("考试类型"), parse_text, required=False, example="新考", width=10),
        ]
        if certificate.has_theory:
            columns.append(
                Column("theory", gettext_lazy("理论成绩"), parse_decimal, required=False, example=85, help=score_help)
            )
        if certificate.has_practical:
            columns.append(
                Column(
                    "practical", gettext_lazy("实操成绩"), parse_decimal, required=False, example=78, help=score_help
                )
            )
        columns.append(Column("absent", gettext_lazy("缺考"), parse_bool, required=False, example="否", width=8))
        self.columns = tuple(columns)
        self._seats: dict[tuple[str, int], Any] | None = None
        self._seen: dict[tuple[str, int], int] = {}

    # -- the template: the importer's template with one row per candidate -------------------

    def template(self) -> bytes:
        workbook = load_workbook(io.BytesIO(super().template()))
        sheet = workbook.worksheets[0]
        keys = [c.key for c in self.columns]
        for row in grid_rows(self.sheet):
            seat, result, person = row.seat, row.result, row.seat.enrolment.person
            values = {
                "session": session_label(seat.session),
                "number": seat.number,
                "name": person.name,
                "class": person.school_class.code if person.school_class else "",
                "id_number": person.masked_id_number,
                "kind": str(_("补考")) if seat.is_retake else str(_("新考")),
                "theory": result.theory if result and result.theory is not None else None,
                "practical": result.practical if result and result.practical is not None else None,
                "absent": str(YES) if result and result.absent else None,
            }
            sheet.append([safe_cell(values.get(k)) for k in keys])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    # -- the checks -------------------------------------------------------------------------

    def refusal(self) -> str:
        """Why this user may not import into this sheet now ("" when they may)."""
        if self.sheet.status != ResultSheet.Status.ENTERING:
            return str(_("成绩公示开始后不能再导入，请逐条更正并填写原因。"))
        actor = User.objects.filter(pk=self.params.get("owner_id")).first()
        if actor is None or not may_enter_results(actor, self.sheet.batch):
            return str(_("您不是该批次的录入教师，不能导入成绩。"))
        return ""

    def parse(
        self, data: bytes, progress: Callable[[int, str], None] | None = None
    ) -> tuple[list[ParsedRow], ImportReport]:
        refusal = self.refusal()
        if refusal:
            return [], ImportReport(file_error=refusal)
        return super().parse(data, progress)

    def _seat_index(self) -> dict[tuple[str, int], Any]:
        if self._seats is None:
            self._seats = {(session_label(r.seat.session), r.seat.number): r for r in grid_rows(self.sheet)}
        return self._seats

    def resolve(self, rows: list[ParsedRow], errors: list[RowError]) -> None:
        index = self._seat_index()  # one query for the whole file: a batch is a few hundred seats
        certificate = self.sheet.batch.pilot.certificate
        for row in rows:
            v = row.values
            if v.get("session") is None or v.get("number") is None:
                continue
            key = (normalise_text(v["session"]), v["number"])
            grid_row = index.get(key)
            if grid_row is None:
                self.error(row, "number", _("本批次没有这个场次和座位号的考生。"), errors)
                continue
            if key in self._seen:
                self.error(
                    row, "number", _("与第 %(line)s 行重复（同一场次同一座位号）。") % {"line": self._seen[key]}, errors
                )
                continue
            self._seen[key] = row.line
            if v.get("name") and normalise_name(grid_row.seat.enrolment.person.name) != v["name"]:
                self.error(
                    row,
                    "name",
                    _("姓名与该座位的考生（%(name)s）不符。") % {"name": grid_row.seat.enrolment.person.name},
                    errors,
                )
                continue
            v["seat_id"] = grid_row.seat.pk
            result = grid_row.result
            absent = bool(v.get("absent"))
            for part, has in (("theory", certificate.has_theory), ("practical", certificate.has_practical)):
                if not has:
                    continue
                carried = result is not None and getattr(result, f"{part}_carried")
                if carried:
                    v[part] = None  # a carried-over part is not entered again
                    continue
                score = v.get(part)
                if score is not None and not (0 <= score <= 100):
                    self.error(row, part, _("成绩须在 0 到 100 之间。"), errors)
                elif score is not None and score != score.quantize(Decimal("0.1")):
                    self.error(row, part, _("成绩最多保留一位小数。"), errors)
                elif score is not None and absent:
                    self.error(row, part, _("缺考的考生不能填写成绩。"), errors)
                elif score is None and not absent:
                    self.error(row, part, _("缺少成绩：请填写，或在“缺考”列填“是”。"), errors)

    def write(self, rows: list[ParsedRow]) -> int:
        actor = User.objects.get(pk=self.params["owner_id"])
        bulk = [
            BulkRow(
                seat_id=r.values["seat_id"],
                theory=r.values.get("theory"),
                practical=r.values.get("practical"),
                absent=bool(r.values.get("absent")),
            )
            for r in rows
        ]
        results_bulk_save(sheet=self.sheet, rows=bulk, actor=actor)
        return len(rows)
