"""Demo data for trying the product: idempotent, generated names only.

It sits in reports (the top layer, which may read every app) and writes only through each app's
services, so it is the one place that composes them.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django_scopes import scopes_disabled

from accounts.models import Organisation, School
from accounts.roles import Role
from accounts.services import user_with_membership
from certificates import demo as certificates_demo
from exam_sites import demo as exam_sites_demo
from funding import demo as funding_demo
from pilots import demo as pilots_demo
from pilots.models import Level
from pilots.services import certificate_upsert
from students import demo as students_demo

DEMO_PASSWORD = "Demo-1x-2026"

ORGANISATIONS = [
    ("示范制图技术培训评价有限公司", "周明", "020-55550101"),
    ("示范智能制造培训评价有限公司", "吴芳", "021-55550202"),
]

# The eight certificates of the domain reference, split between the two demo organisations.
CERTIFICATES = [
    ("C01", "机械工程制图", 0),
    ("C02", "工业机器人操作与运维", 1),
    ("C03", "汽车运用与维修", 0),
    ("C04", "幼儿照护", 1),
    ("C05", "网店运营推广", 0),
    ("C06", "业财税融合成本管控", 1),
    ("C07", "文创产品数字化设计", 0),
    ("C08", "物流管理员", 1),
]

SCHOOLS = [
    {
        "name": "示范机电职业技术学校",
        "address": "示范市滨江区学府路 100 号",
        "kind": School.Kind.PUBLIC_SECONDARY,
        "founded_year": 1985,
        "profile": "国家级重点中等职业学校，开设工业机器人技术应用、机电技术应用等专业，"
        "2020 年起参与 1+X 证书制度试点。",
    },
    {
        "name": "示范理工职业技术学校",
        "address": "示范市高新区创业大道 8 号",
        "kind": School.Kind.PUBLIC_SECONDARY,
        "founded_year": 1992,
        "profile": "省级示范性中职学校，数控技术应用、模具制造技术专业为骨干专业。",
    },
]


class Command(BaseCommand):
    help = "Load demo schools, organisations, the certificate catalogue and one user per role."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        with scopes_disabled():
            organisations = []
            for name, contact, phone in ORGANISATIONS:
                org, _ = Organisation.objects.update_or_create(
                    name=name, defaults={"contact_person": contact, "phone": phone}
                )
                organisations.append(org)
            certificates = []
            for code, name, owner in CERTIFICATES:
                certificate = certificate_upsert(
                    code=code,
                    name=name,
                    organisation=organisations[owner],
                    pass_marks={Level.ELEMENTARY: 60, Level.INTERMEDIATE: 60, Level.ADVANCED: 70},
                )
                certificates.append(certificate)
            schools = []
            for data in SCHOOLS:
                school, _ = School.objects.update_or_create(name=data["name"], defaults=data)
                schools.append(school)

            accounts = [("platform_admin", "平台管理员", Role.PLATFORM_ADMIN, None, None)]
            for i, school in enumerate(schools, start=1):
                accounts.append((f"school{i}_admin", f"校管理员{i}", Role.SCHOOL_ADMIN, school, None))
                accounts.append((f"school{i}_teacher", f"教师{i}", Role.TEACHER, school, None))
            for i, org in enumerate(organisations, start=1):
                accounts.append((f"org{i}_reviewer", f"审核员{i}", Role.REVIEWER, None, org))
            users = {}
            for username, full_name, role, school, org in accounts:
                users[username] = user_with_membership(
                    username=username,
                    password=DEMO_PASSWORD,
                    full_name=full_name,
                    role=role,
                    school=school,
                    organisation=org,
                )
            demo = {"schools": schools, "organisations": organisations, "certificates": certificates, "users": users}
            for app in (pilots_demo, students_demo, exam_sites_demo, certificates_demo, funding_demo):
                app.seed(demo)

        self.stdout.write(self.style.SUCCESS("Demo data loaded. Log in at http://127.0.0.1:8000/ with:"))
        for username, _full, role, school, org in accounts:
            where = school or org or "—"
            self.stdout.write(f"  {username:<16} {DEMO_PASSWORD}   {Role(role).label} · {where}")
