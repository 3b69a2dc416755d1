"""Demo rows of certificates for seed_demo (idempotent, generated names only)."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from exam_sites.models import Announcement, Batch, ExamRoom, ExamSession, ExamSite, Round, Seat
from pilots.models import Level, Pilot
from students.models import Enrolment

from .models import ExternalCertificate, Result, ResultSheet
from .services.results import result_save, result_sheet_for_batch

EXTERNAL = [("机械设计工程师（AutoCAD）", "示范工程师协会"), ("数控技术工程师", "示范数控行业协会")]


def seed(demo: dict[str, Any]) -> None:
    """demo holds the seeded "schools", "organisations", "certificates" and "users" (by username)."""
    _seed_issuance(demo)
    _seed_results(demo)


def _pilot_and_room(demo: dict[str, Any]) -> tuple[Pilot | None, ExamSite | None, ExamRoom | None]:
    """School 1's 2024 pilot of 机械工程制图 (初级), its exam site and the site's first room."""
    school, certificate = demo["schools"][0], demo["certificates"][0]
    pilot = Pilot.objects.filter(school=school, certificate=certificate, level=Level.ELEMENTARY, year=2024).first()
    site = ExamSite.objects.filter(school=school, certificate=certificate).first()
    room = site.rooms.order_by("id").first() if site else None
    return pilot, site, room


def _session(batch: Batch, room: ExamRoom, day: date, invigilator: Any) -> ExamSession:
    return ExamSession.objects.create(
        batch=batch,
        room=room,
        date=day,
        starts_at=time(9),
        ends_at=time(11),
        seats=room.workstations,
        invigilator=invigilator,
    )


def _first_round(demo: dict[str, Any]) -> Round:
    certificate = demo["certificates"][0]
    announcement, _created = Announcement.objects.get_or_create(
        certificate=certificate,
        year=2024,
        defaults={
            "organisation": certificate.organisation,
            "title": f"2024 年{certificate.name}职业技能等级证书鉴定公告",
            "published_at": timezone.now(),
        },
    )
    round_, _created = Round.objects.get_or_create(
        announcement=announcement,
        name="第一轮",
        defaults={
            "starts_on": date(2024, 6, 1),
            "ends_on": date(2024, 6, 30),
            "registration_closes_on": date(2024, 5, 20),
            "levels": [Level.ELEMENTARY],
        },
    )
    return round_


def _seed_issuance(demo: dict[str, Any]) -> None:
    """School 1's 2024 batch of 机械工程制图 (初级) has ended: 20数控1 sat it in June 2024,
    eleven passed and wait for their numbers (the reviewer of organisation 1 generates them); some of
    the class also hold external skill certificates. Results are written with the models here
    because they are the starting point of issuance, not something this demo walks through."""
    school, teacher = demo["schools"][0], demo["users"]["school1_teacher"]
    pilot, site, room = _pilot_and_room(demo)
    if pilot is None or room is None:
        return
    batch, created = Batch.objects.get_or_create(
        school=school,
        pilot=pilot,
        round=_first_round(demo),
        defaults={"site": site, "name": "2024 第一轮 · 机械工程制图初级（20数控1）", "created_by": teacher},
    )
    if not created:
        return
    session = _session(batch, room, date(2024, 6, 3), teacher)
    sheet = ResultSheet.objects.create(
        batch=batch, status=ResultSheet.Status.FINAL, notice_ends_on=date(2024, 6, 20), ended_at=timezone.now()
    )
    enrolments = Enrolment.objects.filter(pilot=pilot, person__school_class__code="20数控1").select_related("person")
    for number, enrolment in enumerate(enrolments.order_by("person__name", "id")[: room.workstations], start=1):
        seat = Seat.objects.create(batch=batch, session=session, enrolment=enrolment, number=number)
        passed = number != 5
        Result.objects.create(
            sheet=sheet,
            seat=seat,
            enrolment=enrolment,
            theory=76 + number if passed else 48,
            practical=70 + number if passed else 52,
            outcome=Result.Outcome.PASS if passed else Result.Outcome.FAIL,
            updated_by=teacher,
        )
    for index, enrolment in enumerate(enrolments.order_by("person__name", "id")[:6]):
        name, issuer = EXTERNAL[index % 2]
        ExternalCertificate.objects.get_or_create(
            school=school,
            person=enrolment.person,
            name=name,
            defaults={"issuer": issuer, "assessment_period": "2024.6", "issued_on": date(2024, 7, 15)},
        )


def _second_round(first_round: Round) -> Round:
    round_, _created = Round.objects.get_or_create(
        announcement=first_round.announcement,
        name="第二轮",
        defaults={
            "starts_on": date(2024, 11, 1),
            "ends_on": date(2024, 11, 30),
            "registration_closes_on": date(2024, 10, 20),
            "levels": [Level.ELEMENTARY],
        },
    )
    return round_


def _seat_candidates(batch: Batch, session: ExamSession, pilot: Pilot) -> None:
    """Up to three candidates who failed in June sit again (补考), with five who have not sat yet."""
    failed = Result.objects.filter(sheet__batch__pilot=pilot, outcome__in=[Result.Outcome.FAIL, Result.Outcome.ABSENT])
    seated = set()
    number = 0
    for result in failed.select_related("enrolment")[:3]:
        number += 1
        Seat.objects.create(batch=batch, session=session, enrolment=result.enrolment, number=number, is_retake=True)
        seated.add(result.enrolment_id)
    passed = Result.objects.filter(sheet__batch__pilot=pilot, outcome=Result.Outcome.PASS).values("enrolment_id")
    for enrolment in pilot.enrolments.exclude(pk__in=seated).exclude(pk__in=passed).order_by("id")[:5]:
        number += 1
        Seat.objects.create(batch=batch, session=session, enrolment=enrolment, number=number)


def _seed_results(demo: dict[str, Any]) -> None:
    """School 1's second 2024 round of 机械工程制图 (初级) is being entered by the demo teacher:
    the candidate who failed in June sits it again as a retake (补考), and a few scores are in. The
    batch and its seats are written with the models (scheduling is exam_sites' work); the results go
    through the results services."""
    school, certificate = demo["schools"][0], demo["certificates"][0]
    teacher, admin = demo["users"]["school1_teacher"], demo["users"]["school1_admin"]
    pilot, site, room = _pilot_and_room(demo)
    first_round = Round.objects.filter(announcement__certificate=certificate, announcement__year=2024).first()
    if pilot is None or room is None or first_round is None:
        return
    batch, created = Batch.objects.get_or_create(
        school=school,
        pilot=pilot,
        round=_second_round(first_round),
        defaults={"site": site, "name": "2024 第二轮 · 机械工程制图初级（含补考）", "created_by": admin},
    )
    if not created:
        return
    batch.teachers.add(teacher)
    _seat_candidates(batch, _session(batch, room, date(2024, 11, 12), teacher), pilot)
    result_sheet_for_batch(batch=batch, actor=teacher)
    for index, seat in enumerate(Seat.objects.filter(batch=batch, is_retake=False).order_by("number")[:3]):
        try:
            result_save(seat=seat, theory=70 + 5 * index, practical=58 + 6 * index, actor=teacher, version=0)
        except ValidationError:
            continue
