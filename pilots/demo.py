"""Demo rows of pilots for seed_demo (idempotent, generated names only)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from core.scoping import ORGANISATION, SCHOOL, TenantRef

from .models import Level, Pilot, PilotStatus
from .services import fee_standard_set, pilot_apply, pilot_approve, pilot_start

FEES = {Level.ELEMENTARY: Decimal("180.00"), Level.INTERMEDIATE: Decimal("260.00"), Level.ADVANCED: Decimal("360.00")}

# (school index, certificate index, level, year, cohort, requested, granted or None, running)
PILOTS = [
    (0, 0, Level.ELEMENTARY, 2024, "students", 40, 40, True),
    (0, 0, Level.INTERMEDIATE, 2024, "students", 40, 30, False),
    (0, 1, Level.ELEMENTARY, 2025, "social", 20, None, False),
    (1, 0, Level.ELEMENTARY, 2024, "students", 50, 45, False),
    (1, 3, Level.INTERMEDIATE, 2025, "students", 30, None, False),
]


def seed(demo: dict[str, Any]) -> None:
    """demo holds the seeded "schools", "organisations", "certificates" and "users" (by username)."""
    for certificate in demo["certificates"]:
        for level, fee in FEES.items():
            fee_standard_set(
                tenant=TenantRef(ORGANISATION, certificate.organisation_id),
                certificate=certificate,
                level=level,
                fee=fee,
                effective_from=date(2024, 1, 1),
            )
    reviewers = {org.pk: demo["users"][f"org{i}_reviewer"] for i, org in enumerate(demo["organisations"], start=1)}
    for school_index, cert_index, level, year, cohort, requested, granted, running in PILOTS:
        school = demo["schools"][school_index]
        certificate = demo["certificates"][cert_index]
        admin = demo["users"][f"school{school_index + 1}_admin"]
        same = {"school": school, "certificate": certificate, "level": level, "year": year, "cohort": cohort}
        pilot = Pilot.objects.filter(**same).first()
        if pilot is None:
            notes = "1个班在读" if cohort == "students" else "企业员工"
            pilot = pilot_apply(**same, actor=admin, requested_quota=requested, notes=notes)
        if granted and pilot.status == PilotStatus.APPLIED:
            pilot = pilot_approve(
                pilot_id=pilot.pk,
                tenant=TenantRef(ORGANISATION, certificate.organisation_id),
                actor=reviewers[certificate.organisation_id],
                quota=granted,
                comment="同意试点",
            )
        if running and pilot.status == PilotStatus.APPROVED:
            pilot_start(pilot_id=pilot.pk, tenant=TenantRef(SCHOOL, school.pk), actor=admin)
