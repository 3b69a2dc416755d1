"""Writes of sessions (the school): add one to a batch, delete an empty one; and the session list PDF.

Adding a session reads capacity first (the room's timetable, the invigilator's day), so it locks the
exam site's row (``common.lock_site``). Both writes leave their line in the audit log
(``scheduling.session.created/deleted``, on the batch), with the session's values of that moment.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import record
from core.models import StoredFile
from core.pdf import render_pdf

from ..models import Batch, ExamRoom, ExamSession, Seat
from ..selectors.batches import invigilators_for, session_get, session_list_document
from .batches import registration_closed
from .common import day_text, lock_site, staff_name, time_text


def session_data(session: ExamSession) -> dict[str, Any]:
    """A session's values for the history: they stay readable after the session is deleted."""
    return {
        "session_id": session.pk,
        "room_id": session.room_id,
        "room": session.room.name,
        "date": day_text(session.date),
        "starts_at": time_text(session.starts_at),
        "ends_at": time_text(session.ends_at),
        "seats": session.seats,
        "invigilator_id": session.invigilator_id,
        "invigilator": staff_name(session.invigilator),
    }


def _plan_errors(*, batch: Batch, room: ExamRoom, day: date, starts_at: time, ends_at: time, seats: int) -> list[str]:
    """The session's own rules: its room, its times within the round, its seats within the room."""
    errors: list[str] = []
    exam_round = batch.round
    if room.site_id != batch.site_id:
        errors.append(
            _("考场「%(room)s」不属于本批次的考点「%(site)s」。") % {"room": room.name, "site": batch.site.name}
        )
    if ends_at <= starts_at:
        errors.append(
            _("结束时间（%(end)s）须晚于开始时间（%(start)s）。")
            % {"end": time_text(ends_at), "start": time_text(starts_at)}
        )
    if not exam_round.starts_on <= day <= exam_round.ends_on:
        errors.append(
            _("场次日期 %(day)s 不在轮次「%(round)s」的考核日期 %(start)s 至 %(end)s 之内。")
            % {
                "day": day_text(day),
                "round": exam_round.name,
                "start": day_text(exam_round.starts_on),
                "end": day_text(exam_round.ends_on),
            }
        )
    if seats < 1:
        errors.append(_("每场至少 1 个座位，填写的是 %(seats)s。") % {"seats": seats})
    elif seats > room.workstations:
        errors.append(
            _("每场座位数不得超过考场工位数：考场「%(room)s」有 %(workstations)s 个工位，本场安排了 %(seats)s 个座位。")
            % {"room": room.name, "workstations": room.workstations, "seats": seats}
        )
    return errors


def _invigilator_errors(*, batch: Batch, invigilator: User | None) -> list[str]:
    if invigilator is None:
        return [_("每个场次都须安排督考。")]
    if not invigilators_for(certificate_id=batch.pilot.certificate_id).filter(pk=invigilator.pk).exists():
        return [
            _("督考须由持有「%(certificate)s」督考资格的本校教职工担任：%(name)s 没有该资格。")
            % {"certificate": batch.pilot.certificate.name, "name": staff_name(invigilator)}
        ]
    return []


def _clash_errors(
    *, room: ExamRoom, day: date, starts_at: time, ends_at: time, invigilator: User | None, exclude_id: int | None
) -> list[str]:
    """No two sessions in one room at once, no invigilator in two places at once."""
    if ends_at <= starts_at:
        return []
    errors: list[str] = []
    overlapping = ExamSession.objects.filter(date=day, starts_at__lt=ends_at, ends_at__gt=starts_at).exclude(
        pk=exclude_id
    )
    times = {"day": day_text(day), "new_start": time_text(starts_at), "new_end": time_text(ends_at)}
    clash = overlapping.filter(room=room).select_related("batch").first()
    if clash is not None:
        errors.append(
            _(
                "同一考场的场次不得重叠：考场「%(room)s」%(day)s %(start)s–%(end)s 已有批次「%(batch)s」的场次，"
                "本场为 %(new_start)s–%(new_end)s。"
            )
            % {
                **times,
                "room": room.name,
                "start": time_text(clash.starts_at),
                "end": time_text(clash.ends_at),
                "batch": clash.batch.name,
            }
        )
    busy = overlapping.filter(invigilator=invigilator).select_related("room").first() if invigilator else None
    if busy is not None:
        errors.append(
            _(
                "督考不能同时在两处：%(name)s %(day)s %(start)s–%(end)s 已在考场「%(room)s」督考，"
                "本场为 %(new_start)s–%(new_end)s。"
            )
            % {
                **times,
                "name": staff_name(invigilator),
                "start": time_text(busy.starts_at),
                "end": time_text(busy.ends_at),
                "room": busy.room.name,
            }
        )
    return errors


def session_create(
    *,
    batch: Batch,
    room: ExamRoom,
    day: date,
    starts_at: time,
    ends_at: time,
    seats: int,
    invigilator: User | None,
    actor: User,
    today: date | None = None,
) -> ExamSession:
    today = today or timezone.localdate()
    if today > batch.round.registration_closes_on:
        raise ValidationError(registration_closed(batch.round, today))
    with transaction.atomic():
        lock_site(batch.site_id)
        errors = _plan_errors(batch=batch, room=room, day=day, starts_at=starts_at, ends_at=ends_at, seats=seats)
        errors += _invigilator_errors(batch=batch, invigilator=invigilator)
        errors += _clash_errors(
            room=room, day=day, starts_at=starts_at, ends_at=ends_at, invigilator=invigilator, exclude_id=None
        )
        if errors:
            raise ValidationError(errors)
        session = ExamSession.objects.create(
            batch=batch, room=room, date=day, starts_at=starts_at, ends_at=ends_at, seats=seats, invigilator=invigilator
        )
        record(batch, "scheduling.session.created", actor=actor, data=session_data(session))
    return session


def session_delete(*, session: ExamSession, actor: User) -> None:
    with transaction.atomic():
        lock_site(session.batch.site_id)
        seated = Seat.objects.filter(session=session).count()
        if seated:
            raise ValidationError(_("场次已分配 %(n)s 个座位，请先把考生调到其他场次再删除。") % {"n": seated})
        data = session_data(session)  # first: the session is gone afterwards, its values stay in the history
        ExamSession.objects.filter(pk=session.pk).delete()
        record(session.batch, "scheduling.session.deleted", actor=actor, data=data)


def session_list_pdf(*, session_id: int, owner_id: int | None) -> StoredFile:
    """The printable session list (runs in the worker, in the requester's tenant scope)."""
    session = session_get(session_id=session_id)
    return render_pdf(
        template_name="exam_sites/pdf/session_list.html",
        context={**session_list_document(session), "printed_on": timezone.localdate()},
        filename=f"session-list-{session.pk}.pdf",
        owner_id=owner_id,
    )
