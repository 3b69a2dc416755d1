"""Hand-counted report fixtures, built fast with bulk_create (call with scoping switched off).

A ``Scenario`` is one fresh school of one fresh organisation (nothing of the shared test world is
counted). Pilots, people and enrolments are plain rows; results need a batch, so each ``results``
call makes one batch at the certificate's exam site with one session, its seats and its sheet.
"""

from __future__ import annotations

import itertools
from datetime import date, time
from decimal import Decimal

from accounts.models import Membership, Organisation, School, User
from accounts.roles import Role
from certificates.models import ExternalCertificate, IssuedCertificate, Result, ResultSheet
from core.scoping import ORGANISATION, SCHOOL, TenantRef, tenant_scope
from exam_sites.models import Announcement, Batch, ExamRoom, ExamSession, ExamSite, Round, Seat
from pilots.models import Certificate, Cohort, Level, Pilot, PilotStatus
from students.models import Enrolment, Person, PersonKind
from tests.exam_sites.helpers import approved_site

_serial = itertools.count(1)

PASS, FAIL, ABSENT, PENDING = (
    Result.Outcome.PASS,
    Result.Outcome.FAIL,
    Result.Outcome.ABSENT,
    Result.Outcome.PENDING,
)


class Scenario:
    def __init__(self, name: str, *, organisation: Organisation | None = None, school: School | None = None) -> None:
        n = next(_serial)
        self.school = school or School.objects.create(name=f"{name}{n}")
        self.organisation = organisation or Organisation.objects.create(name=f"{name}组织{n}")
        self.staff = User.objects.create_user(username=f"report-staff-{n}")
        self.admin = User.objects.create_user(username=f"report-admin-{n}")
        Membership.objects.create(user=self.admin, school=self.school, role=Role.SCHOOL_ADMIN)
        self._sites: dict[int, tuple[ExamSite, ExamRoom]] = {}
        self._rounds: dict[tuple[int, int], Round] = {}

    # --- scopes
    def as_school(self):
        return tenant_scope(TenantRef(SCHOOL, self.school.pk))

    def as_org(self):
        return tenant_scope(TenantRef(ORGANISATION, self.organisation.pk))

    # --- catalogue and pilots
    def certificate(self, name: str) -> Certificate:
        n = next(_serial)
        return Certificate.objects.create(code=f"R{n}", name=f"{name}", organisation=self.organisation)

    def pilot(
        self,
        certificate: Certificate,
        *,
        year: int,
        level: str = Level.ELEMENTARY,
        quota: int,
        cohort: str = Cohort.STUDENTS,
        status: str = PilotStatus.RUNNING,
        notes: str = "",
    ) -> Pilot:
        return Pilot.objects.create(
            school=self.school,
            certificate=certificate,
            level=level,
            year=year,
            cohort=cohort,
            requested_quota=quota,
            quota=quota,
            status=status,
            notes=notes,
        )

    # --- people
    def people(self, count: int, *, graduation: int | None = None, kind: str = PersonKind.STUDENT) -> list[Person]:
        rows = [
            Person(
                school=self.school,
                kind=kind,
                name=f"学员{i}",
                id_number=f"T{next(_serial):017d}",
                expected_graduation_year=graduation,
            )
            for i in range(count)
        ]
        return Person.objects.bulk_create(rows)

    def enrol(self, pilot: Pilot, people: list[Person]) -> list[Enrolment]:
        return Enrolment.objects.bulk_create([Enrolment(person=p, pilot=pilot) for p in people])

    def candidates(self, pilot: Pilot, count: int, *, graduation: int | None = None) -> list[Enrolment]:
        kind = PersonKind.TRAINEE if pilot.cohort == Cohort.SOCIAL else PersonKind.STUDENT
        return self.enrol(pilot, self.people(count, graduation=graduation, kind=kind))

    # --- results
    def _site(self, certificate: Certificate) -> tuple[ExamSite, ExamRoom]:
        existing = ExamSite.objects.filter(school=self.school, certificate=certificate).first()
        if certificate.pk not in self._sites and existing is not None:
            room = ExamRoom.objects.create(site=existing, name="机房", area=Decimal("80"), workstations=1000)
            self._sites[certificate.pk] = (existing, room)
        if certificate.pk not in self._sites:
            site = approved_site(self.school, certificate)
            room = ExamRoom.objects.create(site=site, name="机房", area=Decimal("80"), workstations=1000)
            self._sites[certificate.pk] = (site, room)
        return self._sites[certificate.pk]

    def _round(self, certificate: Certificate, year: int) -> Round:
        key = (certificate.pk, year)
        if key not in self._rounds:
            announcement = Announcement.objects.get_or_create(
                certificate=certificate,
                year=year,
                defaults={"organisation": certificate.organisation, "title": f"{year} 公告"},
            )[0]
            self._rounds[key] = Round.objects.create(
                announcement=announcement,
                name="第一轮",
                starts_on=date(year, 6, 1),
                ends_on=date(year, 6, 30),
                registration_closes_on=date(year, 5, 20),
                levels=Level.values,
            )
        return self._rounds[key]

    def results(
        self,
        pilot: Pilot,
        outcomes: list[tuple[Enrolment, str]],
        *,
        retake: bool = False,
        sheet: str = ResultSheet.Status.FINAL,
    ) -> list[Result]:
        """One batch of ``pilot`` whose sheet is in state ``sheet``, with one result per (enrolment, outcome)."""
        site, room = self._site(pilot.certificate)
        batch = Batch.objects.create(
            school=self.school, pilot=pilot, site=site, round=self._round(pilot.certificate, pilot.year), name="批次"
        )
        session = ExamSession.objects.create(
            batch=batch,
            room=room,
            date=date(pilot.year, 6, 3),
            starts_at=time(9),
            ends_at=time(11),
            seats=max(len(outcomes), 1),
            invigilator=self.staff,
        )
        seats = Seat.objects.bulk_create(
            [
                Seat(batch=batch, session=session, enrolment=e, number=i, is_retake=retake)
                for i, (e, _o) in enumerate(outcomes, start=1)
            ]
        )
        result_sheet = ResultSheet.objects.create(batch=batch, status=sheet)
        return Result.objects.bulk_create(
            [
                Result(
                    sheet=result_sheet,
                    seat=seat,
                    enrolment=e,
                    outcome=o,
                    absent=o == ABSENT,
                    is_retake=retake,
                )
                for seat, (e, o) in zip(seats, outcomes, strict=True)
            ]
        )

    def sit(self, pilot: Pilot, enrolments: list[Enrolment], *, passed: int, absent: int = 0) -> list[Result]:
        """The first ``passed`` pass, the last ``absent`` are absent, the others fail."""
        outcomes = []
        for i, e in enumerate(enrolments):
            if i < passed:
                outcomes.append((e, PASS))
            elif i >= len(enrolments) - absent:
                outcomes.append((e, ABSENT))
            else:
                outcomes.append((e, FAIL))
        return self.results(pilot, outcomes)

    # --- certificates
    def certify(self, results: list[Result], *, status: str = IssuedCertificate.Status.VALID) -> None:
        rows = []
        for r in results:
            enrolment = r.enrolment
            rows.append(
                IssuedCertificate(
                    certificate_id=enrolment.pilot.certificate_id,
                    level=enrolment.pilot.level,
                    number=f"N{next(_serial):010d}",
                    school=self.school,
                    person_id=enrolment.person_id,
                    result=r,
                    assessment_period="2020.6",
                    issued_on=date(2020, 7, 1),
                    status=status,
                )
            )
        IssuedCertificate.objects.bulk_create(rows)

    def external(self, people: list[Person], *, name: str = "机械设计工程师（AutoCAD）") -> None:
        ExternalCertificate.objects.bulk_create(
            [ExternalCertificate(school=self.school, person=p, name=name, issuer="发证机构") for p in people]
        )
