"""Demo rows of exam_sites for seed_demo (idempotent, generated names only)."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Any

from django.utils import timezone

from accounts.models import StaffQualification
from accounts.services import staff_qualification_create
from pilots.models import Level, Pilot

from .models import Announcement, Batch, ExamSite, Round, SiteApplication
from .services.announcements import announcement_create, announcement_publish, round_create
from .services.applications import application_approve, application_create, application_submit, application_update
from .services.batches import batch_create, batch_update
from .services.seats import seats_allocate
from .services.sessions import session_create


def _form(school_name: str) -> dict[str, Any]:
    return {
        "fields": {
            "levels": [Level.ELEMENTARY, Level.INTERMEDIATE],
            "daily_max": 60,
            "expected_candidates": 30,
            "sessions_per_day": 2,
            "computers": "联想启天台式机 50 台：i5 处理器，16G 内存，512G 固态硬盘，23.8 英寸显示器。",
            "software": "中望CAD 教育版 40 套；Windows 10 教育版；考试客户端（培训评价组织提供）。",
            "network": "千兆有线局域网，百兆专线接入互联网；考场配备监控摄像头。",
            "organisation_text": "成立考点工作领导小组，校长任组长，分管副校长任副组长。",
            "exam_team": "考评员 6 人，督考 2 人，技术保障 2 人。",
            "rules": "考务管理制度、考场规则、设备管理制度、应急预案。",
            "mechanism": "考前一天免费熟悉场地；所有鉴定均设督考；考后资料归档。",
        },
        "contacts": {
            "lead": {"name": "示例负责人", "title": "副校长", "mobile": "13800000001", "email": "lead@example.edu.cn"},
            "daily": {
                "name": "示例联系人",
                "title": "教务主任",
                "mobile": "13800000002",
                "email": "daily@example.edu.cn",
            },
            "platform": {
                "name": "示例管理员",
                "title": "信息中心教师",
                "mobile": "13800000003",
                "email": "it@example.edu.cn",
                "wechat": "demo_it",
            },
        },
        "rooms": [
            {"name": "实训楼 301 机房", "area": Decimal("120.00"), "workstations": 25},
            {"name": "实训楼 302 机房", "area": Decimal("118.50"), "workstations": 25},
        ],
        "partners": [],
    }


def _prepare(school, certificate, actor, school_name: str) -> SiteApplication | None:
    if SiteApplication.objects.filter(school=school, certificate=certificate).exists():
        return None
    application = application_create(school=school, certificate=certificate, actor=actor)
    data = _form(school_name)
    return application_update(application=application, actor=actor, version=application.version, **data)


def seed(demo: dict[str, Any]) -> None:
    """demo holds the seeded "schools", "organisations", "certificates" and "users" (by username)."""
    schools, certificates, users = demo["schools"], demo["certificates"], demo["users"]
    # School 1: an approved exam site for 机械工程制图 (reviewed by organisation 1).
    application = _prepare(schools[0], certificates[0], users["school1_admin"], schools[0].name)
    if application is not None:
        application = application_submit(
            application=application, actor=users["school1_admin"], version=application.version
        )
        application_approve(application=application, actor=users["org1_reviewer"], comment="材料齐全，同意设立考点。")
    # School 2: a submitted application for 机械工程制图, waiting in organisation 1's queue.
    application = _prepare(schools[1], certificates[0], users["school2_admin"], schools[1].name)
    if application is not None:
        application_submit(application=application, actor=users["school2_admin"], version=application.version)
    _seed_scheduling(demo)


def _seed_scheduling(demo: dict[str, Any]) -> None:
    """This year's announcement of 机械工程制图 with two rounds, and school 1's batch in the first one:
    two sessions, the class 20数控1 seated, the teacher assigned. Next year is left for trying it out."""
    school, certificate = demo["schools"][0], demo["certificates"][0]
    _qualify_invigilator(school, certificate, demo["users"]["school1_teacher"])
    year = timezone.localdate().year
    if Announcement.objects.filter(certificate=certificate, year=year).exists():
        return
    first = _announce(certificate, year, demo["users"]["org1_reviewer"])
    pilot = Pilot.objects.filter(school=school, certificate=certificate, level=Level.ELEMENTARY, year=2024).first()
    site = ExamSite.objects.filter(school=school, certificate=certificate).first()
    if pilot is None or site is None or Batch.objects.filter(round=first, pilot=pilot).exists():
        return
    _plan_batch(demo, pilot, site, Round.objects.select_related("announcement").get(pk=first.pk))


def _qualify_invigilator(school, certificate, teacher) -> None:
    if not StaffQualification.objects.filter(
        school=school, user=teacher, kind=StaffQualification.Kind.INVIGILATOR, certificate=certificate
    ).exists():
        staff_qualification_create(
            school=school,
            user=teacher,
            kind=StaffQualification.Kind.INVIGILATOR,
            certificate_id=certificate.pk,
            obtained_on=date(2022, 5, 1),
            document_number="DK-2022-001",
        )


def _announce(certificate, year: int, reviewer) -> Round:
    """The published announcement of the year with its two rounds; the first round is returned."""
    announcement = announcement_create(
        organisation=certificate.organisation,
        certificate=certificate,
        year=year,
        title=f"{year} 年{certificate.name}职业技能等级证书鉴定公告",
        body="一年多轮、一日多场；每位考生可在考前一天免费熟悉场地；所有鉴定均设督考。",
    )
    first = round_create(
        announcement=announcement,
        name="第一轮",
        starts_on=date(year, 6, 1),
        ends_on=date(year, 6, 30),
        registration_closes_on=date(year, 5, 20),
        levels=[Level.ELEMENTARY, Level.INTERMEDIATE],
    )
    round_create(
        announcement=announcement,
        name="第二轮",
        starts_on=date(year, 12, 1),
        ends_on=date(year, 12, 31),
        registration_closes_on=date(year, 12, 1),
        levels=[Level.ELEMENTARY, Level.INTERMEDIATE, Level.ADVANCED],
    )
    announcement_publish(announcement=announcement, actor=reviewer)
    return first


def _plan_batch(demo: dict[str, Any], pilot: Pilot, site: ExamSite, first: Round) -> None:
    """School 1's batch in the first round: the teacher assigned, two sessions, the candidates seated."""
    admin, teacher = demo["users"]["school1_admin"], demo["users"]["school1_teacher"]
    year = first.announcement.year
    planned_on = date(year, 5, 10)  # the batch was planned before the first round's registration closed
    batch = batch_create(
        school=pilot.school,
        actor=admin,
        pilot=pilot,
        site=site,
        exam_round=first,
        name=f"{year} 第一轮 · 机械工程制图初级",
        familiarisation_on=date(year, 6, 2),
        today=planned_on,
    )
    batch_update(
        batch=batch, actor=admin, name=batch.name, familiarisation_on=batch.familiarisation_on, teachers=[teacher]
    )
    rooms = list(site.rooms.order_by("id"))
    for index, (starts, ends) in enumerate(((time(9), time(11)), (time(14), time(16)))):
        session_create(
            batch=batch,
            room=rooms[index % len(rooms)],
            day=date(year, 6, 3),
            starts_at=starts,
            ends_at=ends,
            seats=rooms[index % len(rooms)].workstations,
            invigilator=teacher,
            actor=admin,
            today=planned_on,
        )
    seats_allocate(batch=batch, actor=admin)
