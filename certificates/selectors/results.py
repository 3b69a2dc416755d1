"""Reads of results: what each role sees.

- a school (admin and teachers) sees all its batches' sheets; teachers may enter only those of the
  batches they are assigned to, the rest read-only;
- the reviewers of the certificate's organisation see sheets of every school from 成绩公示中 on,
  read-only, never while they are being entered (``sheets_visible`` and ``results_visible``);
- nobody else sees anything (the scoped managers).

A result's history is its lines of the audit log (``result_history``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from accounts.roles import Role
from accounts.selectors import memberships_of
from core.audit import Line, history
from core.scoping import ORGANISATION, current_tenant
from exam_sites.models import Batch, Seat

from ..models import Objection, Result, ResultSheet

Status = ResultSheet.Status
PUBLISHED = (Status.NOTICE, Status.FINAL)


def _for_organisation() -> bool:
    ref = current_tenant()
    return ref is not None and ref.kind == ORGANISATION


def is_school_admin(user: User, school_id: int) -> bool:
    return any(m.school_id == school_id and m.role == Role.SCHOOL_ADMIN for m in memberships_of(user))


def may_enter_results(user: User, batch: Batch) -> bool:
    """A teacher assigned to the batch, or the school's admin (the sheet's state decides the rest)."""
    if is_school_admin(user, batch.school_id):
        return True
    if not any(m.school_id == batch.school_id and m.role == Role.TEACHER for m in memberships_of(user)):
        return False
    return batch.teachers.filter(pk=user.pk).exists()


def may_write_sheet(user: User, sheet: ResultSheet) -> bool:
    """Whether the user may change results of the sheet in its current state (for the pages)."""
    if sheet.status == Status.FINAL:
        return is_school_admin(user, sheet.batch.school_id)
    return may_enter_results(user, sheet.batch)


def sheets_visible() -> QuerySet[ResultSheet]:
    qs = ResultSheet.objects.select_related(
        "batch", "batch__school", "batch__pilot", "batch__pilot__certificate", "batch__site", "published_by", "ended_by"
    )
    if _for_organisation():
        qs = qs.filter(status__in=PUBLISHED)
    return qs


def sheet_get(*, sheet_id: int) -> ResultSheet:
    return get_object_or_404(sheets_visible(), pk=sheet_id)


def results_visible() -> QuerySet[Result]:
    qs = Result.objects.select_related(
        "sheet",
        "sheet__batch",
        "sheet__batch__pilot",
        "sheet__batch__pilot__certificate",
        "seat",
        "seat__session",
        "enrolment__person",
        "enrolment__person__school_class",
        "updated_by",
    )
    if _for_organisation():
        qs = qs.filter(sheet__status__in=PUBLISHED)
    return qs


def result_get(*, result_id: int) -> Result:
    return get_object_or_404(results_visible(), pk=result_id)


def result_history(result: Result) -> list[Line]:
    """Every change to the result, oldest first (an organisation sees the lines shared with it)."""
    return history(result)


def objection_get(*, objection_id: int) -> Objection:
    qs = Objection.objects.select_related("sheet", "sheet__batch")
    if _for_organisation():
        qs = qs.filter(sheet__status__in=PUBLISHED)
    return get_object_or_404(qs, pk=objection_id)


def sheet_objections(sheet: ResultSheet) -> QuerySet[Objection]:
    return (
        Objection.objects.filter(sheet=sheet)
        .select_related("result__enrolment__person", "recorded_by")
        .order_by("received_on", "id")
    )


@dataclass
class BatchRow:
    batch: Batch
    sheet: ResultSheet | None
    can_enter: bool


def result_batches(*, user: User) -> list[BatchRow]:
    """The results index: batches of the school (with their sheet, if any), or, for an
    organisation, the batches whose results are published."""
    qs = Batch.objects.select_related("school", "pilot", "pilot__certificate", "site", "result_sheet").order_by(
        "-created_at", "-id"
    )
    if _for_organisation():
        return [BatchRow(b, b.result_sheet, False) for b in qs.filter(result_sheet__status__in=PUBLISHED)]
    batches = list(qs)
    assigned = set(Batch.teachers.through.objects.filter(user=user).values_list("batch_id", flat=True))
    rows = []
    for batch in batches:
        sheet = getattr(batch, "result_sheet", None) if hasattr(batch, "result_sheet") else None
        can = is_school_admin(user, batch.school_id) or batch.pk in assigned
        rows.append(BatchRow(batch, sheet, can))
    rows.sort(key=lambda r: not r.can_enter)  # the user's own batches first
    return rows


def entry_batches(*, user: User) -> QuerySet[Batch]:
    """Batches whose results the user may start entering (the choice of the open form)."""
    qs = Batch.objects.all()
    school_ids = {m.school_id for m in memberships_of(user) if m.role == Role.SCHOOL_ADMIN}
    return qs.filter(Q(school_id__in=school_ids) | Q(teachers=user)).distinct()


@dataclass
class GridRow:
    seat: Seat
    result: Result | None

    @property
    def version(self) -> int:
        return self.result.version if self.result else 0


def grid_rows(sheet: ResultSheet) -> list[GridRow]:
    """One row per seat of the batch, in session and seat order, with its result if entered."""
    seats = (
        Seat.objects.filter(batch_id=sheet.batch_id)
        .select_related("session", "session__room", "enrolment__person", "enrolment__person__school_class", "result")
        .order_by("session__date", "session__starts_at", "session_id", "number")
    )
    rows = []
    for seat in seats:
        try:
            result = seat.result
        except Result.DoesNotExist:
            result = None
        rows.append(GridRow(seat, result))
    return rows


@dataclass
class SheetSummary:
    seats: int
    entered: int
    first_attempts: dict[str, int]
    retakes: dict[str, int]


def sheet_summary(sheet: ResultSheet) -> SheetSummary:
    """Counts by outcome, first attempts (新考) and retakes (补考) apart."""
    seats = Seat.objects.filter(batch_id=sheet.batch_id).count()
    counts = Result.objects.filter(sheet=sheet).values("is_retake", "outcome").annotate(n=Count("id"))
    first: dict[str, int] = {o: 0 for o in Result.Outcome.values}
    retake: dict[str, int] = {o: 0 for o in Result.Outcome.values}
    for row in counts:
        (retake if row["is_retake"] else first)[row["outcome"]] += row["n"]
    entered = sum(v for k, v in first.items() if k != Result.Outcome.PENDING) + sum(
        v for k, v in retake.items() if k != Result.Outcome.PENDING
    )
    return SheetSummary(seats=seats, entered=entered, first_attempts=first, retakes=retake)


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
