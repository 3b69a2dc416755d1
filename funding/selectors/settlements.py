"""The exam-fee settlement statements (考核费结算单).

What a statement counts, computed from the results each time (never stored):

- candidates actually assessed: results with outcome 合格 or 不合格 (缺考 and 未录入 are not charged)
  in result sheets that are 公示中 or 已结束 — the organisation sees results only from 公示中 on, so
  this keeps the school's and the organisation's statement identical;
- of batches of the statement's school, of pilots of its year, of certificates its organisation owns;
- retakes (补考) are charged too, each attempt once;
- each candidate's fee is the catalogue's fee standard (pilots.FeeStandard) of the certificate level
  with the latest 执行日期 on or before the exam date. A candidate with no fee standard in force is
  listed as 未设收费标准 and makes the statement incomplete: its amount due is then a lower bound.

Paid is the sum of the spendings that name the statement. Both sides read the same rows through
their own scope (the school's and the organisation's managers agree on these filters).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, School
from certificates.models import Result, ResultSheet
from core.masking import mask_id_number
from funding.models import Settlement, Spending
from funding.money import FEN, ZERO
from pilots.models import FeeStandard, Level

CHARGED_SHEETS = (ResultSheet.Status.NOTICE, ResultSheet.Status.FINAL)
CHARGED_OUTCOMES = (Result.Outcome.PASS, Result.Outcome.FAIL)
LEVEL_ORDER = {value: index for index, value in enumerate(Level.values)}

# The balance (due − paid): still owing, settled, overpaid; or unknown while a fee is missing.
OWING = "owing"
SETTLED = "settled"
OVERPAID = "overpaid"
INCOMPLETE = "incomplete"
BALANCE_LABELS = {
    OWING: _("待付"),
    SETTLED: _("已付清"),
    OVERPAID: _("多付"),
    INCOMPLETE: _("收费标准缺失，无法结清"),
}


def settlements_list(*, for_organisation: bool = False) -> QuerySet[Settlement]:
    """The statements of the active tenant with what was paid on each; the organisation's by school."""
    order = ("school__name", "-year", "id") if for_organisation else ("-year", "organisation__name", "id")
    return (
        Settlement.objects.select_related("school", "organisation")
        .annotate(paid=Sum("payments__amount"))
        .order_by(*order)
    )


def settlement_get(*, settlement_id: int) -> Settlement:
    """A statement of the active tenant (404 for anyone else's)."""
    return get_object_or_404(
        Settlement.objects.select_related("school", "organisation", "created_by"), pk=settlement_id
    )


def settlement_paid(settlement: Settlement) -> Decimal:
    """What the spendings naming the statement add up to (its 已付)."""
    total = Spending.objects.filter(settlement=settlement).aggregate(total=Sum("amount"))["total"]
    return (total or ZERO).quantize(FEN)


def charged_results() -> QuerySet[Result]:
    """Results that are charged: assessed (合格/不合格) in a published sheet (公示中/已结束)."""
    return Result.objects.filter(sheet__status__in=CHARGED_SHEETS, outcome__in=CHARGED_OUTCOMES)


@dataclass(frozen=True)
class CandidateRow:
    number: int  # 序号
    name: str
    id_number: str  # masked
    school_class: str
    certificate: str
    level: str
    exam_date: date
    batch: str
    is_retake: bool
    fee: Decimal | None  # None: no fee standard in force on the exam date


@dataclass(frozen=True)
class SummaryRow:
    certificate: str
    level: str
    fee: Decimal | None
    count: int
    amount: Decimal | None


@dataclass(frozen=True)
class PaymentRow:
    date: date
    amount: Decimal
    voucher_number: str
    payee: str


@dataclass(frozen=True)
class Statement:
    settlement: Settlement
    summary: list[SummaryRow]
    candidates: list[CandidateRow]
    payments: list[PaymentRow]
    assessed: int
    due: Decimal  # of the candidates with a fee; a lower bound while ``missing`` > 0
    missing: int  # candidates without a fee standard in force
    paid: Decimal

    @property
    def incomplete(self) -> bool:
        return self.missing > 0

    @property
    def balance(self) -> Decimal:
        return self.due - self.paid

    @property
    def balance_status(self) -> str:
        if self.incomplete:
            return INCOMPLETE
        if self.balance > 0:
            return OWING
        return SETTLED if self.balance == 0 else OVERPAID

    @property
    def balance_label(self) -> str:
        return str(BALANCE_LABELS[self.balance_status])


# (certificate, level) -> the 执行日期 of its fee standards, ascending, and their fees
FeeSchedule = dict[tuple[int, str], tuple[list[date], list[Decimal]]]


def _fee_schedule(organisation_id: int) -> FeeSchedule:
    """The organisation's fee standards by (certificate, level): dates ascending, with their fees."""
    schedule: FeeSchedule = {}
    rows = (
        FeeStandard.objects.filter(certificate__organisation_id=organisation_id)
        .order_by("certificate_id", "level", "effective_from")
        .values_list("certificate_id", "level", "effective_from", "fee")
    )
    for certificate_id, level, effective_from, fee in rows:
        dates, fees = schedule.setdefault((certificate_id, level), ([], []))
        dates.append(effective_from)
        fees.append(Decimal(fee).quantize(FEN))
    return schedule


def _fee_on(schedule: FeeSchedule, key: tuple[int, str], day: date) -> Decimal | None:
    dates, fees = schedule.get(key, ([], []))
    index = bisect_right(dates, day)  # the latest standard whose 执行日期 is on or before the exam date
    return fees[index - 1] if index else None


def _charged_rows(settlement: Settlement) -> list[tuple]:
    """The statement's charged results as plain values, in the statement's order.

    Not model instances: a statement of 10,000 candidates would otherwise build some 80,000 objects.
    """
    rows = (
        charged_results()
        .filter(
            sheet__batch__school_id=settlement.school_id,
            sheet__batch__pilot__year=settlement.year,
            sheet__batch__pilot__certificate__organisation_id=settlement.organisation_id,
        )
        .order_by()
        .values_list(
            "sheet__batch__pilot__certificate_id",
            "sheet__batch__pilot__certificate__code",
            "sheet__batch__pilot__certificate__name",
            "sheet__batch__pilot__level",
            "seat__session__date",
            "sheet__batch_id",
            "sheet__batch__name",
            "seat__number",
            "pk",
            "enrolment__person__name",
            "enrolment__person__id_number",
            "enrolment__person__school_class__code",
            "is_retake",
        )
    )

    def sort_key(row: tuple) -> tuple:
        _cid, code, _name, level, day, batch_id, _batch, seat_number, pk = row[:9]
        return (code, LEVEL_ORDER.get(level, len(LEVEL_ORDER)), day, batch_id, seat_number, pk)

    return sorted(rows, key=sort_key)


def _candidates(rows: list[tuple], schedule: FeeSchedule) -> list[CandidateRow]:
    level_labels = dict(Level.choices)
    candidates = []
    for number, row in enumerate(rows, start=1):
        certificate_id, _code, certificate, level, day, _bid, batch, _seat, _pk, name, id_number, klass, retake = row
        candidates.append(
            CandidateRow(
                number=number,
                name=name,
                id_number=mask_id_number(id_number),
                school_class=klass or "",
                certificate=certificate,
                level=str(level_labels.get(level, level)),
                exam_date=day,
                batch=batch,
                is_retake=retake,
                fee=_fee_on(schedule, (certificate_id, level), day),
            )
        )
    return candidates


def _summary(candidates: list[CandidateRow]) -> list[SummaryRow]:
    """One row per certificate, level and fee, in the order the candidates first name them."""
    groups: OrderedDict[tuple[str, str, Decimal | None], int] = OrderedDict()
    for row in candidates:
        key = (row.certificate, row.level, row.fee)
        groups[key] = groups.get(key, 0) + 1
    return [
        SummaryRow(
            certificate=certificate,
            level=level,
            fee=fee,
            count=count,
            amount=None if fee is None else (fee * count).quantize(FEN),
        )
        for (certificate, level, fee), count in groups.items()
    ]


def settlement_statement(settlement: Settlement) -> Statement:
    """The statement as both sides see it; three queries whatever its size."""
    candidates = _candidates(_charged_rows(settlement), _fee_schedule(settlement.organisation_id))
    summary = _summary(candidates)
    payments = [
        PaymentRow(date=s.date, amount=s.amount.quantize(FEN), voucher_number=s.voucher_number, payee=s.payee)
        for s in Spending.objects.filter(settlement=settlement).order_by("date", "id")
    ]
    return Statement(
        settlement=settlement,
        summary=summary,
        candidates=candidates,
        payments=payments,
        assessed=len(candidates),
        due=sum((row.amount for row in summary if row.amount is not None), ZERO).quantize(FEN),
        missing=sum(1 for row in candidates if row.fee is None),
        paid=sum((p.amount for p in payments), ZERO).quantize(FEN),
    )


@dataclass(frozen=True)
class Suggestion:
    """An (organisation, year) with assessed candidates of the school but no statement yet."""

    organisation: Organisation
    year: int
    assessed: int


def settlement_suggestions(*, school: School) -> list[Suggestion]:
    """可生成的结算单: what the school admin can create with one click (three queries)."""
    counts = (
        charged_results()
        .filter(sheet__batch__school_id=school.pk)
        .values_list("sheet__batch__pilot__certificate__organisation_id", "sheet__batch__pilot__year")
        .annotate(assessed=Count("id"))
        .order_by()
    )
    existing = set(Settlement.objects.filter(school=school).values_list("organisation_id", "year"))
    pending = [(org_id, year, n) for org_id, year, n in counts if (org_id, year) not in existing]
    organisations = Organisation.objects.in_bulk({org_id for org_id, _year, _n in pending})
    suggestions = [Suggestion(organisations[org_id], year, n) for org_id, year, n in pending]
    return sorted(suggestions, key=lambda s: (-s.year, s.organisation.name))
