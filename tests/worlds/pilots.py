"""Side rows of the pilots app for the test world (see tests/world.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from accounts.roles import Role
from pilots.models import FeeStandard, Level, Pilot, PilotEvent, PilotStatus
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
    PilotEvent.objects.create(
        pilot=pilot, actor=side.user(Role.SCHOOL_ADMIN), to_status=PilotStatus.APPLIED, comment=f"申报{side.marker}"
    )
    PilotEvent.objects.create(
        pilot=pilot,
        actor=side.user(Role.REVIEWER),
        from_status=PilotStatus.APPLIED,
        to_status=PilotStatus.APPROVED,
        comment=f"批准{side.marker}",
    )
    side.objects["pilot"] = pilot
    side.objects["fee"] = FeeStandard.objects.create(
        certificate=side.certificate, level=Level.ELEMENTARY, fee=Decimal("180.00"), effective_from=date(2024, 1, 1)
    )
