"""Writes of results (成绩): the sheet of a batch, saving a row, publishing, objections, ending, retakes.

The states of a batch's sheet: 成绩登记中 (entering) → 成绩公示中 (notice) → 已结束 (final).

- Who may write a result: a teacher assigned to the batch (``Batch.teachers``) or the school's
  admin; after the end only the school admin. During the notice and after the end a reason is
  required. Pass/fail is computed from the level's pass mark, never typed.
- Every write of a result takes the sheet's row lock first (``_lock_sheet``). That one lock stops
  three races: two saves of the same row (the second sees the first's version and is refused),
  a save slipping in after a concurrent publish or end (it sees the new status), and two first
  saves of the same seat creating two results.
- Every change to a result writes a ``ResultChange`` (who, when, old and new values, why) in the
  same transaction; a save that changes nothing writes nothing and keeps the version.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from exam_sites.models import Batch, Seat
from pilots.models import CertificateLevel

from .models import IssuedCertificate, Objection, Result, ResultChange, ResultSheet
from .results_selectors import is_school_admin, may_enter_results

Status = ResultSheet.Status
Outcome = Result.Outcome
ONE_DECIMAL = Decimal("0.1")
MAX_NOTICE_DAYS = 30


# --- helpers ---------------------------------------------------------------------------------


def _lock_sheet(sheet_id: int) -> ResultSheet:
    # Lock only the sheet row (not the joined batch/school rows on PostgreSQL): see the module doc.
    return (
        ResultSheet.objects.select_for_update(of=("self",))
        .select_related("batch", "batch__pilot", "batch__pilot__certificate")
        .get(pk=sheet_id)
    )


def pass_mark_for(batch: Batch) -> Decimal:
    """The pass mark of the batch's certificate level (the catalogue)."""
    level = CertificateLevel.objects.filter(certificate_id=batch.pilot.certificate_id, level=batch.pilot.level).first()
    if level is None:
        raise ValidationError(_("证书目录中没有该等级的合格分数线，请联系平台管理员。"))
    return level.pass_mark


def _score(value: Any, label: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        score = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(_("%(part)s须为数字。") % {"part": label}) from exc
    if not score.is_finite() or score < 0 or score > 100:
        raise ValidationError(_("%(part)s须在 0 到 100 之间。") % {"part": label})
    if score != score.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP):
        raise ValidationError(_("%(part)s最多保留一位小数。") % {"part": label})
    return score.quantize(ONE_DECIMAL)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format(value.quantize(ONE_DECIMAL).normalize(), "f")


def snapshot(result: Result | None) -> dict[str, Any]:
    """The values a change records (and a stale save reports)."""
    if result is None:
        return {"theory": None, "practical": None, "absent": False, "outcome": Outcome.PENDING}
    return {
        "theory": _text(result.theory),
        "practical": _text(result.practical),
        "absent": result.absent,
        "outcome": result.outcome,
    }


def describe(values: dict[str, Any]) -> str:
    """A result's values in words, e.g. "理论 80 / 实操 55 · 不合格"."""
    if values.get("outcome") == Outcome.ABSENT:
        return str(Outcome.ABSENT.label)
    parts = []
    if values.get("theory") is not None:
        parts.append(_("理论 %(v)s") % {"v": values["theory"]})
    if values.get("practical") is not None:
        parts.append(_("实操 %(v)s") % {"v": values["practical"]})
    outcome = Outcome(values.get("outcome") or Outcome.PENDING).label
    return " / ".join(parts) + (" · " if parts else "") + str(outcome)


class StaleResultError(ValidationError):
    """The row was changed by someone else since the form was rendered; ``current`` is the newer row."""

    def __init__(self, message: str, current: Result) -> None:
        super().__init__(message)
        self.current = current


@dataclass(frozen=True)
class Computed:
    theory: Decimal | None
    practical: Decimal | None
    absent: bool
    outcome: str


def compute(
    *,
    batch: Batch,
    pass_mark: Decimal,
    theory: Any,
    practical: Any,
    absent: bool,
    carried: Result | None = None,
    allow_empty: bool = False,
) -> Computed:
    """Validate one row and compute its outcome. A carried-over part keeps its stored value."""
    certificate = batch.pilot.certificate
    theory_carried = carried is not None and carried.theory_carried
    practical_carried = carried is not None and carried.practical_carried
    theory_value = carried.theory if theory_carried else _score(theory, str(_("理论成绩")))
    practical_value = carried.practical if practical_carried else _score(practical, str(_("实操成绩")))
    if not certificate.has_theory and theory_value is not None:
        raise ValidationError(_("该证书没有理论考核，不能填写理论成绩。"))
    if not certificate.has_practical and practical_value is not None:
        raise ValidationError(_("该证书没有实操考核，不能填写实操成绩。"))
    if absent:
        if (theory_value is not None and not theory_carried) or (practical_value is not None and not practical_carried):
            raise ValidationError(_("缺考的考生不能填写成绩。"))
        return Computed(theory_value, practical_value, True, Outcome.ABSENT)
    entered = [
        v
        for v, carried_part in ((theory_value, theory_carried), (practical_value, practical_carried))
        if v is not None and not carried_part
    ]
    if allow_empty and not entered:
        return Computed(theory_value, practical_value, False, Outcome.PENDING)
    missing = []
    if certificate.has_theory and theory_value is None:
        missing.append(str(_("理论成绩")))
    if certificate.has_practical and practical_value is None:
        missing.append(str(_("实操成绩")))
    if missing:
        raise ValidationError(_("请填写%(parts)s，或标记缺考。") % {"parts": "、".join(missing)})
    required = [v for v in (theory_value, practical_value) if v is not None]
    outcome = Outcome.PASS if all(v >= pass_mark for v in required) else Outcome.FAIL
    return Computed(theory_value, practical_value, False, outcome)


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


def _record(result: Result, *, actor: User | None, old: dict[str, Any], reason: str) -> ResultChange:
    return ResultChange.objects.create(
        result=result, changed_by=actor, old_values=old, new_values=snapshot(result), reason=reason.strip()
    )


# --- the sheet of a batch --------------------------------------------------------------------


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


# --- saving a row ----------------------------------------------------------------------------


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

    ``version`` of a seat that has no result yet is 0. ``None`` skips the check (imports).
    """
    if result is not None:
        sheet_id = result.sheet_id
        seat = result.seat_id
    elif sheet is not None:
        sheet_id = sheet.pk
    elif isinstance(seat, Seat):
        found = ResultSheet.objects.filter(batch_id=seat.batch_id).values_list("pk", flat=True).first()
        if found is None:
            raise ValidationError(_("该批次尚未开始录入成绩。"))
        sheet_id = found
    else:
        raise ValidationError(_("请指定座位或成绩。"))
    sheet = _lock_sheet(sheet_id)
    reason = reason or ""
    _check_may_write(sheet, actor, reason)
    seat_obj = _seat_for_sheet(sheet, seat)
    current = Result.objects.filter(seat=seat_obj).first()
    if (
        current is not None
        and sheet.status == Status.FINAL
        and IssuedCertificate.objects.filter(result=current, status=IssuedCertificate.Status.VALID).exists()
    ):
        raise ValidationError(_("该成绩已发证，须先撤销证书才能更正成绩。"))
    computed = compute(
        batch=sheet.batch,
        pass_mark=pass_mark_for(sheet.batch),
        theory=theory,
        practical=practical,
        absent=bool(absent),
        carried=current,
        allow_empty=sheet.status == Status.ENTERING and current is not None,
    )
    old = snapshot(current)
    if current is None and computed.outcome == Outcome.PENDING:
        raise ValidationError(_("请填写成绩，或标记缺考。"))
    if current is not None and (current.theory, current.practical, current.absent) == (
        computed.theory,
        computed.practical,
        computed.absent,
    ):
        return current  # nothing changed: no history row, no new version
    current_version = current.version if current is not None else 0
    if version is not None and int(version) != current_version:
        raise StaleResultError(
            _("该成绩已被%(user)s修改为「%(value)s」，您的修改未保存。请核对后重新填写。")
            % {
                "user": (current.updated_by if current and current.updated_by else _("他人")),
                "value": describe(old),
            },
            current=current,  # type: ignore[arg-type]
        )
    if current is None:
        current = Result(
            sheet=sheet, seat=seat_obj, enrolment_id=seat_obj.enrolment_id, is_retake=seat_obj.is_retake, version=0
        )
    current.theory, current.practical, current.absent = computed.theory, computed.practical, computed.absent
    current.outcome = computed.outcome
    current.version += 1
    current.updated_by = actor
    current.save()
    _record(current, actor=actor, old=old, reason=reason)
    return current


@dataclass
class BulkRow:
    seat_id: int
    theory: Decimal | None
    practical: Decimal | None
    absent: bool


@transaction.atomic
def results_bulk_save(*, sheet: ResultSheet, rows: Iterable[BulkRow], actor: User, reason: str = "") -> int:
    """Save many rows at once (the Excel import): the same rules as ``result_save``, bulk writes,
    one history row per changed result. Only while the sheet is being entered."""
    sheet = _lock_sheet(sheet.pk)
    if sheet.status != Status.ENTERING:
        raise ValidationError(_("成绩公示开始后不能再导入，请逐条更正并填写原因。"))
    _check_may_write(sheet, actor, reason)
    pass_mark = pass_mark_for(sheet.batch)
    rows = list(rows)
    # The whole batch in two queries (a batch is a few hundred seats), read again under the sheet's
    # lock: a file's ids would split into many IN lists on SQLite and be as large as the batch.
    seats = {s.pk: s for s in Seat.objects.filter(batch_id=sheet.batch_id)}
    existing = {r.seat_id: r for r in Result.objects.filter(sheet=sheet)}
    created, updated, changes = [], [], []
    for row in rows:
        seat = seats.get(row.seat_id)
        if seat is None:
            raise ValidationError(_("该批次没有这个座位。"))
        current = existing.get(seat.pk)
        computed = compute(
            batch=sheet.batch,
            pass_mark=pass_mark,
            theory=row.theory,
            practical=row.practical,
            absent=row.absent,
            carried=current,
        )
        old = snapshot(current)
        if current is not None and (current.theory, current.practical, current.absent) == (
            computed.theory,
            computed.practical,
            computed.absent,
        ):
            continue
        if current is None:
            current = Result(
                sheet=sheet, seat=seat, enrolment_id=seat.enrolment_id, is_retake=seat.is_retake, version=0
            )
            created.append(current)
        else:
            updated.append(current)
        current.theory, current.practical, current.absent = computed.theory, computed.practical, computed.absent
        current.outcome = computed.outcome
        current.version += 1
        current.updated_by = actor
        changes.append((current, old))
    Result.objects.bulk_create(created, batch_size=1000)
    Result.objects.bulk_update(
        updated, ["theory", "practical", "absent", "outcome", "version", "updated_by", "updated_at"], batch_size=1000
    )
    now = timezone.now()
    for result in updated:
        result.updated_at = now
    ResultChange.objects.bulk_create(
        [
            ResultChange(
                result=result,
                changed_by=actor,
                old_values=old,
                new_values=snapshot(result),
                reason=reason.strip() or str(_("Excel 导入")),
            )
            for result, old in changes
        ],
        batch_size=1000,
    )
    return len(changes)


# --- the sheet's states ----------------------------------------------------------------------


def _require_admin(sheet: ResultSheet, actor: User, action: str) -> None:
    if not is_school_admin(actor, sheet.batch.school_id):
        raise ValidationError(_("只有学校管理员可以%(action)s。") % {"action": action})


def _require_status(sheet: ResultSheet, status: str, action: str) -> None:
    if sheet.status != status:
        raise ValidationError(
            _("成绩处于「%(current)s」状态，不能%(action)s。")
            % {"current": sheet.get_status_display(), "action": action}
        )


def sheet_missing_count(sheet: ResultSheet) -> int:
    """Seats of the batch whose result is not entered yet."""
    seats = Seat.objects.filter(batch_id=sheet.batch_id).count()
    entered = Result.objects.filter(sheet=sheet).exclude(outcome=Outcome.PENDING).count()
    return max(seats - entered, 0)


@transaction.atomic
def sheet_publish(
    *, sheet: ResultSheet, actor: User, notice_days: int | None = None, today: datetime.date | None = None
) -> ResultSheet:
    """成绩登记中 → 成绩公示中: the school admin publishes the entered results for the notice period."""
    # Lock the sheet: a row saved while publishing must be either in before or refused after.
    sheet = _lock_sheet(sheet.pk)
    action = str(_("发布公示"))
    _require_admin(sheet, actor, action)
    _require_status(sheet, Status.ENTERING, action)
    if not Seat.objects.filter(batch_id=sheet.batch_id).exists():
        raise ValidationError(_("该批次没有考生，不能发布公示。"))
    missing = sheet_missing_count(sheet)
    if missing:
        raise ValidationError(_("还有 %(n)s 名考生的成绩未录入，不能发布公示。") % {"n": missing})
    days = sheet.notice_days if notice_days is None else int(notice_days)
    if days < 0 or days > MAX_NOTICE_DAYS:
        raise ValidationError(_("公示天数须在 0 到 %(max)s 天之间。") % {"max": MAX_NOTICE_DAYS})
    today = today or timezone.localdate()
    sheet.status = Status.NOTICE
    sheet.notice_days = days
    sheet.published_at = timezone.now()
    sheet.published_by = actor
    sheet.notice_ends_on = today + datetime.timedelta(days=days)
    sheet.save(update_fields=["status", "notice_days", "published_at", "published_by", "notice_ends_on"])
    return sheet


@transaction.atomic
def sheet_end(*, sheet: ResultSheet, actor: User, today: datetime.date | None = None) -> ResultSheet:
    """成绩公示中 → 已结束: final and locked; from now on certificates can be issued.

    Never before the notice's last day, and never while an objection waits for its answer.
    """
    # Lock the sheet: an objection or correction recorded meanwhile must be seen here.
    sheet = _lock_sheet(sheet.pk)
    action = str(_("结束公示"))
    _require_admin(sheet, actor, action)
    _require_status(sheet, Status.NOTICE, action)
    today = today or timezone.localdate()
    if sheet.notice_ends_on and today < sheet.notice_ends_on:
        raise ValidationError(
            _("公示期至 %(date)s，公示期满前不能结束。") % {"date": sheet.notice_ends_on.strftime("%Y-%m-%d")}
        )
    open_count = Objection.objects.filter(sheet=sheet, status=Objection.Status.OPEN).count()
    if open_count:
        raise ValidationError(_("还有 %(n)s 条异议未答复，不能结束公示。") % {"n": open_count})
    sheet.status = Status.FINAL
    sheet.ended_at = timezone.now()
    sheet.ended_by = actor
    sheet.save(update_fields=["status", "ended_at", "ended_by"])
    return sheet


@transaction.atomic
def objection_record(
    *,
    sheet: ResultSheet,
    actor: User,
    received_on: datetime.date,
    raised_by: str,
    content: str,
    result: Result | None = None,
) -> Objection:
    """The school admin records an objection raised during the notice (candidates have no login)."""
    # Lock the sheet: an objection must not slip in after a concurrent end.
    sheet = _lock_sheet(sheet.pk)
    action = str(_("登记异议"))
    _require_admin(sheet, actor, action)
    _require_status(sheet, Status.NOTICE, action)
    if result is not None and result.sheet_id != sheet.pk:
        raise ValidationError(_("该成绩不属于这个批次。"))
    if not raised_by.strip() or not content.strip():
        raise ValidationError(_("请填写提出人和异议内容。"))
    if received_on > timezone.localdate():
        raise ValidationError(_("收到日期不能晚于今天。"))
    return Objection.objects.create(
        sheet=sheet,
        result=result,
        received_on=received_on,
        raised_by=raised_by.strip(),
        content=content.strip(),
        recorded_by=actor,
    )


@transaction.atomic
def objection_answer(*, objection: Objection, actor: User, answer: str) -> Objection:
    """The school admin records the answer to an objection, during the notice."""
    sheet = _lock_sheet(objection.sheet_id)
    action = str(_("答复异议"))
    _require_admin(sheet, actor, action)
    _require_status(sheet, Status.NOTICE, action)
    # Lock the objection too: two answers at once must not both pass the status check.
    objection = Objection.objects.select_for_update(of=("self",)).get(pk=objection.pk)
    if objection.status != Objection.Status.OPEN:
        raise ValidationError(_("该异议已答复。"))
    if not answer.strip():
        raise ValidationError(_("请填写答复内容。"))
    objection.answer = answer.strip()
    objection.status = Objection.Status.ANSWERED
    objection.answered_at = timezone.now()
    objection.save(update_fields=["answer", "status", "answered_at"])
    return objection


# --- retakes ---------------------------------------------------------------------------------


def _years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def previous_attempts(seat: Seat) -> list[Result]:
    """The candidate's final results of the same pilot before this seat's session, latest first."""
    return list(
        Result.objects.filter(
            enrolment_id=seat.enrolment_id,
            sheet__status=Status.FINAL,
            seat__session__date__lt=seat.session.date,
        )
        .exclude(sheet__batch_id=seat.batch_id)
        .select_related("seat__session")
        .order_by("-seat__session__date", "-id")
    )


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
    sheet = _lock_sheet(sheet.pk)
    _require_status(sheet, Status.ENTERING, str(_("登记补考")))
    if not may_enter_results(actor, seat.batch):
        raise ValidationError(_("您不是该批次的录入教师，不能录入或修改成绩。"))
    if not seat.is_retake:
        raise ValidationError(_("该座位不是补考座位。"))
    if Result.objects.filter(seat=seat).exists():
        raise ValidationError(_("该座位已有成绩。"))
    attempts = previous_attempts(seat)
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
    certificate = seat.batch.pilot.certificate
    pass_mark = pass_mark_for(seat.batch)
    carried: dict[str, tuple[Decimal, datetime.date]] = {}
    if certificate.has_theory and certificate.has_practical:
        years = settings.RESULT_CARRY_OVER_YEARS
        for part in ("theory", "practical"):
            for attempt in attempts:
                value = getattr(attempt, part)
                passed_on = attempt.seat.session.date
                if getattr(attempt, f"{part}_carried") or attempt.absent or value is None:
                    continue  # only a part actually sat and passed counts, from the day it was sat
                if value >= pass_mark and seat.session.date <= _years_later(passed_on, years):
                    carried[part] = (value, passed_on)
                break  # the latest sitting of the part decides
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
    labels = {"theory": _("理论成绩"), "practical": _("实操成绩")}
    notes = [
        _("沿用 %(date)s 的%(part)s %(value)s")
        % {"date": day.strftime("%Y-%m-%d"), "part": labels[part], "value": _text(value)}
        for part, (value, day) in carried.items()
    ]
    reason = _("补考") + ("：" + "；".join(str(n) for n in notes) if notes else "")
    _record(result, actor=actor, old=snapshot(None), reason=str(reason))
    return result
