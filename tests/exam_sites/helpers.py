"""Helpers for the exam_sites tests: a fresh certificate of side A's organisation, a full form, and an
approved site (the other apps' tests use it too)."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import School
from accounts.roles import Role
from exam_sites.models import ExamSite, SiteApplication
from exam_sites.services.applications import application_create, application_update
from pilots.models import Certificate
from tests.scopes import as_org, as_school  # noqa: F401 - re-exported to the tests of this app
from tests.world_base import Side

_codes = itertools.count(1)


def new_certificate(side: Side) -> Certificate:
    """A certificate of the side's organisation with no application yet (the world's has open ones)."""
    with scopes_disabled():
        n = next(_codes)
        return Certificate.objects.create(
            code=f"ES-{side.key}-{n}", name=f"考点测试证书{side.key}{n}", organisation=side.organisation
        )


def approved_site(
    school: School, certificate: Certificate, *, name: str = "考点", daily_max: int = 1000, **application: Any
) -> ExamSite:
    """An exam site and the approved application it came from, made directly (call with scopes off);
    ``application``: more fields of the application (its ``levels`` are the site's too)."""
    both = {"school": school, "certificate": certificate}
    approved = SiteApplication.objects.create(**both, status=SiteApplication.Status.APPROVED, **application)
    return ExamSite.objects.create(
        **both, application=approved, name=name, daily_max=daily_max, levels=approved.levels, approved_at=timezone.now()
    )


def full_form(**overrides: Any) -> dict[str, Any]:
    fields = {
        "unit_name": "测试职业学校",
        "address": "测试市学府路 1 号",
        "is_pilot_school": True,
        "kind": SiteApplication.Kind.EXAM_SITE,
        "levels": ["elementary", "advanced"],
        "daily_max": 60,
        "expected_candidates": 30,
        "sessions_per_day": 2,
        "profile": "国家级重点中职学校。",
        "computers": "i5/16G/512G，50 台",
        "software": "中望CAD 40套",
        "network": "千兆局域网",
        "organisation_text": "考点领导小组",
        "exam_team": "考评员 6 人",
        "rules": "考务管理制度",
        "mechanism": "一天免费熟悉场地",
        "is_joint": False,
        "lead_school_name": "",
    }
    fields.update(overrides.pop("fields", {}))
    data = {
        "fields": fields,
        "contacts": {
            role: {
                "name": f"联系人{i}",
                "title": "主任",
                "phone": "020-1",
                "mobile": f"1380000000{i}",
                "email": f"c{i}@example.edu.cn",
                "wechat": f"wx{i}",
            }
            for i, role in enumerate(("lead", "daily", "platform"), start=1)
        },
        "rooms": [
            {"name": "301 机房", "area": Decimal("120.5"), "workstations": 20},
            {"name": "302 机房", "area": Decimal("100"), "workstations": 10},
        ],
        "partners": [],
    }
    data.update(overrides)
    return data


def draft(
    side: Side, certificate: Certificate, *, kind: str = SiteApplication.Kind.EXAM_SITE, **form: Any
) -> SiteApplication:
    """A filled draft of side's school (in the school's scope)."""
    admin = side.user(Role.SCHOOL_ADMIN)
    with as_school(side):
        application = application_create(school=side.school, certificate=certificate, actor=admin, kind=kind)
        data = full_form(**form)
        data["fields"]["kind"] = kind
        return application_update(application=application, actor=admin, version=application.version, **data)


def fresh(application: SiteApplication) -> SiteApplication:
    with scopes_disabled():
        return SiteApplication.objects.get(pk=application.pk)
