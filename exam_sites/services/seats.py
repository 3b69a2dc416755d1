"""Writes of seats (the school): allocate a batch's candidates to its sessions, move one candidate.

Both read capacity first (free seats, the site's daily maximum), so they lock the exam site's row
(``common.lock_site``). The placing itself is the pure function ``allocation.allocate``. Every run
and every move leaves its line in the audit log on the batch (``scheduling.seats.allocated/
reallocated``, ``scheduling.seat.moved``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import record
from students.models import Enrolment

from ..models import Batch, ExamSession, ExamSite, Seat
from ..selectors.batches import site_day_count
from . import allocation
from .common import day_text, lock_site, time_text


@dataclass
class AllocationReport:
    placed: int = 0
    already_seated: int = 0
    unplaced: list[tuple[Enrolment, str]] = field(default_factory=list)  # (candidate, why, in words)


def _reason_text(reason: str, *, site: ExamSite) -> str:
    return {
        allocation.NO_SESSIONS: _("本批次还没有场次。"),
        allocation.SEATS_FULL: _("所有场次的座位都已分配完。"),
        allocation.DAILY_MAX: _("尚有空座的日期都已达到考点每天最大考核量（%(max)s 人）。") % {"max": site.daily_max},
    }[reason]


def _clear(batch: Batch) -> int:
    """Remove the batch's seats before a fresh start; refused once a candidate has a result."""
    # A seat with a result is the exam record: re-seating the batch would orphan it. (The reverse
    # relation is read by name: exam_sites does not import certificates.)
    with_results = Seat.objects.filter(batch=batch, result__isnull=False).count()
    if with_results:
        raise ValidationError(
            _("已有 %(n)s 名考生录入了成绩，不能重新排座；如需调整，请逐个调整座位。") % {"n": with_results}
        )
    return Seat.objects.filter(batch=batch).delete()[1].get(Seat._meta.label, 0)


def _slots(batch: Batch, site: ExamSite) -> tuple[list[allocation.Slot], dict[Any, int]]:
    """The batch's sessions as the allocation sees them, and what the site may still take each day."""
    sessions = list(ExamSession.objects.filter(batch=batch).order_by("date", "starts_at", "id"))
    taken: dict[int, set[int]] = {s.pk: set() for s in sessions}
    for session_id, number in Seat.objects.filter(session__in=sessions).values_list("session_id", "number"):
        taken[session_id].add(number)
    day_capacity = {day: site.daily_max - site_day_count(site=site, day=day) for day in {s.date for s in sessions}}
    slots = [
        allocation.Slot(id=s.pk, day=s.date, starts_at=s.starts_at, seats=s.seats, taken=frozenset(taken[s.pk]))
        for s in sessions
    ]
    return slots, day_capacity


def seats_allocate(*, batch: Batch, actor: User, reset: bool = False) -> AllocationReport:
    """Seat the pilot's enrolled candidates who have no seat in this batch yet (all of them when
    ``reset``), in one transaction. Every run is written to the history, also one that placed nobody:
    the admin asked, and the answer (who could not be placed) is part of the record."""
    with transaction.atomic():
        site = lock_site(batch.site_id)
        cleared = _clear(batch) if reset else 0
        slots, day_capacity = _slots(batch, site)
        seated = set(Seat.objects.filter(batch=batch).values_list("enrolment_id", flat=True))
        enrolments = {
            e.pk: e
            for e in Enrolment.objects.filter(pilot_id=batch.pilot_id)
            .select_related("person", "person__school_class")
            .order_by("person__school_class__code", "person__name", "id")
        }
        candidates = [
            allocation.Candidate(id=pk, group=e.person.school_class_id)
            for pk, e in enrolments.items()
            if pk not in seated
        ]
        result = allocation.allocate(candidates, slots, day_capacity)
        Seat.objects.bulk_create(
            Seat(batch=batch, session_id=p.session, enrolment_id=p.candidate, number=p.number)
            for p in result.placements
        )
        report = AllocationReport(
            placed=len(result.placements),
            already_seated=len(seated & set(enrolments)),
            unplaced=[(enrolments[u.candidate], _reason_text(u.reason, site=site)) for u in result.unplaced],
        )
        data = {
            "placed": report.placed,
            "already_seated": report.already_seated,
            "cleared": cleared,
            "unplaced": len(report.unplaced),
            "placed_by_session": {str(k): len(v) for k, v in result.by_session().items()},
            "unplaced_enrolment_ids": [u.candidate for u in result.unplaced],
        }
        action = "scheduling.seats.reallocated" if reset else "scheduling.seats.allocated"
        record(batch, action, actor=actor, data=data)
    return report


def _slot(session: ExamSession) -> dict[str, str]:
    return {
        "date": day_text(session.date),
        "starts_at": time_text(session.starts_at),
        "ends_at": time_text(session.ends_at),
        "room": session.room.name,
    }


def _check_target(session: ExamSession, seat: Seat, site: ExamSite, others: Counter) -> None:
    """The target session has a free seat, and the target day is within the site's daily maximum."""
    if session.batch_id != seat.batch_id:
        raise ValidationError(_("只能调到本批次的场次。"))
    if sum(others.values()) >= session.seats:
        raise ValidationError(
            _("场次 %(session)s 已满：%(seats)s 个座位已全部分配。") % {"session": str(session), "seats": session.seats}
        )
    if session.date != seat.session.date:
        count = site_day_count(site=site, day=session.date)
        if count + 1 > site.daily_max:
            raise ValidationError(
                _("%(day)s 考点已安排 %(count)s 人，已达每天最大考核量 %(max)s 人，不能再调入 %(name)s。")
                % {
                    "day": day_text(session.date),
                    "count": count,
                    "max": site.daily_max,
                    "name": seat.enrolment.person.name,
                }
            )


def _seat_number(session: ExamSession, seat: Seat, number: int | None, others: Counter) -> int:
    """The number asked for if it is free (the lowest free one when none is asked for)."""
    if number is None:
        number = next(n for n in range(1, session.seats + 1) if n not in others)
    elif not 1 <= number <= session.seats:
        raise ValidationError(
            _("座位号须在 1 到 %(seats)s 之间，填写的是 %(number)s。") % {"seats": session.seats, "number": number}
        )
    elif number in others:
        holder = Seat.objects.filter(session=session, number=number).select_related("enrolment__person").first()
        raise ValidationError(
            _("场次 %(session)s 的 %(number)s 号座位已由 %(holder)s 使用。")
            % {"session": str(session), "number": number, "holder": holder.enrolment.person.name if holder else "—"}
        )
    if session.pk == seat.session_id and number == seat.number:
        raise ValidationError(
            _("%(name)s 已在该场次的 %(number)s 号座位。") % {"name": seat.enrolment.person.name, "number": number}
        )
    return number


def seat_move(*, seat: Seat, session: ExamSession, actor: User, number: int | None = None) -> Seat:
    """Move one candidate to another session (or seat), with the same rules as the allocation; the
    history keeps from where to where."""
    with transaction.atomic():
        site = lock_site(seat.batch.site_id)
        seat = Seat.objects.select_related("batch__pilot__certificate", "session__room", "enrolment__person").get(
            pk=seat.pk
        )
        others = Counter(Seat.objects.filter(session=session).exclude(pk=seat.pk).values_list("number", flat=True))
        _check_target(session, seat, site, others)
        number = _seat_number(session, seat, number, others)
        origin, origin_number = seat.session, seat.number
        seat.session = session
        seat.number = number
        seat.save(update_fields=["session", "number"])
        data = {
            "seat_id": seat.pk,
            "enrolment_id": seat.enrolment_id,
            "name": seat.enrolment.person.name,
            "from_session_id": origin.pk,
            "from_number": origin_number,
            "from_slot": _slot(origin),
            "to_session_id": session.pk,
            "to_number": number,
            "to_slot": _slot(session),
        }
        record(seat.batch, "scheduling.seat.moved", actor=actor, data=data)
    return seat
