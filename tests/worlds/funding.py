"""Side rows of the funding app for the test world (see tests/world.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from funding.models import TargetReport
from funding.services.budget import budget_line_create
from funding.services.procurement import procurement_item_create
from funding.services.projects import project_create
from funding.services.settlements import settlement_create
from funding.services.spending import spending_create
from funding.services.targets import performance_target_create, target_report
from tests.world_base import Side

# URL argument -> (side, role) -> primary key, for the permission matrix.
ARGUMENTS: dict[str, Callable[[Side, str], int]] = {
    "project_id": lambda side, role: side.objects["funding_project"].pk,
    "target_id": lambda side, role: side.objects["reported_target"].pk,
    "settlement_id": lambda side, role: side.objects["settlement"].pk,
    "report_id": lambda side, role: side.objects["target_report"].pk,
    "line_id": lambda side, role: side.objects["budget_line"].pk,
    "item_id": lambda side, role: side.objects["procurement_item"].pk,
    "spending_id": lambda side, role: side.objects["spending"].pk,
}


def build(side: Side) -> None:
    """Create at least one row of every tenant model of funding for this side."""
    project = project_create(
        school=side.school,
        name=f"{side.key}专项资金项目",
        year=2022,
        necessity=f"必要性{side.marker}",
        declared_total=Decimal("415688"),
    )
    line = budget_line_create(
        project=project,
        category="1+X证书考核设备设施",
        content=f"电脑{side.marker}",
        amount=Decimal("334000"),
        actor=None,
    )
    side.objects["funding_project"] = project
    side.objects["budget_line"] = line
    side.objects["procurement_item"] = procurement_item_create(
        project=project,
        budget_line=line,
        item="电脑",
        spec=f"规格{side.marker}",
        quantity=50,
        unit_price="6680",
        actor=None,
    )
    side.objects["spending"] = spending_create(
        budget_line=line, date=date(2022, 6, 1), amount=Decimal("1000"), payee=f"收款{side.marker}", actor=None
    )
    side.objects["performance_target"] = performance_target_create(
        project=project,
        metric="teachers_trained",
        comparison="gte",
        target=Decimal("1"),
        description=side.marker,
        actor=None,
    )
    reported = performance_target_create(
        project=project, kind="reported", name="毕业生就业率", comparison="gte", target=Decimal("95"), actor=None
    )
    side.objects["reported_target"] = target_report(
        target=reported,
        value=Decimal("96.5"),
        evidence_note=f"就业统计表{side.marker}",
        evidence_file=SimpleUploadedFile("evidence.txt", side.marker.encode()),
        actor=None,
    )
    side.objects["target_report"] = TargetReport.objects.get(target=side.objects["reported_target"])
    # The exam-fee statement of the side's school and organisation for the pilot's year, with a
    # payment naming it: both the school and the organisation reach it.
    settlement = settlement_create(
        school=side.school, organisation=side.organisation, year=2024, actor=None, note=f"结算{side.marker}"
    )
    side.objects["settlement"] = settlement
    side.objects["settlement_payment"] = spending_create(
        budget_line=line,
        date=date(2024, 7, 1),
        amount=Decimal("180.00"),
        payee=side.organisation.name,
        voucher_number=f"JS{side.key}",
        settlement=settlement,
        actor=None,
    )
