"""The settlement statement as .xlsx: 汇总, 考生名单 and 付款, the same numbers as the page."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.spreadsheets import Exporter, ExportSheet
from funding.selectors.settlements import Statement, settlement_get, settlement_statement

NO_FEE = gettext_lazy("未设收费标准")


def _summary_rows(statement: Statement) -> Iterable[Sequence[Any]]:
    settlement = statement.settlement
    for row in statement.summary:
        fee = row.fee if row.fee is not None else str(NO_FEE)
        yield (row.certificate, row.level, fee, row.count, row.amount)
    due_note = _("不完整：%(n)s 名考生未设收费标准") % {"n": statement.missing} if statement.incomplete else ""
    yield (_("合计"), "", "", statement.assessed, statement.due, due_note)
    yield ()
    yield (_("学校"), settlement.school.name)
    yield (_("培训评价组织"), settlement.organisation.name)
    yield (_("年度"), settlement.year)
    yield (_("考核人数"), statement.assessed)
    yield (_("应付（元）"), statement.due, due_note)
    yield (_("已付（元）"), statement.paid)
    yield (_("余额（元）"), statement.balance, statement.balance_label)


def _candidate_rows(statement: Statement) -> Iterable[Sequence[Any]]:
    for row in statement.candidates:
        yield (
            row.number,
            row.name,
            row.id_number,
            row.school_class,
            row.certificate,
            row.level,
            row.exam_date.isoformat(),
            row.batch,
            _("补考") if row.is_retake else "",
            row.fee if row.fee is not None else str(NO_FEE),
        )


def _payment_rows(statement: Statement) -> Iterable[Sequence[Any]]:
    for payment in statement.payments:
        yield (payment.date.isoformat(), payment.amount, payment.voucher_number, payment.payee)
    yield (_("合计"), statement.paid, "", "")


class SettlementExporter(Exporter):
    """params: settlement_id. Amounts are Decimal to the fen, never float; ID numbers masked."""

    title = gettext_lazy("考核费结算单")
    filename = "settlement.xlsx"

    def sheets(self) -> Iterable[ExportSheet]:
        statement = settlement_statement(settlement_get(settlement_id=self.params["settlement_id"]))
        yield ExportSheet(
            title=_("汇总"),
            headers=(_("证书"), _("等级"), _("每人考核费（元）"), _("考核人数"), _("金额（元）"), _("说明")),
            rows=_summary_rows(statement),
            widths=(24, 10, 18, 12, 16, 32),
        )
        yield ExportSheet(
            title=_("考生名单"),
            headers=(
                _("序号"),
                _("姓名"),
                _("身份证号"),
                _("班级"),
                _("证书"),
                _("等级"),
                _("考核日期"),
                _("批次"),
                _("补考"),
                _("考核费（元）"),
            ),
            rows=_candidate_rows(statement),
            widths=(8, 12, 22, 14, 24, 8, 12, 32, 8, 14),
            count=statement.assessed,
        )
        yield ExportSheet(
            title=_("付款"),
            headers=(_("付款日期"), _("金额（元）"), _("凭证号"), _("收款单位")),
            rows=_payment_rows(statement),
            widths=(12, 16, 18, 32),
        )
