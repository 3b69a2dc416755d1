"""Demo rows of students for seed_demo (idempotent, generated names only)."""

from __future__ import annotations

from typing import Any

from pilots.models import Level, Pilot

from .models import Enrolment, Major, Person, PersonKind, SchoolClass
from .validators import id_number_check_digit

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["子涵", "浩然", "雨轩", "梓萱", "宇航", "欣怡", "俊杰", "思远", "佳怡", "明轩"]
CLASSES = [("20数控1", "数控技术应用", 2020), ("21机器人1", "工业机器人技术应用", 2021)]


def _id_number(region: str, birth: str, serial: int) -> str:
    first17 = f"{region}{birth}{serial:03d}"
    return first17 + id_number_check_digit(first17)


def seed(demo: dict[str, Any]) -> None:
    """demo holds the seeded "schools", "organisations", "certificates" and "users" (by username)."""
    for s_index, school in enumerate(demo["schools"]):
        region = "441202" if s_index == 0 else "440305"
        serial = 0
        for c_index, (code, major_name, year) in enumerate(CLASSES):
            major, _ = Major.objects.get_or_create(school=school, name=major_name)
            school_class, _ = SchoolClass.objects.update_or_create(
                school=school, code=code, defaults={"major": major, "enrolment_year": year}
            )
            for i in range(12):
                serial += 1
                name = SURNAMES[(i + c_index * 7 + s_index * 3) % len(SURNAMES)] + GIVEN[i % len(GIVEN)]
                Person.objects.update_or_create(
                    school=school,
                    id_number=_id_number(region, f"{year - 15}0{1 + i % 9}1{i % 10}", serial),
                    defaults={
                        "kind": PersonKind.STUDENT,
                        "name": name,
                        "gender": "male" if i % 3 else "female",
                        "school_class": school_class,
                        "major": major,
                        "enrolment_year": year,
                        "expected_graduation_year": year + 3,
                    },
                )
        for i in range(5):
            serial += 1
            Person.objects.update_or_create(
                school=school,
                id_number=_id_number(region, f"19{85 + i}0{1 + i}15", serial),
                defaults={
                    "kind": PersonKind.TRAINEE,
                    "name": SURNAMES[(i + 11) % len(SURNAMES)] + GIVEN[(i + 4) % len(GIVEN)],
                    "employer": f"示范精密机械有限公司{i + 1}部",
                    "phone": f"1380013{8000 + i + s_index * 10:04d}",
                },
            )
    # The first school's running 2024 pilot holds the class 20数控1.
    school = demo["schools"][0]
    pilot = Pilot.objects.filter(
        school=school, certificate=demo["certificates"][0], level=Level.ELEMENTARY, year=2024
    ).first()
    if pilot is not None and pilot.quota:
        for person in Person.objects.filter(school=school, school_class__code="20数控1")[: pilot.quota]:
            Enrolment.objects.get_or_create(person=person, pilot=pilot)
