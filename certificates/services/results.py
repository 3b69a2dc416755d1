"""Writes of results (成绩): the sheet of a batch, saving a row or a whole file, and retake rows.

The states of a batch's sheet: 成绩登记中 (entering) → 成绩公示中 (notice) → 已结束 (final); the
moves between them and the objections are in ``notice.py``.

- Who may write a result: a teacher assigned to the batch (``Batch.teachers``) or the school's
  admin; after the end only the school admin. During the notice and after the end a reason is
  required. Pass/fail is computed from the level's pass mark, never typed (the rules of a score
  and of a retake are in ``certificates/scoring.py``).
- Every write of a result takes the sheet's row lock first (``lock_sheet``). That one lock stops
  three races: two saves of the same row (the second sees the first's version and is refused),
  a save slipping in after a concurrent publish or end (it sees the new status), and two first
  saves of the same seat creating two results.
- A row and a file go through the same step (``_compute_compare_apply``): validate and compute,
  compare with the stored row, check the version the user saw (``core.concurrency``), apply.
- Every change writes an audit line (before, after, reason) in the same transaction; a save that
  changes nothing writes nothing and keeps the version. While the sheet is being entered the line
  is not shared with the organisation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import UNSET, record, record_many
from core.concurrency import bump, check_version
from exam_sites.models import Batch, Seat

from ..history import (
    RESULT_CORRECTED,
    RESULT_ENTERED,
    RESULT_IMPORTED,
    RESULT_RETAKE,
    describe_values,
    score_text,
    snapshot,
)
from ..models import IssuedCertificate, Result, ResultSheet
from ..scoring import carried_parts, compute, pass_mark_for
from ..selectors.results import is_school_admin, may_enter_results, previous_attempts

Status = ResultSheet.Status
Outcome = Result.Outcome


# --- checks ------------------------------------------------------------------------------------


def lock_sheet(sheet_id: int) -> ResultSheet:
    """The sheet, row-locked (only the sheet row, not the joined batch/school rows on PostgreSQL)."""
    return (
        ResultSheet.objects.select_for_update(of=("self",))
        .select_related("batch", "batch__pilot", "batch__pilot__certificate")
        .get(pk=sheet_id)
    )


def require_status(sheet: ResultSheet, status: str, action: str) -> None:
    if sheet.status != status:
        raise ValidationError(
            _("成绩处于「%(current)s」状态，不能%(action)s。")
            % {"current": sheet.get_status_display(), "action": action}
        )


def _check_may_write(sheet: ResultSheet, actor: User, reason: str) -> None:
    batch = sheet.batch
    if sheet.status == Status.FINAL:
        if not is_school_admin(actor, batch.school_id):
            raise ValidationError(_("成绩已结束（锁定），只有学校管理员可以更正。"))
    elif not may_enter_results(actor, batch):
        raise ValidationError(_("您不是该批次的录入教师，不能录入或修改成绩。"))
    if sheet.status in (Status.NOTICE, Status.FINAL) and not reason.strip():
        raise ValidationError(
            _("成绩处于「%(status)s」状态，更正成绩须填写原因。") % {"status": sheet.get_status_display()}
        )


def _seat_for_sheet(sheet: ResultSheet, seat: Seat | int) -> Seat:
    seat_id = seat.pk if isinstance(seat, Seat) else int(seat)
    found = Seat.objects.select_related("enrolment", "session").filter(pk=seat_id, batch_id=sheet.batch_id).first()
    if found is None:
        raise ValidationError(_("该批次没有这个座位。"))
    return found


def _sheet_id_of(*, result: Result | None, sheet: ResultSheet | None, seat: Seat | int | None) -> int:
    if result is not None:
        return result.sheet_id
    if sheet is not None:
        return sheet.pk
    if isinstance(seat, Seat):
        found = ResultSheet.objects.filter(batch_id=seat.batch_id).values_list("pk", flat=True).first()
        if found is None:
            raise ValidationError(_("该批次尚未开始录入成绩。"))
        return found
    raise ValidationError(_("请指定座位或成绩。"))


def _history_tenants(sheet: ResultSheet) -> dict[str, Any]:
    """A line is shared with the organisation only once the sheet is in notice (it sees results from then)."""
    return {"organisation": None} if sheet.status == Status.ENTERING else {"organisation": UNSET}


# --- the sheet of a batch ----------------------------------------------------------------------


def result_sheet_for_batch(*, batch: Batch, actor: User) -> ResultSheet:
    """The batch's result sheet, created on first use by someone who may enter its results.

    While the sheet is being entered it also prepares the retake rows (补考) of the batch, so that the
    grid shows the parts that carry over.
    """
    sheet = ResultSheet.objects.filter(batch=batch).first()
    may_enter = may_enter_results(actor, batch)
    if sheet is None:
        if not may_enter:
            raise ValidationError(_("您不是该批次的录入教师，不能开始录入成绩。"))
        # Two users opening the batch at once: the one-to-one constraint keeps one sheet.
        sheet, _created = ResultSheet.objects.get_or_create(batch=batch)
    if may_enter and sheet.status == Status.ENTERING:
        retake_seats = Seat.objects.filter(batch=batch, is_retake=True, result__isnull=True).select_related(
            "enrolment", "session"
        )
        for seat in retake_seats:
            try:
                result_retake_create(seat=seat, actor=actor)
            except ValidationError:
                continue  # no earlier failed attempt on record: the row is entered as a whole
    return sheet


# --- saving a row or a file: one step ----------------------------------------------------------


@dataclass
class Change:
    result: Result
    before: dict[str, Any]
    created: bool


def _compute_compare_apply(
    *,
    sheet: ResultSheet,
    seat: Seat,
    current: Result | None,
    pass_mark: Decimal,
    theory: Any,
    practical: Any,
    absent: bool,
    actor: User,
    version: int | str | None,
    allow_empty: bool = False,
) -> Change | None:
    """Validate and compute a row, compare it with the stored one, check the version the user saw
    (``None``: imports, which hold the sheet's lock for the whole file) and apply it (unsaved).
    ``allow_empty``: a row already entered may be emptied again (the grid, while entering).

    None when nothing changes: no line, no new version.
    """
    computed = compute(
        batch=sheet.batch,
        pass_mark=pass_mark,
        theory=theory,
        practical=practical,
        absent=bool(absent),
        carried=current,
        allow_empty=allow_empty,
    )
    if current is None and computed.outcome == Outcome.PENDING:
        raise ValidationError(_("请填写成绩，或标记缺考。"))
    before = snapshot(current)
    if current is not None and (current.theory, current.practical, current.absent) == (
        computed.theory,
        computed.practical,
        computed.absent,
    ):
        return None
    check_version(
        current,
        version,
        current_version=current.version if current is not None else 0,
        saved=lambda: describe_values(before),
    )
    created = current is None
    if current is None:
        current = Result(sheet=sheet, seat=seat, enrolment_id=seat.enrolment_id, is_retake=seat.is_retake, version=0)
    current.theory, current.practical, current.absent = computed.theory, computed.practical, computed.absent
    current.outcome = computed.outcome
    current.updated_by = actor
    bump(current)
    return Change(current, before, created)


@transaction.atomic
def result_save(
    *,
    seat: Seat | int | None = None,
    result: Result | None = None,
    theory: Any = None,
    practical: Any = None,
    absent: bool = False,
    actor: User,
    version: int | None,
    reason: str = "",
    sheet: ResultSheet | None = None,
) -> Result:
    """Save one row of the grid (a seat's result), with the version its form was rendered with.

    ``version`` of a seat that has no result yet is 0. ``None`` skips the check (imports). A stale
    version raises ``core.concurrency.StaleVersionError`` (``current``: the stored row).
    """
    sheet = lock_sheet(_sheet_id_of(result=result, sheet=sheet, seat=seat))
    reason = (reason or "").strip()
    _check_may_write(sheet, actor, reason)
    seat_obj = _seat_for_sheet(sheet, result.seat_id if result is not None else seat)
    current = Result.objects.filter(seat=seat_obj).first()
    if (
        current is not None
        and sheet.status == Status.FINAL
        and IssuedCertificate.objects.filter(result=current, status=IssuedCertificate.Status.VALID).exists()
    ):
        raise ValidationError(_("该成绩已发证，须先撤销证书才能更正成绩。"))
    change = _compute_compare_apply(
        sheet=sheet,
        seat=seat_obj,
        current=current,
        pass_mark=pass_mark_for(sheet.batch),
        theory=theory,
        practical=practical,
        absent=absent,
        actor=actor,
        version=version,
        allow_empty=sheet.status == Status.ENTERING and current is not None,
    )
    if change is None:
        return current  # type: ignore[return-value]  # nothing changed
    change.result.save()
    action = RESULT_ENTERED if sheet.status == Status.ENTERING else RESULT_CORRECTED
    data = {"before": change.before, "after": snapshot(change.result), "reason": reason}
    record(change.result, action, actor=actor, data=data, **_history_tenants(sheet))
    return change.result


@dataclass
class BulkRow:
    seat_id: int
    theory: Decimal | None
    practical: Decimal | None
    absent: bool


@transaction.atomic
def results_bulk_save(*, sheet: ResultSheet, rows: Iterable[BulkRow], actor: User, reason: str = "") -> int:
    """Save many rows at once (the Excel import): the same step as ``result_save``, bulk writes,
    one line per changed result. Only while the sheet is being entered."""
    sheet = lock_sheet(sheet.pk)
    if sheet.status != Status.ENTERING:
        raise ValidationError(_("成绩公示开始后不能再导入，请逐条更正并填写原因。"))
    _check_may_write(sheet, actor, reason)
    pass_mark = pass_mark_for(sheet.batch)
    # The whole batch in two queries (a batch is a few hundred seats), read again under the sheet's
    # lock: a file's ids would split into many IN lists on SQLite and be as large as the batch.
    seats = {s.pk: s for s in Seat.objects.filter(batch_id=sheet.batch_id)}
    existing = {r.seat_id: r for r in Result.objects.filter(sheet=sheet)}
    changes: list[Change] = []
    for row in rows:
        seat = seats.get(row.seat_id)
        if seat is None:
            raise ValidationError(_("该批次没有这个座位。"))
        change = _compute_compare_apply(
            sheet=sheet,
            seat=seat,
            current=existing.get(seat.pk),
            pass_mark=pass_mark,
            theory=row.theory,
            practical=row.practical,
            absent=row.absent,
            actor=actor,
            version=None,
        )
        if change is not None:
            changes.append(change)
    Result.objects.bulk_create([c.result for c in changes if c.created], batch_size=1000)
    updated = [c.result for c in changes if not c.created]
    Result.objects.bulk_update(
        updated, ["theory", "practical", "absent", "outcome", "version", "updated_by", "updated_at"], batch_size=1000
    )
    now = timezone.now()
    for result in updated:
        result.updated_at = now
    record_many(
        [(c.result, {"before": c.before, "after": snapshot(c.result), "reason": reason.strip()}) for c in changes],
        RESULT_IMPORTED,
        actor=actor,
        school=sheet.batch.school_id,
        organisation=None,
    )
    return len(changes)


# --- retakes -----------------------------------------------------------------------------------


def _previous_attempt(seat: Seat, attempts: list[Result], previous: Result | None) -> Result:
    """The attempt a retake follows: the latest ended one, failed or absent."""
    if previous is None:
        previous = attempts[0] if attempts else None
    if previous is None:
        raise ValidationError(_("该考生没有已结束的前次成绩，不能按补考登记。"))
    if previous.enrolment_id != seat.enrolment_id:
        raise ValidationError(_("前次成绩与该座位不是同一考生、同一试点。"))
    if attempts and previous.pk != attempts[0].pk:
        raise ValidationError(_("只能依据最近一次已结束的成绩登记补考。"))
    if previous.outcome not in (Outcome.FAIL, Outcome.ABSENT):
        raise ValidationError(_("前次成绩为「%(o)s」，无需补考。") % {"o": previous.get_outcome_display()})
    return previous


@transaction.atomic
def result_retake_create(*, seat: Seat, actor: User, previous: Result | None = None) -> Result:
    """The retake row (补考) of a candidate who failed or was absent, in a later batch of the same pilot.

    Where the certificate has theory and practical, a part passed in an earlier attempt carries over
    (its value is copied and flagged ``*_carried``) while it is within ``RESULT_CARRY_OVER_YEARS`` of
    the attempt that passed it; only the other part is entered.
    """
    seat = Seat.objects.select_related("batch", "batch__pilot", "batch__pilot__certificate", "session").get(pk=seat.pk)
    sheet = ResultSheet.objects.filter(batch_id=seat.batch_id).first()
    if sheet is None:
        raise ValidationError(_("该批次尚未开始录入成绩。"))
    sheet = lock_sheet(sheet.pk)
    require_status(sheet, Status.ENTERING, str(_("登记补考")))
    if not may_enter_results(actor, seat.batch):
        raise ValidationError(_("您不是该批次的录入教师，不能录入或修改成绩。"))
    if not seat.is_retake:
        raise ValidationError(_("该座位不是补考座位。"))
    if Result.objects.filter(seat=seat).exists():
        raise ValidationError(_("该座位已有成绩。"))
    attempts = previous_attempts(seat)
    _previous_attempt(seat, attempts, previous)
    carried = carried_parts(seat, attempts)
    result = Result(
        sheet=sheet,
        seat=seat,
        enrolment_id=seat.enrolment_id,
        is_retake=True,
        theory=carried["theory"][0] if "theory" in carried else None,
        practical=carried["practical"][0] if "practical" in carried else None,
        theory_carried="theory" in carried,
        practical_carried="practical" in carried,
        version=1,
        updated_by=actor,
    )
    result.save()
    data = {
        "before": snapshot(None),
        "after": snapshot(result),
        "reason": "",
        "carried": {part: {"value": score_text(v), "on": day.isoformat()} for part, (v, day) in carried.items()},
    }
    record(result, RESULT_RETAKE, actor=actor, data=data, organisation=None)
    return result
