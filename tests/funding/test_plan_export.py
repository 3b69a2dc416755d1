"""The plan as .xlsx: the budget with subtotals and the basis of computed lines, the equipment list
and the performance table, each cell checked by hand."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.roles import Role
from core.scoping import SCHOOL, TenantRef, tenant_scope
from funding.models import PerformanceTarget
from funding.services.budget import budget_line_create
from funding.services.exam_fees import exam_fee_lines_compute
from funding.services.procurement import procurement_item_create
from funding.services.projects import project_create
from funding.services.spending import spending_create
from funding.services.targets import performance_target_create
from funding.spreadsheets.plan import PlanExporter
from pilots.models import Level
from tests.funding.helpers import report, reported_target
from tests.funding.test_exam_fees import certificate, fee, pilot

pytestmark = pytest.mark.django_db

YEAR = 2039  # no other world row uses it


def dec(value):
    return None if value is None else Decimal(str(value))


@pytest.fixture
def plan(world):
    """School A, 2039, declared 415,688:

    typed lines 334,000 / 75,688 / 6,000 plus the computed 工业机器人 初级 line 37 × 123.45 = 4,567.65,
    so the lines add up to 420,255.65 (4,567.65 over the declared total); 1,500.10 + 0.20 spent on
    training; 50 computers × 6,680 and 3 cables × 33.33 = 99.99 bought; one live, one unmeasurable and
    one reported target (reported twice: 90, then 96.5).
    """
    side = world.a
    admin = side.user(Role.SCHOOL_ADMIN)
    robot = certificate(side, "工业机器人")
    fee(robot, Level.ELEMENTARY, "123.45", date(YEAR, 1, 1))
    pilot(side, robot, Level.ELEMENTARY, 37, year=YEAR)
    with tenant_scope(TenantRef(SCHOOL, side.school.pk)):
        project = project_create(
            school=side.school, name="方案导出", year=YEAR, start_date=date(YEAR, 3, 1), declared_total=415688
        )
        computers = budget_line_create(
            project=project, category="1+X证书考核设备设施", content="电脑", amount=334000, actor=None
        )
        budget_line_create(project=project, category="1+X证书考核", content="6个证书的考核费", amount=75688, actor=None)
        training = budget_line_create(
            project=project, category="1+X证书试点师资培训", content="培训", amount=6000, actor=None
        )
        exam_fee_lines_compute(project=project, actor=admin)
        for amount in ("1500.10", "0.20"):
            spending_create(
                budget_line=training, date=date(YEAR, 4, 1), amount=Decimal(amount), payee="机构", actor=None
            )
        procurement_item_create(
            project=project,
            budget_line=computers,
            item="考核电脑",
            spec="i5/16G",
            unit="台",
            quantity=50,
            unit_price="6680",
            actor=None,
        )
        procurement_item_create(
            project=project, budget_line=training, item="网线", quantity=3, unit_price="33.33", actor=None
        )
        performance_target_create(
            project=project, metric="pilots", comparison="gte", target=1, description="试点", actor=None
        )
        performance_target_create(project=project, metric="pass_rate", comparison="gt", target=90, actor=None)
        reported = reported_target(project)
        report(reported, "90", "初报", actor=admin)
        report(reported, "96.5", "终报", actor=admin, file=("就业.txt", "就业"))
        reported_at = PerformanceTarget.objects.get(pk=reported.pk).reported_at
    return project, reported_at


def sheets(content: bytes) -> dict[str, list[tuple]]:
    book = load_workbook(io.BytesIO(content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def test_the_budget_sheet_has_subtotals_totals_and_the_basis_of_computed_lines(world, plan):
    project, _at = plan
    with tenant_scope(TenantRef(SCHOOL, world.a.school.pk)):
        book = sheets(PlanExporter(project_id=project.pk).render())
    assert list(book) == ["预算表", "设备购置清单", "绩效目标"]
    rows = book["预算表"]
    assert rows[0] == (
        "类别",
        "子项目",
        "建设内容",
        "预算金额（元）",
        "已支出（元）",
        "剩余（元）",
        "执行率（%）",
        "计算依据",
    )
    body = [(r[0], r[1], r[2], dec(r[3]), dec(r[4]), dec(r[5]), dec(r[6]), r[7]) for r in rows[1:]]
    assert body == [
        ("1+X证书考核", None, "6个证书的考核费", Decimal("75688"), Decimal("0"), Decimal("75688"), Decimal("0"), None),
        (
            "1+X证书考核",
            "工业机器人 初级",
            "考核费 37 人 × 123.45 元",
            Decimal("4567.65"),
            Decimal("0"),
            Decimal("4567.65"),
            Decimal("0"),
            "试点指标 37 人 × 收费标准 123.45 元 = 4567.65 元",
        ),
        ("1+X证书考核 小计", None, None, Decimal("80255.65"), Decimal("0"), Decimal("80255.65"), Decimal("0"), None),
        ("1+X证书考核设备设施", None, "电脑", Decimal("334000"), Decimal("0"), Decimal("334000"), Decimal("0"), None),
        (
            "1+X证书考核设备设施 小计",
            None,
            None,
            Decimal("334000"),
            Decimal("0"),
            Decimal("334000"),
            Decimal("0"),
            None,
        ),
        # 1,500.30 of 6,000 is 25.005 %, printed with one decimal: 25.0
        (
            "1+X证书试点师资培训",
            None,
            "培训",
            Decimal("6000"),
            Decimal("1500.3"),
            Decimal("4499.7"),
            Decimal("25"),
            None,
        ),
        (
            "1+X证书试点师资培训 小计",
            None,
            None,
            Decimal("6000"),
            Decimal("1500.3"),
            Decimal("4499.7"),
            Decimal("25"),
            None,
        ),
        ("合计", None, None, Decimal("420255.65"), Decimal("1500.3"), Decimal("418755.35"), Decimal("0.4"), None),
        ("批复总额", None, "与明细合计不符，差额 4567.65 元", Decimal("415688"), None, None, None, None),
    ]


def test_the_equipment_sheet_lists_items_with_line_totals_and_a_total(world, plan):
    project, _at = plan
    with tenant_scope(TenantRef(SCHOOL, world.a.school.pk)):
        rows = sheets(PlanExporter(project_id=project.pk).render())["设备购置清单"]
    assert rows[0] == ("序号", "设备名称", "规格参数", "单位", "数量", "单价（元）", "金额（元）", "预算明细")
    assert [(r[0], r[1], r[2], r[3], r[4], dec(r[5]), dec(r[6]), r[7]) for r in rows[1:]] == [
        (1, "考核电脑", "i5/16G", "台", 50, Decimal("6680"), Decimal("334000"), "1+X证书考核设备设施 · 电脑"),
        (2, "网线", None, None, 3, Decimal("33.33"), Decimal("99.99"), "1+X证书试点师资培训 · 培训"),
        ("合计", None, None, None, None, None, Decimal("334099.99"), None),
    ]


def test_the_targets_sheet_shows_actuals_sources_and_who_reported(world, plan):
    project, reported_at = plan
    with tenant_scope(TenantRef(SCHOOL, world.a.school.pk)):
        rows = sheets(PlanExporter(project_id=project.pk).render())["绩效目标"]
    assert rows[0] == ("指标", "说明", "比较", "目标值", "实际值", "来源", "完成情况", "填报人", "填报时间")
    assert [(r[0], r[1], r[2], dec(r[3]), dec(r[4]), r[5], r[6], r[7]) for r in rows[1:]] == [
        ("证书试点数", "试点", "≥", Decimal("1"), Decimal("1"), "自动统计", "已达成", None),
        ("考核通过率（%）", None, ">", Decimal("90"), None, "自动统计", "暂无法统计", None),
        (
            "毕业生就业率",
            None,
            "≥",
            Decimal("95"),
            Decimal("96.5"),
            "填报",
            "已达成",
            str(world.a.user(Role.SCHOOL_ADMIN)),
        ),
    ]
    local = timezone.localtime(reported_at).replace(tzinfo=None, microsecond=0)
    assert rows[3][8].replace(microsecond=0) == local and rows[1][8] is None


def test_the_export_button_runs_a_job_whose_file_has_the_three_sheets(
    client, world, plan, django_capture_on_commit_callbacks
):
    project, _at = plan
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("funding:budget_export", kwargs={"project_id": project.pk}))
    status = client.get(response["Location"] + "status/").json()
    assert status["state"] == "done", status
    content = b"".join(client.get(status["download"]).streaming_content)
    book = sheets(content)
    assert list(book) == ["预算表", "设备购置清单", "绩效目标"]
    assert dec(book["预算表"][-2][3]) == Decimal("420255.65")
