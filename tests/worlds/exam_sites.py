"""Side rows of the exam_sites app for the test world (see tests/world.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.roles import Role
from core.audit import record
from exam_sites.models import (
    Announcement,
    Batch,
    ExamRoom,
    ExamSession,
    ExamSite,
    GuidanceCentre,
    PartnerUnit,
    Round,
    Seat,
    SiteApplication,
    SiteContact,
    SiteRoom,
)
from tests.world_base import Side


def _application_for(side: Side, role: str) -> int:
    # Reviewers never see drafts: they reach the submitted one; school roles reach the draft.
    key = "application:submitted" if role == Role.REVIEWER else "application"
    return side.objects[key].pk


# URL argument -> (side, role) -> primary key, for the permission matrix.
# Scheduling: every role of a side may see its side's announcement (the school pilots the certificate;
# the reviewer's organisation owns it), batch and session.
ARGUMENTS: dict[str, Callable[[Side, str], int]] = {
    "application_id": _application_for,
    "announcement_id": lambda side, role: side.objects["announcement"].pk,
    "batch_id": lambda side, role: side.objects["batch"].pk,
    "session_id": lambda side, role: side.objects["session"].pk,
}


def _application(side: Side, *, kind: str, status: str) -> SiteApplication:
    admin = side.user(Role.SCHOOL_ADMIN)
    application = SiteApplication.objects.create(
        school=side.school,
        certificate=side.certificate,
        unit_name=side.school.name,
        address=side.school.address,
        kind=kind,
        status=status,
        levels=["elementary"],
        daily_max=20,
        expected_candidates=10,
        sessions_per_day=1,
        profile=f"{side.marker} 申报简介",
        computers=f"{side.marker} 计算机",
        created_by=admin,
    )
    for role in SiteContact.Role.values:
        SiteContact.objects.create(
            application=application,
            role=role,
            name=f"{side.marker}{role}",
            title="教师",
            mobile="13900000000",
            email=f"{role}@example.edu.cn",
        )
    SiteRoom.objects.create(application=application, name=f"{side.marker}机房", area=Decimal("80"), workstations=20)
    with transaction.atomic():
        record(
            application,
            "exam_sites.application.created",
            actor=admin,
            data={"from": "", "to": SiteApplication.Status.DRAFT, "comment": f"{side.marker} 记录", "version": 1},
            organisation=None,  # a draft's lines are the school's only
        )
        if status != SiteApplication.Status.DRAFT:
            record(
                application,
                f"exam_sites.application.{status}",
                actor=admin,
                data={
                    "from": SiteApplication.Status.DRAFT,
                    "to": status,
                    "comment": f"{side.marker} 意见",
                    "version": 1,
                },
            )
    return application


def build(side: Side) -> None:
    """Create at least one row of every tenant model of exam_sites for this side."""
    draft = _application(side, kind=SiteApplication.Kind.EXAM_SITE, status=SiteApplication.Status.DRAFT)
    PartnerUnit.objects.create(application=draft, name=f"{side.marker}联合单位", contribution=f"{side.marker} 承担")
    side.objects["application"] = draft
    side.objects["application:submitted"] = _application(
        side, kind=SiteApplication.Kind.GUIDANCE_CENTRE, status=SiteApplication.Status.SUBMITTED
    )
    approved = _application(side, kind=SiteApplication.Kind.EXAM_SITE, status=SiteApplication.Status.APPROVED)
    side.objects["application:approved"] = approved
    now = timezone.now()
    site = ExamSite.objects.create(
        school=side.school,
        certificate=side.certificate,
        application=approved,
        name=f"{side.marker}考点",
        daily_max=20,
        levels=["elementary"],
        approved_at=now,
    )
    room = ExamRoom.objects.create(site=site, name=f"{side.marker}考场", area=Decimal("80"), workstations=20)
    side.objects["exam_site"] = site
    side.objects["exam_room"] = room
    centre_application = _application(
        side, kind=SiteApplication.Kind.GUIDANCE_CENTRE, status=SiteApplication.Status.APPROVED
    )
    side.objects["guidance_centre"] = GuidanceCentre.objects.create(
        school=side.school,
        certificate=side.certificate,
        application=centre_application,
        name=f"{side.marker}指导中心",
        approved_at=now,
    )
    _build_scheduling(side)


def _build_scheduling(side: Side) -> None:
    """An announcement with a round and its publication, and a batch with one session, one seat and
    one history line (side B's carry the marker, so a leak shows on any page)."""
    announcement = Announcement.objects.create(
        organisation=side.organisation,
        certificate=side.certificate,
        year=2024,
        title=f"{side.marker} 2024 年度鉴定公告",
        body=f"{side.marker} 公告正文",
        published_at=timezone.now(),
    )
    side.objects["announcement"] = announcement
    side.objects["round"] = Round.objects.create(
        announcement=announcement,
        name=f"{side.marker}第一轮",
        starts_on=date(2024, 6, 1),
        ends_on=date(2024, 6, 30),
        registration_closes_on=date(2024, 5, 20),
        levels=["elementary"],
    )
    with transaction.atomic():
        side.objects["event:announcement"] = record(
            announcement,
            "scheduling.announcement.published",
            actor=side.user(Role.REVIEWER),
            data={
                "title": announcement.title,
                "round_ids": [side.objects["round"].pk],
                "rounds": [side.objects["round"].name],
            },
        )
    batch = Batch.objects.create(
        school=side.school,
        pilot=side.objects["pilot"],
        site=side.objects["exam_site"],
        round=side.objects["round"],
        name=f"{side.marker}批次",
        created_by=side.user(Role.SCHOOL_ADMIN),
    )
    batch.teachers.add(side.user(Role.TEACHER))
    side.objects["batch"] = batch
    session = ExamSession.objects.create(
        batch=batch,
        room=side.objects["exam_room"],
        date=date(2024, 6, 3),
        starts_at=time(9, 0),
        ends_at=time(11, 0),
        seats=20,
        invigilator=side.user(Role.TEACHER),
    )
    side.objects["session"] = session
    side.objects["seat"] = Seat.objects.create(
        batch=batch, session=session, enrolment=side.objects["enrolment"], number=1
    )
    with transaction.atomic():
        side.objects["event:batch"] = record(
            batch,
            "scheduling.batch.created",
            actor=side.user(Role.SCHOOL_ADMIN),
            data={
                "name": batch.name,
                "pilot_id": batch.pilot_id,
                "pilot_year": side.objects["pilot"].year,
                "certificate": side.certificate.name,
                "level": side.objects["pilot"].level,
                "site_id": batch.site_id,
                "site": side.objects["exam_site"].name,
                "round_id": batch.round_id,
                "round": side.objects["round"].name,
                "year": announcement.year,
                "familiarisation_on": None,
            },
        )
