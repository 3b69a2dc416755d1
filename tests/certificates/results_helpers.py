"""Helpers for the results tests: a fresh certificate, pilot, candidates and a batch with seats,
built directly with the models (scheduling services belong to exam_sites)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, time

from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import Membership, User
from accounts.roles import Role
from certificates.models import ResultSheet
from core.audit import entries_for
from core.models import AuditEntry
from exam_sites.models import Announcement, Batch, ExamSession, ExamSite, Round, Seat
from pilots.models import Certificate, CertificateLevel, Level, Pilot, PilotStatus
from students.models import Enrolment, Person
from tests.scopes import as_org, as_school  # noqa: F401 - re-exported to the tests of this app
from tests.world_base import PASSWORD, Side
from tests.worlds.students import make_id_number

_counter = itertools.count(1)


def fresh(user: User) -> User:
    """A new instance of a world user (the world's objects are never mutated, not even caches)."""
    with scopes_disabled():
        return User.objects.get(pk=user.pk)


def other_teacher(side: Side) -> User:
    """A teacher of the same school who is not assigned to the test batches."""
    n = next(_counter)
    user = User.objects.create_user(username=f"rs_teacher_{side.key}_{n}", password=PASSWORD, full_name=f"别的老师{n}")
    with scopes_disabled():
        Membership.objects.create(user=user, school=side.school, role=Role.TEACHER)
    return user


@dataclass
class Setup:
    side: Side
    certificate: Certificate
    pilot: Pilot
    site: ExamSite
    batch: Batch
    seats: list[Seat]
    people: list[Person]
    enrolments: list[Enrolment] = field(default_factory=list)

    @property
    def teacher(self) -> User:
        return fresh(self.side.user(Role.TEACHER))

    @property
    def admin(self) -> User:
        return fresh(self.side.user(Role.SCHOOL_ADMIN))


def make_setup(
    side: Side,
    *,
    size: int = 3,
    has_theory: bool = True,
    has_practical: bool = True,
    pass_mark: int = 60,
    day: date = date(2024, 6, 3),
    with_sheet: bool = True,
) -> Setup:
    n = next(_counter)
    with scopes_disabled():
        certificate = Certificate.objects.create(
            code=f"RS{side.key}{n}",
            name=f"成绩测试证书{side.key}{n}",
            organisation=side.organisation,
            has_theory=has_theory,
            has_practical=has_practical,
        )
        for level in Level.values:
            CertificateLevel.objects.create(certificate=certificate, level=level, pass_mark=pass_mark)
        pilot = Pilot.objects.create(
            school=side.school,
            certificate=certificate,
            level=Level.ELEMENTARY,
            year=day.year,
            requested_quota=max(size, 1) + 5,
            quota=max(size, 1) + 5,
            status=PilotStatus.RUNNING,
        )
        site = ExamSite.objects.create(
            school=side.school,
            certificate=certificate,
            application=side.objects["application:approved"],
            name=f"成绩测试考点{n}",
            daily_max=500,
            levels=["elementary"],
            approved_at=timezone.now(),
        )
        people, enrolments = [], []
        for i in range(size):
            person = Person.objects.create(
                school=side.school,
                name=f"考生{n}号{i + 1:02d}",
                id_number=make_id_number(500 + (n * 37 + i) % 400, birth=f"2006{(n % 12) + 1:02d}{(i % 28) + 1:02d}"),
                school_class=side.objects["school_class"],
            )
            people.append(person)
            enrolments.append(Enrolment.objects.create(person=person, pilot=pilot))
        setup = Setup(side, certificate, pilot, site, None, [], people, enrolments)  # type: ignore[arg-type]
        setup.batch, setup.seats = add_batch(setup, day=day, enrolments=enrolments)
        if with_sheet:
            ResultSheet.objects.create(batch=setup.batch)
    return setup


def add_batch(
    setup: Setup, *, day: date, enrolments: list[Enrolment], retake: bool = False, teachers: list[User] | None = None
) -> tuple[Batch, list[Seat]]:
    side = setup.side
    n = next(_counter)
    with scopes_disabled():
        announcement, _ = Announcement.objects.get_or_create(
            certificate=setup.certificate,
            year=day.year,
            defaults={"organisation": side.organisation, "title": f"{day.year} 年度鉴定公告"},
        )
        round_ = Round.objects.create(
            announcement=announcement,
            name=f"第{n}轮",
            starts_on=day,
            ends_on=day,
            registration_closes_on=day,
            levels=["elementary"],
        )
        batch = Batch.objects.create(
            school=side.school, pilot=setup.pilot, site=setup.site, round=round_, name=f"成绩测试批次{n}"
        )
        for teacher in teachers if teachers is not None else [side.user(Role.TEACHER)]:
            batch.teachers.add(teacher)
        session = ExamSession.objects.create(
            batch=batch,
            room=side.objects["exam_room"],
            date=day,
            starts_at=time(9, 0),
            ends_at=time(11, 0),
            seats=max(len(enrolments), 1),
            invigilator=side.user(Role.TEACHER),
        )
        seats = [
            Seat.objects.create(batch=batch, session=session, enrolment=e, number=i + 1, is_retake=retake)
            for i, e in enumerate(enrolments)
        ]
    return batch, seats


def sheet_of(batch: Batch) -> ResultSheet:
    with scopes_disabled():
        return ResultSheet.objects.get(batch=batch)


def audit_lines(obj) -> list[AuditEntry]:
    """The audit lines of ``obj``, oldest first, whatever the tenant."""
    with scopes_disabled():
        return list(entries_for(obj).order_by("at", "id"))
