"""What the scheduling services share: dates, times and levels as their messages print them, and the
lock that makes capacity checks at one exam site run one at a time."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time

from accounts.models import User
from pilots.models import Level

from ..models import ExamSite


def day_text(value: date) -> str:
    return value.strftime("%Y-%m-%d")


def time_text(value: time) -> str:
    return value.strftime("%H:%M")


def optional_day(value: date | None) -> str | None:
    return day_text(value) if value else None


def level_label(level: str) -> str:
    return str(dict(Level.choices).get(level, level))


def levels_label(levels: Iterable[str]) -> str:
    return "、".join(level_label(v) for v in Level.values if v in set(levels)) or "—"


def staff_name(user: User) -> str:
    return user.full_name or user.username


def lock_site(site_id: int) -> ExamSite:
    """Lock the site's row: every session, allocation and move at the site waits here, so capacity
    (seats, the room's timetable, the day's maximum, the invigilator's day) is read and written by
    one transaction at a time."""
    return ExamSite.objects.select_for_update().get(pk=site_id)
