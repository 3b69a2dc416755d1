"""Helpers for the issuance tests: a batch with a result sheet and results, built with the models."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from django_scopes import scopes_disabled

from accounts.models import Organisation, School, User
from certificates.models import IssuedCertificate, Result, ResultSheet
from certificates.services.issuance import certificates_generate
from core.scoping import ORGANISATION, SCHOOL, TenantRef
from exam_sites.models import Announcement, Batch, ExamRoom, ExamSession, ExamSite, Round, Seat
from pilots.models import Certificate, Level, Pilot, PilotStatus
from students.models import Enrolment, Major, Person, SchoolClass
from tests.exam_sites.helpers import approved_site
from tests.scopes import as_org, as_school  # noqa: F401 - re-exported to the tests of this app
from tests.world_base import Side
from tests.worlds.students import make_id_number

_counter = itertools.count(1)


def _next() -> int:
    return next(_counter)


def school_ref(school: School) -> TenantRef:
    return TenantRef(SCHOOL, school.pk)


def org_ref(organisation: Organisation) -> TenantRef:
    return TenantRef(ORGANISATION, organisation.pk)


def new_certificate(organisation: Organisation) -> Certificate:
    with scopes_disabled():
        n = _next()
        return Certificate.objects.create(code=f"IS{n:02d}", name=f"发证测试证书{n}", organisation=organisation)


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["子涵", "浩然", "雨轩", "梓萱", "宇航", "欣怡", "俊杰", "思远", "佳怡", "明轩"]


def realistic_names(count: int) -> list[str]:
    """Distinct names of three characters, as a real roster has (at most 200)."""
    return [SURNAMES[i % len(SURNAMES)] + GIVEN[i // len(SURNAMES)] for i in range(count)]


def make_class(
    school: School, code: str, size: int, *, major: str = "数控技术应用", names: list[str] | None = None
) -> tuple[SchoolClass, list[Person]]:
    with scopes_disabled():
        major_row, _ = Major.objects.get_or_create(school=school, name=major)
        school_class = SchoolClass.objects.create(school=school, code=code, major=major_row, enrolment_year=2020)
        people = []
        for i in range(size):
            n = _next()
            birth = (date(2006, 1, 1) + timedelta(days=n // 900)).strftime("%Y%m%d")
            people.append(
                Person.objects.create(
                    school=school,
                    name=names[i] if names else f"{code}学生{i:03d}",
                    id_number=make_id_number(n % 900 + 50, birth=birth),
                    school_class=school_class,
                    major=major_row,
                    enrolment_year=2020,
                )
            )
    return school_class, people


@dataclass
class BatchSetup:
    batch: Batch
    sheet: ResultSheet
    results: list[Result]


def make_batch(
    *,
    school: School,
    certificate: Certificate,
    people: list[Person],
    outcomes: list[str] | None = None,
    status: str = ResultSheet.Status.FINAL,
    level: str = Level.ELEMENTARY,
    year: int = 2024,
    name: str | None = None,
    session_dates: tuple[date, ...] = (date(2024, 6, 3),),
    teacher: User | None = None,
) -> BatchSetup:
    """A batch of ``certificate`` at ``school`` with one seat and one result per person."""
    outcomes = outcomes or [Result.Outcome.PASS] * len(people)
    with scopes_disabled():
        n = _next()
        pilot = Pilot.objects.filter(school=school, certificate=certificate, level=level, year=year).first()
        if pilot is None:
            pilot = Pilot.objects.create(
                school=school,
                certificate=certificate,
                level=level,
                year=year,
                requested_quota=1000,
                quota=1000,
                status=PilotStatus.RUNNING,
            )
        site = ExamSite.objects.filter(school=school, certificate=certificate).first()
        if site is None:
            site = approved_site(school, certificate, name=f"考点{n}", levels=[level])
        room, _ = ExamRoom.objects.get_or_create(
            site=site, name=f"机房{site.pk}", defaults={"area": Decimal("100"), "workstations": 1000}
        )
        announcement, _ = Announcement.objects.get_or_create(
            organisation=certificate.organisation, certificate=certificate, year=year, defaults={"title": f"公告{n}"}
        )
        round_ = Round.objects.create(
            announcement=announcement,
            name=f"第{n}轮",
            starts_on=min(session_dates),
            ends_on=max(session_dates),
            registration_closes_on=min(session_dates) - timedelta(days=10),
            levels=[level],
        )
        batch = Batch.objects.create(
            school=school, pilot=pilot, site=site, round=round_, name=name or f"{year}年第{n}批次"
        )
        invigilator = teacher or User.objects.create_user(username=f"invig{n}", password="x-Test-123")
        sessions = [
            ExamSession.objects.create(
                batch=batch,
                room=room,
                date=day,
                starts_at=time(9, 0),
                ends_at=time(11, 0),
                seats=1000,
                invigilator=invigilator,
            )
            for day in session_dates
        ]
        sheet = ResultSheet.objects.create(batch=batch, status=status)
        results = []
        for index, (person, outcome) in enumerate(zip(people, outcomes, strict=True), start=1):
            enrolment, _ = Enrolment.objects.get_or_create(person=person, pilot=pilot)
            seat = Seat.objects.create(
                batch=batch, session=sessions[index % len(sessions)], enrolment=enrolment, number=index
            )
            score = Decimal("85") if outcome == Result.Outcome.PASS else Decimal("40")
            results.append(
                Result.objects.create(
                    sheet=sheet,
                    seat=seat,
                    enrolment=enrolment,
                    theory=None if outcome == Result.Outcome.ABSENT else score,
                    practical=None if outcome == Result.Outcome.ABSENT else score,
                    absent=outcome == Result.Outcome.ABSENT,
                    outcome=outcome,
                )
            )
    return BatchSetup(batch=batch, sheet=sheet, results=results)


def class_batch(side: Side, code: str, size: int, **batch: Any) -> tuple[Certificate, list[Person], BatchSetup]:
    """A new certificate of the side's organisation, a class of ``size`` people of its school, and their
    batch (``make_batch``'s options)."""
    certificate = new_certificate(side.organisation)
    _class, people = make_class(side.school, code, size)
    return certificate, people, make_batch(school=side.school, certificate=certificate, people=people, **batch)


def generate_numbers(
    organisation: Organisation,
    batch: Batch,
    *,
    actor: User | None = None,
    tenant: TenantRef | None = None,
    issued_on: date = date(2024, 7, 1),
    period: str = "2024.6",
) -> list[IssuedCertificate]:
    """The organisation (or ``tenant``) generates the batch's certificate numbers."""
    with as_org(organisation):
        return certificates_generate(
            batch_id=batch.pk,
            tenant=tenant or org_ref(organisation),
            actor=actor,
            issued_on=issued_on,
            assessment_period=period,
        )


def issued_class(
    side: Side,
    code: str,
    size: int,
    *,
    outcomes: list[str] | None = None,
    names: list[str] | None = None,
    issued_on: date = date(2024, 7, 1),
    period: str = "2024.6",
) -> tuple[Certificate, SchoolClass, list[Person], BatchSetup]:
    """A class of the side's school sat a batch of a new certificate, and its numbers are generated."""
    certificate = new_certificate(side.organisation)
    school_class, people = make_class(side.school, code, size, names=names)
    setup = make_batch(school=side.school, certificate=certificate, people=people, outcomes=outcomes)
    generate_numbers(side.organisation, setup.batch, issued_on=issued_on, period=period)
    return certificate, school_class, people, setup
