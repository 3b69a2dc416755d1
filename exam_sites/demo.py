"""Demo rows of exam_sites for seed_demo (idempotent, generated names only)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pilots.models import Level

from .models import SiteApplication
from .services import application_approve, application_create, application_submit, application_update


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
