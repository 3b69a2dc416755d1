"""Side rows of the pilots app for the test world (see tests/world.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.db import transaction

from accounts.roles import Role
from core.audit import record
from pilots.models import FeeStandard, Level, Pilot, PilotStatus
from tests.world_base import Side

# URL argument -> (side, role) -> primary key, for the permission matrix.
ARGUMENTS: dict[str, Callable[[Side, str], int]] = {
    "pilot_id": lambda side, role: side.objects["pilot"].pk,
}


def build(side: Side) -> None:
    """An approved student pilot (quota 30) with its history, and a fee of the side's certificate."""
    pilot = Pilot.objects.create(
        school=side.school,
        certificate=side.certificate,
        level=Level.ELEMENTARY,
        year=2024,
        cohort="students",
        requested_quota=40,
        quota=30,
        status=PilotStatus.APPROVED,
        notes=f"备注{side.marker}",
        created_by=side.user(Role.SCHOOL_ADMIN),
    )
    with transaction.atomic():
        record(
            pilot,
            "pilots.pilot.submitted",
            actor=side.user(Role.SCHOOL_ADMIN),
            data={"from": "", "to": PilotStatus.APPLIED, "comment": f"申报{side.marker}"},
        )
        record(
            pilot,
            "pilots.pilot.approved",
            actor=side.user(Role.REVIEWER),
            data={
                "from": PilotStatus.APPLIED,
                "to": PilotStatus.APPROVED,
                "comment": f"批准{side.marker}",
                "quota": 30,
            },
        )
    side.objects["pilot"] = pilot
    side.objects["fee"] = FeeStandard.objects.create(
        certificate=side.certificate, level=Level.ELEMENTARY, fee=Decimal("180.00"), effective_from=date(2024, 1, 1)
    )
