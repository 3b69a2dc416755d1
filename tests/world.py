"""The test world: two schools and two organisations, each holding a row of every tenant model.

Side A and side B are mirror images. Every private value of side B carries ``MARKER_B`` so that a
test can assert that nothing of B ever reaches a user of A. Each app adds its rows in
``tests/worlds/<app>.py`` (``build(side)``) and its URL arguments there (``ARGUMENTS``); the
permission matrix fails while a tenant model has no row on a side, or a URL argument is unknown.
"""

from __future__ import annotations

from datetime import date

from django.core.files.base import ContentFile

from accounts.models import Membership, Organisation, School, StaffQualification, User
from accounts.roles import Role
from core.models import Job, StoredFile
from pilots.models import Certificate, CertificateLevel, Level
from tests.world_base import MARKER_A, MARKER_B, PASSWORD, Side, World
from tests.worlds import certificates, exam_sites, funding, pilots, students

APPS = (pilots, students, exam_sites, certificates, funding)  # in layer order

__all__ = ["MARKER_A", "MARKER_B", "PASSWORD", "Side", "World", "build_world", "make_user", "APPS"]


def make_user(username: str, full_name: str, *, staff: bool = False) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, full_name=full_name)
    if staff:
        user.is_staff = user.is_superuser = True
        user.save()
    return user


def build_side(key: str, marker: str) -> Side:
    school = School.objects.create(
        name=f"{key}校{marker}", address=f"{marker}路 1 号", profile=f"{marker} 学校简介", founded_year=1990
    )
    org = Organisation.objects.create(name=f"{key}组织", contact_person=f"联系人{marker}", phone="010-1")
    certificate = Certificate.objects.create(code=f"T-{key}", name=f"{key}证书", organisation=org)
    for level in Level.values:
        CertificateLevel.objects.create(certificate=certificate, level=level, pass_mark=60)
    users = {
        Role.SCHOOL_ADMIN: make_user(f"{key}_admin", f"{key}管理员{marker}"),
        Role.TEACHER: make_user(f"{key}_teacher", f"{key}教师{marker}"),
        Role.REVIEWER: make_user(f"{key}_reviewer", f"{key}审核员{marker}"),
    }
    Membership.objects.create(user=users[Role.SCHOOL_ADMIN], school=school, role=Role.SCHOOL_ADMIN)
    Membership.objects.create(user=users[Role.TEACHER], school=school, role=Role.TEACHER)
    Membership.objects.create(user=users[Role.REVIEWER], organisation=org, role=Role.REVIEWER)
    side = Side(key=key, marker=marker, school=school, organisation=org, certificate=certificate, users=users)
    side.objects["qualification"] = StaffQualification.objects.create(
        school=school,
        user=users[Role.TEACHER],
        kind=StaffQualification.Kind.INVIGILATOR,
        certificate=certificate,
        obtained_on=date(2022, 5, 1),
        document_number=f"KZ{marker}",
    )
    for role, user in users.items():
        tenant = {"organisation": org} if role == Role.REVIEWER else {"school": school}
        stored = StoredFile(name=f"{marker}.txt", content_type="text/plain", owner=user, size=6, **tenant)
        stored.file.save(f"{marker}.txt", ContentFile(marker.encode()), save=False)
        stored.save()
        side.objects[f"file:{role}"] = stored
        side.objects[f"job:{role}"] = Job.objects.create(
            kind="test", title=f"任务{marker}", task_name="core.export_spreadsheet", owner=user, result=stored, **tenant
        )
    for app in APPS:
        app.build(side)
    return side


def build_world() -> World:
    a = build_side("a", MARKER_A)
    b = build_side("b", MARKER_B)
    admin = make_user("platform", "平台管理员", staff=True)
    return World(a=a, b=b, platform_admin=admin)
