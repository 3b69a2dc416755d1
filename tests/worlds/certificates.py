"""Side rows of the certificates app for the test world (see tests/world.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.db import transaction

from accounts.roles import Role
from certificates.history import CERTIFICATE_ISSUED, RESULT_ENTERED
from certificates.models import (
    ExternalCertificate,
    IssuedCertificate,
    NumberSequence,
    Objection,
    Result,
    ResultSheet,
    VerificationLog,
)
from core.audit import record
from tests.world_base import Side

# URL argument -> (side, role) -> primary key (or token), for the permission matrix: results (the
# sheet in notice, its result and its objection), issuance, collection, rosters and verification.
ARGUMENTS: dict[str, Callable[[Side, str], int]] = {
    "sheet_id": lambda side, role: side.objects["result_sheet"].pk,
    "result_id": lambda side, role: side.objects["result"].pk,
    "objection_id": lambda side, role: side.objects["objection"].pk,
    "issued_id": lambda side, role: side.objects["issued_certificate"].pk,
    "token": lambda side, role: side.objects["issued_certificate"].verification_token,  # type: ignore[dict-item]
    "issue_batch_id": lambda side, role: side.objects["batch"].pk,
    "external_id": lambda side, role: side.objects["external_certificate"].pk,
    "class_id": lambda side, role: side.objects["school_class"].pk,
}


def build(side: Side) -> None:
    """A result sheet in notice with one passed result, its history and an objection; an issued
    certificate with its history and number sequence; an external certificate."""
    sheet = ResultSheet.objects.create(batch=side.objects["batch"], status=ResultSheet.Status.NOTICE)
    result = Result.objects.create(
        sheet=sheet,
        seat=side.objects["seat"],
        enrolment=side.objects["enrolment"],
        theory=Decimal("80"),
        practical=Decimal("90"),
        outcome=Result.Outcome.PASS,
        updated_by=side.user(Role.TEACHER),
    )
    side.objects.update(result_sheet=sheet, result=result)
    with transaction.atomic():
        side.objects["result_history"] = record(
            result,
            RESULT_ENTERED,
            actor=side.user(Role.TEACHER),
            data={"before": None, "after": {"theory": "80"}, "reason": f"{side.marker} 录入"},
        )
    side.objects["objection"] = Objection.objects.create(
        sheet=sheet, result=result, received_on=date(2024, 6, 10), raised_by="家长", content=f"{side.marker} 异议"
    )
    issued = IssuedCertificate.objects.create(
        certificate=side.certificate,
        level="elementary",
        number=f"{side.key.upper()}2024000017",
        school=side.school,
        person=side.objects["person"],
        result=result,
        assessment_period="2024.6",
        issued_on=date(2024, 7, 1),
        collected_by=f"学习委员{side.marker}",
        issued_by=side.user(Role.REVIEWER),
    )
    side.objects["issued_certificate"] = issued
    with transaction.atomic():
        side.objects["certificate_history"] = record(
            issued, CERTIFICATE_ISSUED, actor=side.user(Role.REVIEWER), data={"comment": f"{side.marker} 发证"}
        )
    side.objects["number_sequence"] = NumberSequence.objects.create(
        organisation=side.organisation, certificate=side.certificate, year=2024, last_value=1
    )
    side.objects["external_certificate"] = ExternalCertificate.objects.create(
        school=side.school,
        person=side.objects["person"],
        name="机械设计工程师（AutoCAD）",
        issuer=f"{side.marker} 发证机构",
        assessment_period="2022.5-6",
        issued_on=date(2022, 7, 1),
    )
    side.objects["verification"] = VerificationLog.objects.create(certificate=issued, found=True)
