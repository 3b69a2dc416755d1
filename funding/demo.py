"""Demo rows of funding for seed_demo (idempotent, generated names only).

Lines, equipment, spending and targets are created through the services (as school1_admin), so the
demo project's change log (变更记录) shows them; a row already there is left as it is.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from accounts.models import School, User

from .models import (
    BudgetLine,
    FundingProject,
    PerformanceTarget,
    ProcurementItem,
    ProjectStatus,
    Settlement,
    Spending,
    TargetKind,
)
from .services.budget import budget_line_create
from .services.procurement import procurement_item_create
from .services.settlements import settlement_create
from .services.spending import spending_create
from .services.targets import performance_target_create

# The domain's example project (its lines add up to 415,688), dated in the year of the demo's pilots,
# results and certificates (certificates.demo: 2024) so that its performance table has data.
EXAMPLE_YEAR = 2024
EXAMPLE_NAME = f"{EXAMPLE_YEAR}年现代职业教育质量提升计划专项资金 1+X证书制度试点项目"
SETTLEMENT_YEAR = EXAMPLE_YEAR


def seed(demo: dict[str, Any]) -> None:
    """demo holds the seeded "schools", "organisations", "certificates" and "users" (by username)."""
    schools = list(demo.get("schools") or [])
    if not schools:
        return
    actor = (demo.get("users") or {}).get("school1_admin")
    project = _seed_project(schools[0])  # school1
    lines = _seed_lines(project, actor)
    _seed_targets(project, actor)
    _seed_settlement(demo, lines["1+X证书考核"], actor)


def _seed_project(school: School) -> FundingProject:
    project, _ = FundingProject.objects.update_or_create(
        school=school,
        name=EXAMPLE_NAME,
        defaults={
            "source": "现代职业教育质量提升计划专项资金",
            "year": EXAMPLE_YEAR,
            "document_number": f"肇理办【{EXAMPLE_YEAR - 1}】30号",
            "start_date": date(EXAMPLE_YEAR, 1, 1),
            "end_date": date(EXAMPLE_YEAR, 12, 31),
            "status": ProjectStatus.RUNNING,
            "declared_total": Decimal("415688.00"),
            "necessity": "落实1+X证书制度试点，建设考核设备设施，培育师资。",
            "feasibility": "学校已具备试点专业基础与考核场地。",
            "benefits": "完成6个1+X证书试点，参与人数300人以上，考核通过率超90%。",
            "safeguards": "成立项目领导小组，专款专用，按进度支付。",
        },
    )
    return project


def _seed_lines(project: FundingProject, actor: User | None) -> dict[str, BudgetLine]:
    """The three lines of the domain's example, the computers bought and a first payment for them."""
    lines = {}
    for category, content, amount in (
        ("1+X证书考核设备设施", "购买50台1+X证书考核电脑", "334000"),
        ("1+X证书考核", "6个证书的考核费", "75688"),
        ("1+X证书试点师资培训", "师资培训", "6000"),
    ):
        lines[category] = BudgetLine.objects.filter(
            project=project, category=category, content=content
        ).first() or budget_line_create(
            project=project, category=category, content=content, amount=Decimal(amount), actor=actor
        )
    if not ProcurementItem.objects.filter(project=project, item="1+X证书考核电脑").exists():
        procurement_item_create(
            project=project,
            budget_line=lines["1+X证书考核设备设施"],
            item="1+X证书考核电脑",
            spec="i5 处理器 / 16G 内存 / 512G 固态硬盘 / 23.8 英寸显示器",
            unit="台",
            quantity=50,
            unit_price=Decimal("6680.00"),
            actor=actor,
        )
    if not Spending.objects.filter(
        budget_line=lines["1+X证书考核设备设施"], voucher_number=f"PZ-{EXAMPLE_YEAR}-0601"
    ).exists():
        spending_create(
            budget_line=lines["1+X证书考核设备设施"],
            date=date(EXAMPLE_YEAR, 6, 1),
            amount=Decimal("200000.00"),
            payee="示例电脑供应商",
            voucher_number=f"PZ-{EXAMPLE_YEAR}-0601",
            actor=actor,
        )
    return lines


def _seed_targets(project: FundingProject, actor: User | None) -> None:
    for metric, comparison, target, description in (
        ("pilots", "gte", "6", "完成6个1+X证书试点"),
        ("participants", "gte", "300", "参与人数300人以上"),
        ("pass_rate", "gt", "90", "考核通过率超90%"),
        ("certified", "gte", "250", "取证人数250人以上"),
        ("teachers_trained", "gte", "5", "取得考官证书5人次"),
    ):
        if not PerformanceTarget.objects.filter(project=project, kind=TargetKind.LIVE, metric=metric).exists():
            performance_target_create(
                project=project,
                metric=metric,
                comparison=comparison,
                target=Decimal(target),
                description=description,
                actor=actor,
            )
    # A reported target: no record computes it; the admin enters the value with its evidence.
    if not PerformanceTarget.objects.filter(
        project=project, kind=TargetKind.REPORTED, name="毕业生就业率（%）"
    ).exists():
        performance_target_create(
            project=project,
            kind=TargetKind.REPORTED,
            name="毕业生就业率（%）",
            comparison="gte",
            target=Decimal("95"),
            description="试点专业毕业生就业率95%以上",
            actor=actor,
        )


def _seed_settlement(demo: dict[str, Any], line: BudgetLine, actor: User | None) -> None:
    """School 1's exam-fee statement with organisation 1 for 2024 (the year of the demo's results),
    with a first payment out of the exam-fee line naming it."""
    organisations = list(demo.get("organisations") or [])
    if not organisations:
        return
    school, organisation = line.project.school, organisations[0]
    settlement = Settlement.objects.filter(school=school, organisation=organisation, year=SETTLEMENT_YEAR).first()
    if settlement is None:
        try:
            settlement = settlement_create(
                school=school, organisation=organisation, year=SETTLEMENT_YEAR, actor=None, note="首期按初级人数预付"
            )
        except ValidationError:
            return  # no pilot of the organisation that year: nothing to settle
    if not Spending.objects.filter(budget_line=line, voucher_number="PZ-2024-0710").exists():
        spending_create(
            budget_line=line,
            date=date(2024, 7, 10),
            amount=Decimal("1800.00"),
            payee=organisation.name,
            voucher_number="PZ-2024-0710",
            settlement=settlement,
            actor=actor,
        )
