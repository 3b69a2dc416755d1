"""Writes of assessment scheduling: announcements and rounds (the organisation), batches, sessions
and seats (the school).

Every rule a user can break is answered with a ValidationError that names the rule and the
numbers. Writes that read capacity first (sessions, allocation, moves) lock the exam site's row, so
that two admins planning at the same site never both see the same free room, seats or day.

Every change of a batch (created, edited, a session added or deleted, seats allocated, a seat moved)
and every publication writes a ``SchedulingEvent`` in the same transaction: who, when, and what in
words (names and numbers of that moment) and in data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, School, User
from core.models import StoredFile
from core.pdf import render_pdf
from pilots.models import Certificate, Level, Pilot, PilotStatus
from students.models import Enrolment

from . import allocation
from .models import Announcement, Batch, ExamRoom, ExamSession, ExamSite, Round, SchedulingEvent, Seat
from .scheduling_selectors import (
    PLANNABLE_PILOT_STATUSES,
    invigilators_for,
    session_get,
    session_list_document,
    site_day_count,
    teachers_for_batch,
)


def _d(value: date) -> str:
    return value.strftime("%Y-%m-%d")


def _t(value: time) -> str:
    return value.strftime("%H:%M")


def _level_label(level: str) -> str:
    return str(dict(Level.choices).get(level, level))


def _levels_label(levels: Iterable[str]) -> str:
    return "、".join(_level_label(v) for v in Level.values if v in set(levels)) or "—"


def _staff_name(user: User) -> str:
    return user.full_name or user.username


def _record(
    kind: str,
    *,
    actor: User | None,
    detail: str,
    data: dict[str, Any],
    batch: Batch | None = None,
    announcement: Announcement | None = None,
    at: datetime | None = None,
) -> SchedulingEvent:
    """The history row of a change. Called inside the change's transaction, so both happen or neither.

    The tenant columns are copied from the subject (see ``SchedulingEvent``)."""
    if batch is not None:
        tenant = {"school_id": batch.school_id, "organisation_id": batch.pilot.certificate.organisation_id}
    else:
        tenant = {"school_id": None, "organisation_id": announcement.organisation_id}
    return SchedulingEvent.objects.create(
        kind=kind,
        actor=actor,
        batch=batch,
        announcement=announcement,
        detail=detail,
        data=data,
        at=at or timezone.now(),
        **tenant,
    )


def _session_text(session: ExamSession) -> str:
    """A session as the history names it: day, times and room (they stay readable after a delete)."""
    return f"{_d(session.date)} {_t(session.starts_at)}–{_t(session.ends_at)} {session.room.name}"


def _session_data(session: ExamSession) -> dict[str, Any]:
    return {
        "session_id": session.pk,
        "room_id": session.room_id,
        "date": _d(session.date),
        "starts_at": _t(session.starts_at),
        "ends_at": _t(session.ends_at),
        "seats": session.seats,
        "invigilator_id": session.invigilator_id,
    }


# --- announcements and rounds (the organisation) -----------------------------------------------


def announcement_create(
    *, organisation: Organisation, certificate: Certificate, year: int, title: str, body: str = ""
) -> Announcement:
    if certificate.organisation_id != organisation.pk:
        raise ValidationError(
            _("只能为本组织的证书发布年度鉴定公告：「%(certificate)s」不属于本组织。")
            % {"certificate": certificate.name}
        )
    if not 2019 <= year <= 2100:
        raise ValidationError(_("年度须在 2019 到 2100 之间，填写的是 %(year)s。") % {"year": year})
    if Announcement.objects.filter(certificate=certificate, year=year).exists():
        raise ValidationError(
            _("「%(certificate)s」%(year)s 年度的鉴定公告已存在，每个证书每年只发一份公告，可在其中增加轮次。")
            % {"certificate": certificate.name, "year": year}
        )
    try:
        with transaction.atomic():
            return Announcement.objects.create(
                organisation=organisation, certificate=certificate, year=year, title=title, body=body
            )
    except IntegrityError as exc:  # the same announcement created at the same moment
        raise ValidationError(
            _("「%(certificate)s」%(year)s 年度的鉴定公告已存在。") % {"certificate": certificate.name, "year": year}
        ) from exc


def round_create(
    *,
    announcement: Announcement,
    name: str,
    starts_on: date,
    ends_on: date,
    registration_closes_on: date,
    levels: list[str],
) -> Round:
    errors = []
    if ends_on < starts_on:
        errors.append(
            _("考核结束日期（%(end)s）不能早于开始日期（%(start)s）。") % {"end": _d(ends_on), "start": _d(starts_on)}
        )
    if registration_closes_on > ends_on:
        errors.append(
            _("报名截止日期（%(close)s）不能晚于考核结束日期（%(end)s）。")
            % {"close": _d(registration_closes_on), "end": _d(ends_on)}
        )
    if starts_on.year != announcement.year or ends_on.year != announcement.year:
        errors.append(
            _("轮次须在公告年度 %(year)s 年之内，填写的是 %(start)s 至 %(end)s。")
            % {"year": announcement.year, "start": _d(starts_on), "end": _d(ends_on)}
        )
    offered = set(announcement.certificate.levels.values_list("level", flat=True))
    chosen = [v for v in Level.values if v in set(levels)]
    if not chosen:
        errors.append(_("请至少选择一个考核等级。"))
    elif not set(chosen) <= offered:
        errors.append(
            _("「%(certificate)s」只设 %(offered)s，不能安排 %(chosen)s。")
            % {
                "certificate": announcement.certificate.name,
                "offered": _levels_label(offered),
                "chosen": _levels_label(set(chosen) - offered),
            }
        )
    if errors:
        raise ValidationError(errors)
    return Round.objects.create(
        announcement=announcement,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        registration_closes_on=registration_closes_on,
        levels=chosen,
    )


def announcement_publish(*, announcement: Announcement, actor: User) -> Announcement:
    with transaction.atomic():
        # Lock the row: a round deleted or a second publish at the same moment sees the final state.
        announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
        if announcement.published_at is not None:
            raise ValidationError(
                _("该公告已于 %(when)s 发布。")
                % {"when": timezone.localtime(announcement.published_at).strftime("%Y-%m-%d %H:%M")}
            )
        rounds = list(Round.objects.filter(announcement=announcement).order_by("starts_on", "id"))
        if not rounds:
            raise ValidationError(_("公告至少要有一个轮次才能发布：当前有 0 个轮次。"))
        announcement.published_at = timezone.now()
        announcement.save(update_fields=["published_at"])
        _record(
            SchedulingEvent.Kind.ANNOUNCEMENT_PUBLISHED,
            actor=actor,
            announcement=announcement,
            at=announcement.published_at,
            detail=_("「%(title)s」，共 %(count)s 个轮次：%(rounds)s")
            % {"title": announcement.title, "count": len(rounds), "rounds": "、".join(r.name for r in rounds)},
            data={"published_at": announcement.published_at.isoformat(), "round_ids": [r.pk for r in rounds]},
        )
    return announcement


# --- batches (the school) ----------------------------------------------------------------------


def _check_batch_plan(*, pilot: Pilot, site: ExamSite, round: Round, today: date) -> None:
    certificate = pilot.certificate
    errors = []
    if pilot.status not in PLANNABLE_PILOT_STATUSES:
        errors.append(
            _("只有已批准或实施中的试点可以安排考核，该试点当前为「%(status)s」。")
            % {"status": PilotStatus(pilot.status).label}
        )
    if site.certificate_id != pilot.certificate_id:
        errors.append(
            _("考点「%(site)s」是「%(site_certificate)s」的考点，不能考核「%(certificate)s」。")
            % {"site": site.name, "site_certificate": site.certificate.name, "certificate": certificate.name}
        )
    elif site.levels and pilot.level not in site.levels:
        errors.append(
            _("考点「%(site)s」获批的考核等级为 %(levels)s，不含%(level)s。")
            % {"site": site.name, "levels": _levels_label(site.levels), "level": _level_label(pilot.level)}
        )
    announcement = round.announcement
    if announcement.certificate_id != pilot.certificate_id:
        errors.append(
            _("轮次「%(round)s」属于「%(round_certificate)s」的公告，不能安排「%(certificate)s」的批次。")
            % {"round": round.name, "round_certificate": announcement.certificate.name, "certificate": certificate.name}
        )
    elif announcement.published_at is None:
        errors.append(_("该轮次所在的公告尚未发布。"))
    if pilot.level not in (round.levels or []):
        errors.append(
            _("轮次「%(round)s」考核 %(levels)s，不含该试点的%(level)s。")
            % {"round": round.name, "levels": _levels_label(round.levels or []), "level": _level_label(pilot.level)}
        )
    if today > round.registration_closes_on:
        errors.append(
            _("轮次「%(round)s」已于 %(close)s 截止报名（今天是 %(today)s），不能再安排批次或场次。")
            % {"round": round.name, "close": _d(round.registration_closes_on), "today": _d(today)}
        )
    if errors:
        raise ValidationError(errors)


def _check_familiarisation(*, round: Round, familiarisation_on: date | None) -> None:
    if familiarisation_on is not None and familiarisation_on > round.ends_on:
        raise ValidationError(
            _("熟悉场地日（%(day)s）须在本轮考核结束（%(end)s）之前。")
            % {"day": _d(familiarisation_on), "end": _d(round.ends_on)}
        )


def batch_create(
    *,
    school: School,
    actor: User,
    pilot: Pilot,
    site: ExamSite,
    round: Round,
    name: str = "",
    familiarisation_on: date | None = None,
    today: date | None = None,
) -> Batch:
    if pilot.school_id != school.pk or site.school_id != school.pk:
        raise ValidationError(_("只能为本校的试点在本校的考点安排考核批次。"))
    _check_batch_plan(pilot=pilot, site=site, round=round, today=today or timezone.localdate())
    _check_familiarisation(round=round, familiarisation_on=familiarisation_on)
    name = name.strip() or f"{round.name} · {pilot.certificate.name}{_level_label(pilot.level)}"
    with transaction.atomic():
        batch = Batch.objects.create(
            school=school,
            pilot=pilot,
            site=site,
            round=round,
            name=name[:100],
            familiarisation_on=familiarisation_on,
            created_by=actor,
        )
        _record(
            SchedulingEvent.Kind.BATCH_CREATED,
            actor=actor,
            batch=batch,
            detail=_("「%(name)s」：%(pilot)s，考点「%(site)s」，%(round)s，熟悉场地日 %(day)s")
            % {
                "name": batch.name,
                "pilot": str(pilot),
                "site": site.name,
                "round": str(round),
                "day": _d(familiarisation_on) if familiarisation_on else "—",
            },
            data={
                "name": batch.name,
                "pilot_id": pilot.pk,
                "site_id": site.pk,
                "round_id": round.pk,
                "familiarisation_on": _d(familiarisation_on) if familiarisation_on else None,
            },
        )
    return batch


def batch_update(
    *, batch: Batch, actor: User, name: str, familiarisation_on: date | None, teachers: Iterable[User]
) -> Batch:
    """Name, the free familiarisation day (熟悉场地) and the teachers who will enter results. What
    changed is written to the history; a save that changes nothing writes none."""
    teachers = list(teachers)
    allowed = set(teachers_for_batch().filter(pk__in=[t.pk for t in teachers]).values_list("pk", flat=True))
    strangers = [t for t in teachers if t.pk not in allowed]
    if strangers:
        raise ValidationError(
            _("只能指派本校教职工：%(names)s 不是本校成员。")
            % {"names": "、".join(t.full_name or t.username for t in strangers)}
        )
    _check_familiarisation(round=batch.round, familiarisation_on=familiarisation_on)
    with transaction.atomic():
        # The row as it is now, locked: the history compares with it, not with a stale form.
        before = Batch.objects.select_for_update().get(pk=batch.pk)
        before_teachers = {t.pk: t for t in before.teachers.all()}
        batch.name = (name.strip() or before.name)[:100]
        batch.familiarisation_on = familiarisation_on
        batch.save(update_fields=["name", "familiarisation_on"])
        batch.teachers.set(teachers)
        changes, data = _batch_changes(before, before_teachers, batch, {t.pk: t for t in teachers})
        if changes:
            _record(SchedulingEvent.Kind.BATCH_UPDATED, actor=actor, batch=batch, detail="；".join(changes), data=data)
    return batch


def _batch_changes(
    before: Batch, before_teachers: dict[int, User], after: Batch, after_teachers: dict[int, User]
) -> tuple[list[str], dict[str, Any]]:
    """What an edit changed: in words for the history, and in data."""
    changes: list[str] = []
    data: dict[str, Any] = {}
    if before.name != after.name:
        changes.append(_("名称：「%(old)s」→「%(new)s」") % {"old": before.name, "new": after.name})
        data["name"] = {"old": before.name, "new": after.name}
    if before.familiarisation_on != after.familiarisation_on:
        old = _d(before.familiarisation_on) if before.familiarisation_on else None
        new = _d(after.familiarisation_on) if after.familiarisation_on else None
        changes.append(_("熟悉场地日：%(old)s → %(new)s") % {"old": old or "—", "new": new or "—"})
        data["familiarisation_on"] = {"old": old, "new": new}
    added = [t for pk, t in after_teachers.items() if pk not in before_teachers]
    removed = [t for pk, t in before_teachers.items() if pk not in after_teachers]
    if added:
        changes.append(_("增加教师：%(names)s") % {"names": "、".join(_staff_name(t) for t in added)})
        data["teachers_added"] = [t.pk for t in added]
    if removed:
        changes.append(_("移除教师：%(names)s") % {"names": "、".join(_staff_name(t) for t in removed)})
        data["teachers_removed"] = [t.pk for t in removed]
    return changes, data


# --- sessions ----------------------------------------------------------------------------------


def _lock_site(site_id: int) -> ExamSite:
    # Lock the site's row: every session, allocation and move at the site waits here, so capacity
    # (seats, the room's timetable, the day's maximum, the invigilator's day) is read and written by
    # one transaction at a time.
    return ExamSite.objects.select_for_update().get(pk=site_id)


def _session_errors(
    *,
    batch: Batch,
    room: ExamRoom,
    day: date,
    starts_at: time,
    ends_at: time,
    seats: int,
    invigilator: User | None,
    exclude_id: int | None = None,
) -> list[str]:
    errors: list[str] = []
    round = batch.round
    if room.site_id != batch.site_id:
        errors.append(
            _("考场「%(room)s」不属于本批次的考点「%(site)s」。") % {"room": room.name, "site": batch.site.name}
        )
    if ends_at <= starts_at:
        errors.append(
            _("结束时间（%(end)s）须晚于开始时间（%(start)s）。") % {"end": _t(ends_at), "start": _t(starts_at)}
        )
    if not round.starts_on <= day <= round.ends_on:
        errors.append(
            _("场次日期 %(day)s 不在轮次「%(round)s」的考核日期 %(start)s 至 %(end)s 之内。")
            % {"day": _d(day), "round": round.name, "start": _d(round.starts_on), "end": _d(round.ends_on)}
        )
    if seats < 1:
        errors.append(_("每场至少 1 个座位，填写的是 %(seats)s。") % {"seats": seats})
    elif seats > room.workstations:
        errors.append(
            _("每场座位数不得超过考场工位数：考场「%(room)s」有 %(workstations)s 个工位，本场安排了 %(seats)s 个座位。")
            % {"room": room.name, "workstations": room.workstations, "seats": seats}
        )
    if invigilator is None:
        errors.append(_("每个场次都须安排督考。"))
    elif not invigilators_for(certificate_id=batch.pilot.certificate_id).filter(pk=invigilator.pk).exists():
        errors.append(
            _("督考须由持有「%(certificate)s」督考资格的本校教职工担任：%(name)s 没有该资格。")
            % {"certificate": batch.pilot.certificate.name, "name": invigilator.full_name or invigilator.username}
        )
    if ends_at > starts_at:
        overlapping = ExamSession.objects.filter(date=day, starts_at__lt=ends_at, ends_at__gt=starts_at).exclude(
            pk=exclude_id
        )
        clash = overlapping.filter(room=room).select_related("batch").first()
        if clash is not None:
            errors.append(
                _(
                    "同一考场的场次不得重叠：考场「%(room)s」%(day)s %(start)s–%(end)s 已有批次「%(batch)s」的场次，"
                    "本场为 %(new_start)s–%(new_end)s。"
                )
                % {
                    "room": room.name,
                    "day": _d(day),
                    "start": _t(clash.starts_at),
                    "end": _t(clash.ends_at),
                    "batch": clash.batch.name,
                    "new_start": _t(starts_at),
                    "new_end": _t(ends_at),
                }
            )
        if invigilator is not None:
            busy = overlapping.filter(invigilator=invigilator).select_related("room").first()
            if busy is not None:
                errors.append(
                    _(
                        "督考不能同时在两处：%(name)s %(day)s %(start)s–%(end)s 已在考场「%(room)s」督考，"
                        "本场为 %(new_start)s–%(new_end)s。"
                    )
                    % {
                        "name": invigilator.full_name or invigilator.username,
                        "day": _d(day),
                        "start": _t(busy.starts_at),
                        "end": _t(busy.ends_at),
                        "room": busy.room.name,
                        "new_start": _t(starts_at),
                        "new_end": _t(ends_at),
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
        raise ValidationError(
            _("轮次「%(round)s」已于 %(close)s 截止报名（今天是 %(today)s），不能再安排批次或场次。")
            % {"round": batch.round.name, "close": _d(batch.round.registration_closes_on), "today": _d(today)}
        )
    with transaction.atomic():
        _lock_site(batch.site_id)
        errors = _session_errors(
            batch=batch, room=room, day=day, starts_at=starts_at, ends_at=ends_at, seats=seats, invigilator=invigilator
        )
        if errors:
            raise ValidationError(errors)
        session = ExamSession.objects.create(
            batch=batch, room=room, date=day, starts_at=starts_at, ends_at=ends_at, seats=seats, invigilator=invigilator
        )
        _record(
            SchedulingEvent.Kind.SESSION_CREATED,
            actor=actor,
            batch=batch,
            detail=_("%(session)s，%(seats)s 个座位，督考 %(invigilator)s")
            % {"session": _session_text(session), "seats": seats, "invigilator": _staff_name(invigilator)},
            data=_session_data(session),
        )
    return session


def session_delete(*, session: ExamSession, actor: User) -> None:
    with transaction.atomic():
        _lock_site(session.batch.site_id)
        seated = Seat.objects.filter(session=session).count()
        if seated:
            raise ValidationError(_("场次已分配 %(n)s 个座位，请先把考生调到其他场次再删除。") % {"n": seated})
        # Words and data first: the session is gone afterwards, its description stays in the history.
        detail = _("%(session)s，%(seats)s 个座位，督考 %(invigilator)s") % {
            "session": _session_text(session),
            "seats": session.seats,
            "invigilator": _staff_name(session.invigilator),
        }
        data = _session_data(session)
        ExamSession.objects.filter(pk=session.pk).delete()
        _record(SchedulingEvent.Kind.SESSION_DELETED, actor=actor, batch=session.batch, detail=detail, data=data)


# --- seats -------------------------------------------------------------------------------------


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


def seats_allocate(*, batch: Batch, actor: User, reset: bool = False) -> AllocationReport:
    """Seat the pilot's enrolled candidates who have no seat in this batch yet (all of them when
    ``reset``), in one transaction. Every run is written to the history, also one that placed nobody:
    the admin asked, and the answer (who could not be placed) is part of the record."""
    with transaction.atomic():
        site = _lock_site(batch.site_id)
        cleared = 0
        if reset:
            # A seat with a result is the exam record: re-seating the batch would orphan it. (The
            # reverse relation is read by name: exam_sites does not import certificates.)
            with_results = Seat.objects.filter(batch=batch, result__isnull=False).count()
            if with_results:
                raise ValidationError(
                    _("已有 %(n)s 名考生录入了成绩，不能重新排座；如需调整，请逐个调整座位。") % {"n": with_results}
                )
            cleared = Seat.objects.filter(batch=batch).delete()[1].get(Seat._meta.label, 0)
        sessions = list(ExamSession.objects.filter(batch=batch).order_by("date", "starts_at", "id"))
        taken: dict[int, set[int]] = {s.pk: set() for s in sessions}
        for session_id, number in Seat.objects.filter(session__in=sessions).values_list("session_id", "number"):
            taken[session_id].add(number)
        days = {s.date for s in sessions}
        day_capacity = {day: site.daily_max - site_day_count(site=site, day=day) for day in days}
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
        slots = [
            allocation.Slot(id=s.pk, day=s.date, starts_at=s.starts_at, seats=s.seats, taken=frozenset(taken[s.pk]))
            for s in sessions
        ]
        result = allocation.allocate(candidates, slots, day_capacity)
        Seat.objects.bulk_create(
            [
                Seat(batch=batch, session_id=p.session, enrolment_id=p.candidate, number=p.number)
                for p in result.placements
            ]
        )
        report = AllocationReport(
            placed=len(result.placements),
            already_seated=len(seated & set(enrolments)),
            unplaced=[(enrolments[u.candidate], _reason_text(u.reason, site=site)) for u in result.unplaced],
        )
        _record_allocation(batch=batch, actor=actor, report=report, result=result, cleared=cleared, reset=reset)
    return report


def _record_allocation(
    *, batch: Batch, actor: User, report: AllocationReport, result: allocation.Allocation, cleared: int, reset: bool
) -> None:
    numbers = {"placed": report.placed, "kept": report.already_seated, "unplaced": len(report.unplaced)}
    if reset:
        kind = SchedulingEvent.Kind.SEATS_REALLOCATED
        detail = _("清除原有座位 %(cleared)s 个，重新分配 %(placed)s 人，未能分配 %(unplaced)s 人。") % {
            **numbers,
            "cleared": cleared,
        }
    else:
        kind = SchedulingEvent.Kind.SEATS_ALLOCATED
        detail = _("本次分配 %(placed)s 人，此前已有座位 %(kept)s 人，未能分配 %(unplaced)s 人。") % numbers
    _record(
        kind,
        actor=actor,
        batch=batch,
        detail=detail,
        data={
            "placed": report.placed,
            "already_seated": report.already_seated,
            "cleared": cleared,
            "unplaced": len(report.unplaced),
            "placed_by_session": {str(k): len(v) for k, v in result.by_session().items()},
            "unplaced_enrolment_ids": [u.candidate for u in result.unplaced],
        },
    )


def seat_move(*, seat: Seat, session: ExamSession, actor: User, number: int | None = None) -> Seat:
    """Move one candidate to another session (or seat), with the same rules as the allocation; the
    history keeps from where to where."""
    with transaction.atomic():
        site = _lock_site(seat.batch.site_id)
        seat = Seat.objects.select_related("batch__pilot__certificate", "session__room", "enrolment__person").get(
            pk=seat.pk
        )
        name = seat.enrolment.person.name
        if session.batch_id != seat.batch_id:
            raise ValidationError(_("只能调到本批次的场次。"))
        others = Counter(Seat.objects.filter(session=session).exclude(pk=seat.pk).values_list("number", flat=True))
        if sum(others.values()) >= session.seats:
            raise ValidationError(
                _("场次 %(session)s 已满：%(seats)s 个座位已全部分配。")
                % {"session": str(session), "seats": session.seats}
            )
        if session.date != seat.session.date:
            count = site_day_count(site=site, day=session.date)
            if count + 1 > site.daily_max:
                raise ValidationError(
                    _("%(day)s 考点已安排 %(count)s 人，已达每天最大考核量 %(max)s 人，不能再调入 %(name)s。")
                    % {"day": _d(session.date), "count": count, "max": site.daily_max, "name": name}
                )
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
            raise ValidationError(_("%(name)s 已在该场次的 %(number)s 号座位。") % {"name": name, "number": number})
        origin, origin_number = seat.session, seat.number
        seat.session = session
        seat.number = number
        seat.save(update_fields=["session", "number"])
        _record(
            SchedulingEvent.Kind.SEAT_MOVED,
            actor=actor,
            batch=seat.batch,
            detail=_("%(name)s：%(from_session)s %(from_number)s 号 → %(to_session)s %(to_number)s 号")
            % {
                "name": name,
                "from_session": _session_text(origin),
                "from_number": origin_number,
                "to_session": _session_text(session),
                "to_number": number,
            },
            data={
                "seat_id": seat.pk,
                "enrolment_id": seat.enrolment_id,
                "from_session_id": origin.pk,
                "from_number": origin_number,
                "to_session_id": session.pk,
                "to_number": number,
            },
        )
    return seat


# --- the session list (场次名单) ---------------------------------------------------------------


def session_list_pdf(*, session_id: int, owner_id: int | None) -> StoredFile:
    """The printable session list (runs in the worker, in the requester's tenant scope)."""
    session = session_get(session_id=session_id)
    return render_pdf(
        template_name="exam_sites/pdf/session_list.html",
        context={**session_list_document(session), "printed_on": timezone.localdate()},
        filename=f"session-list-{session.pk}.pdf",
        owner_id=owner_id,
    )
