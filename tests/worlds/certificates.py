"""Side rows of the certificates app for the test world (see tests/world.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from accounts.roles import Role
from certificates.models import (
    CertificateEvent,
    ExternalCertificate,
    IssuedCertificate,
    NumberSequence,
    Objection,
    Result,
    ResultChange,
    ResultSheet,
    VerificationLog,
)
from tests.world_base import Side

# URL argument -> (side, role) -> primary key, for the permission matrix.
ARGUMENTS: dict[str, Callable[[Side, str], int]] = {}
# Results (issue 8): the sheet in notice, its result and its objection.
ARGUMENTS.update(
    {
        "sheet_id": lambda side, role: side.objects["result_sheet"].pk,
        "result_id": lambda side, role: side.objects["result"].pk,
        "objection_id": lambda side, role: side.objects["objection"].pk,
    }
)


def build(side: Side) -> None:
    """A result sheet in notice with one passed result, its history and an objection; an issued
    certificate with its event and number sequence; an external certificate."""
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
    side.objects["result_change"] = ResultChange.objects.create(
        result=result, changed_by=side.user(Role.TEACHER), new_values={"theory": "80"}, reason=f"{side.marker} 录入"
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
    side.objects["certificate_event"] = CertificateEvent.objects.create(
        certificate=issued, action="issued", actor=side.user(Role.REVIEWER), comment=f"{side.marker} 发证"
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


# Verification pages (issue 10). ``setdefault``: whichever helper registers ``issued_id`` first owns it.
ARGUMENTS.setdefault("issued_id", lambda side, role: side.objects["issued_certificate"].pk)
ARGUMENTS["token"] = lambda side, role: side.objects["issued_certificate"].verification_token  # type: ignore[assignment,return-value]

# Issuance, collection, external certificates and rosters (issue 9).
ARGUMENTS.setdefault("issued_id", lambda side, role: side.objects["issued_certificate"].pk)
ARGUMENTS["issue_batch_id"] = lambda side, role: side.objects["batch"].pk
ARGUMENTS["external_id"] = lambda side, role: side.objects["external_certificate"].pk
ARGUMENTS["class_id"] = lambda side, role: side.objects["school_class"].pk
