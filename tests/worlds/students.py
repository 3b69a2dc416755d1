"""Side rows of the students app for the test world (see tests/world.py)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from accounts.roles import Role
from core.audit import record
from students.models import Enrolment, Major, Person, PersonKind, SchoolClass
from students.validators import id_number_check_digit
from tests.world_base import Side

# URL argument -> (side, role) -> primary key, for the permission matrix.
ARGUMENTS: dict[str, Callable[[Side, str], int]] = {
    "person_id": lambda side, role: side.objects["person"].pk,
}


def make_id_number(serial: int, *, region: str = "441202", birth: str = "20050101") -> str:
    """A valid 18-character ID number (GB 11643 check digit) for tests and demo data."""
    first17 = f"{region}{birth}{serial % 1000:03d}"
    return first17 + id_number_check_digit(first17)


def build(side: Side) -> None:
    """A major, a class, a student and a trainee, and the student's enrolment in the side's pilot."""
    serial = 1 if side.key == "a" else 2
    major = Major.objects.create(school=side.school, name=f"数控{side.marker}")
    school_class = SchoolClass.objects.create(
        school=side.school, code=f"20数控{side.key}", major=major, enrolment_year=2020
    )
    student = Person.objects.create(
        school=side.school,
        kind=PersonKind.STUDENT,
        name=f"学生{side.key}",
        gender="male",
        id_number=make_id_number(serial),
        school_class=school_class,
        major=major,
        enrolment_year=2020,
        expected_graduation_year=2023,
        notes=f"备注{side.marker}",
    )
    trainee = Person.objects.create(
        school=side.school,
        kind=PersonKind.TRAINEE,
        name=f"学员{side.key}",
        id_number=make_id_number(serial + 100, birth="19900101"),
        employer=f"单位{side.marker}",
        phone="13800138000",
        notes=f"备注{side.marker}",
    )
    side.objects.update(major=major, school_class=school_class, person=student, trainee=trainee)
    with transaction.atomic():
        record(
            student,
            "students.person.updated",
            actor=side.user(Role.SCHOOL_ADMIN),
            data={"fields": ["notes"], "changes": {"notes": {"before": "", "after": f"备注{side.marker}"}}},
        )
    side.objects["enrolment"] = Enrolment.objects.create(
        person=student, pilot=side.objects["pilot"], created_by=side.user(Role.SCHOOL_ADMIN)
    )
