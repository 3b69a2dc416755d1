"""Helpers for the scheduling tests: a future round, a batch, rooms and candidates of a side.

Rows are created directly (scopes off) and live only inside the test's transaction; the world's own
rows are never changed.
"""

from __future__ import annotations

import itertools
from datetime import date, time
from decimal import Decimal

from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import User
from accounts.roles import Role
from exam_sites.models import Announcement, Batch, ExamRoom, ExamSession, ExamSite, Round
from exam_sites.services.announcements import round_create
from students.models import Enrolment, Person, PersonKind, SchoolClass
from tests.world_base import Side
from tests.worlds.students import make_id_number

YEAR = timezone.localdate().year + 1  # rounds of next year: registration still open whenever the suite runs
_serials = itertools.count(300)
_codes = itertools.count(1)


def d(month: int, day: int, year: int = YEAR) -> date:
    return date(year, month, day)


def t(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def announced_round(
    side: Side, *, year: int = YEAR, published: bool = True, levels: tuple[str, ...] = ("elementary",)
) -> Round:
    """An announcement of the side's certificate for ``year`` with a March round (registration closes 20 Feb)."""
    with scopes_disabled():
        announcement = Announcement.objects.create(
            organisation=side.organisation,
            certificate=side.certificate,
            year=year,
            title=f"{year} 年度鉴定公告（测试）",
            published_at=timezone.now() if published else None,
        )
        return Round.objects.create(
            announcement=announcement,
            name="第一轮",
            starts_on=date(year, 3, 1),
            ends_on=date(year, 3, 31),
            registration_closes_on=date(year, 2, 20),
            levels=list(levels),
        )


def may_round(announcement: Announcement, *, name: str = "第一轮", levels: tuple[str, ...] = ("elementary",)) -> Round:
    """A round of the announcement on 1-2 May, registration closing on 1 April, through the service."""
    return round_create(
        announcement=announcement,
        name=name,
        starts_on=d(5, 1),
        ends_on=d(5, 2),
        registration_closes_on=d(4, 1),
        levels=list(levels),
    )


def site_of(side: Side) -> ExamSite:
    with scopes_disabled():
        return ExamSite.objects.get(pk=side.objects["exam_site"].pk)


def room(side: Side, *, workstations: int = 20, name: str | None = None) -> ExamRoom:
    with scopes_disabled():
        return ExamRoom.objects.create(
            site_id=side.objects["exam_site"].pk,
            name=name or f"测试考场{next(_codes)}",
            area=Decimal("60"),
            workstations=workstations,
        )


def batch(side: Side, rnd: Round, *, name: str = "测试批次") -> Batch:
    with scopes_disabled():
        return Batch.objects.create(
            school=side.school,
            pilot_id=side.objects["pilot"].pk,
            site_id=side.objects["exam_site"].pk,
            round=rnd,
            name=name,
            created_by=side.user(Role.SCHOOL_ADMIN),
        )


def session(
    b: Batch, exam_room: ExamRoom, day: date, start: str, end: str, seats: int, invigilator: User
) -> ExamSession:
    """A session written directly (the rules are tested through the service)."""
    with scopes_disabled():
        return ExamSession.objects.create(
            batch=b, room=exam_room, date=day, starts_at=t(start), ends_at=t(end), seats=seats, invigilator=invigilator
        )


def candidates(side: Side, classes: dict[str | None, int]) -> list[Enrolment]:
    """Enrol new people in the side's pilot: ``{"班号": count, None: trainees without a class}``."""
    enrolments = []
    with scopes_disabled():
        for code, count in classes.items():
            school_class = None
            if code is not None:
                school_class, _ = SchoolClass.objects.get_or_create(school=side.school, code=code)
            for i in range(count):
                person = Person.objects.create(
                    school=side.school,
                    kind=PersonKind.STUDENT if school_class else PersonKind.TRAINEE,
                    name=f"{code or '学员'}-{i + 1:02d}",
                    id_number=make_id_number(next(_serials), birth="20060101"),
                    school_class=school_class,
                )
                enrolments.append(Enrolment.objects.create(person=person, pilot_id=side.objects["pilot"].pk))
    return enrolments
