"""Funding journey: the school admin overspends a line (refused, then confirmed with a reason), sees the
per-line percent and gets the funding plan as a PDF."""

import re
import subprocess

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_journeys import login, open_menu

pytestmark = pytest.mark.browser


def test_school_admin_overspends_with_a_reason_and_downloads_the_plan(page: Page, live_server, demo, shot, tmp_path):
    login(page, live_server.url, "school1_admin", demo)
    open_menu(page, "专项资金", "专项资金项目")
    page.get_by_role("link", name=re.compile("1\\+X证书制度试点项目")).click()
    expect(page.locator("#budget-total")).to_have_text("415688.00")
    expect(page.locator("#targets-table")).to_contain_text("考核通过率")
    shot("funding-project")

    page.get_by_role("link", name="登记支出").click()
    page.get_by_label("预算明细").select_option(label="1+X证书试点师资培训 · 师资培训")
    page.get_by_label("支出日期").fill("2022-09-01")
    page.get_by_label("金额（元）").fill("7000")
    page.get_by_label("收款单位").fill("示例培训机构")
    page.get_by_role("button", name="保存").click()
    refusal = page.locator(".alert, .invalid-feedback, .text-danger").filter(has_text="超支")
    expect(refusal.first).to_contain_text("6000.00")
    expect(refusal.first).to_contain_text("7000.00")
    expect(refusal.first).to_contain_text("超出 1000.00 元")
    shot("funding-overspend-refused")

    page.get_by_label("确认超支").check()
    page.get_by_label("超支原因").fill("培训人数由 20 人增至 24 人")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("支出已登记")
    row = page.locator("#budget-table tbody tr").filter(has_text="师资培训").first
    expect(row).to_contain_text("116.7%")
    expect(row).to_contain_text("-1000.00")
    expect(page.locator("main")).to_contain_text("培训人数由 20 人增至 24 人")
    shot("funding-overspend-confirmed")

    page.get_by_role("button", name="导出项目方案 PDF").click()
    expect(page).to_have_url(re.compile(r"/core/jobs/\d+/$"))
    download_link = page.get_by_role("link", name="下载文件")
    expect(download_link).to_be_visible(timeout=30_000)
    shot("funding-plan-job")
    with page.expect_download() as info:
        download_link.click()
    path = tmp_path / "plan.pdf"
    info.value.save_as(path)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout.decode()
    for expected in ("预算表", "415688.00", "设备购置清单", "绩效目标", "考核通过率", "116.7%"):
        assert expected in text, expected


def _add_line(page: Page, category: str, content: str, amount: str, sub_project: str = "") -> None:
    page.get_by_role("link", name="添加预算明细").click()
    page.get_by_label("类别").fill(category)
    page.get_by_label("子项目").fill(sub_project)
    page.get_by_label("建设内容").fill(content)
    page.get_by_label("预算金额（元）").fill(amount)
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("预算明细已添加")


def _add_target(
    page: Page, *, kind: str, comparison: str, target: str, description: str, metric: str = "", name: str = ""
):
    page.get_by_role("link", name="添加绩效目标").click()
    page.get_by_label("类型").select_option(label=kind)
    if metric:
        page.get_by_label("指标（自动统计）").select_option(label=metric)
    if name:
        page.get_by_label("指标名称（填报）").fill(name)
    page.get_by_label("比较").select_option(label=comparison)
    page.get_by_label("目标值").fill(target)
    page.get_by_label("说明", exact=True).fill(description)
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("绩效目标已添加")


def _report(page: Page, value: str, note: str) -> None:
    page.locator("#targets-table tbody tr").filter(has_text="毕业生就业率").get_by_role("link", name="填报").click()
    page.get_by_label("实际值").fill(value)
    page.get_by_label("佐证说明").fill(note)
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("实际值已填报")


def test_school_admin_builds_the_budget_of_the_example_and_sees_the_performance_table(
    page: Page, live_server, demo, shot
):
    """The issue's journey: a new project from scratch, the three lines of the domain example adding up
    to the declared 415,688, live and reported targets, then the exam fees computed from the pilots."""
    login(page, live_server.url, "school1_admin", demo)
    open_menu(page, "专项资金", "专项资金项目")
    page.get_by_role("link", name="新建项目").click()
    page.get_by_label("项目名称").fill("2024年1+X证书制度试点专项资金项目")
    page.get_by_label("资金来源").fill("现代职业教育质量提升计划专项资金")
    page.get_by_label("年度").fill("2024")
    page.get_by_label("文号").fill("示范财教【2024】8号")
    page.get_by_label("开始日期").fill("2024-01-01")
    page.get_by_label("结束日期").fill("2024-12-31")
    page.get_by_label("批复总额（元）").fill("415688")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("专项资金项目已创建")
    expect(page.locator("h1")).to_have_text("2024年1+X证书制度试点专项资金项目")

    _add_line(page, "1+X证书考核设备设施", "购买50台1+X证书考核电脑", "334000")
    _add_line(page, "1+X证书考核", "6个证书的考核费", "75688")
    expect(page.locator("#budget-mismatch")).to_contain_text("差额 -6000.00 元")  # one line still missing
    _add_line(page, "1+X证书试点师资培训", "师资培训", "6000")
    expect(page.locator("#budget-total")).to_have_text("415688.00")
    expect(page.locator("#budget-table tfoot")).to_contain_text("一致")
    expect(page.locator("#budget-mismatch")).to_have_count(0)
    shot("funding-example-budget")

    _add_target(
        page, kind="自动统计", metric="证书试点数", comparison="≥", target="6", description="完成6个1+X证书试点"
    )
    _add_target(
        page, kind="自动统计", metric="考核通过率（%）", comparison=">", target="90", description="考核通过率超90%"
    )
    _add_target(page, kind="填报", name="毕业生就业率", comparison="≥", target="95", description="试点专业毕业生就业率")
    _report(page, "94", "初步统计：就业 94 人")
    _report(page, "96.5", "就业统计表：就业 193 人 / 毕业 200 人")
    targets = page.locator("#targets-table")
    # school1 has two granted pilots in 2024 (初级 running, 中级 approved): 2 of the 6 aimed at.
    pilots_row = targets.locator("tbody tr").filter(has_text="证书试点数")
    expect(pilots_row).to_contain_text("≥ 6")
    expect(pilots_row.locator("td").nth(3)).to_have_text("2")
    expect(pilots_row).to_contain_text("未达成")
    reported = targets.locator("tbody tr").filter(has_text="毕业生就业率").first
    expect(reported).to_contain_text("96.5")
    expect(reported).to_contain_text("已达成")
    expect(reported).to_contain_text("就业统计表")
    history = targets.locator("tr.target-history")
    expect(history).to_contain_text("此前的填报")
    expect(history).to_contain_text("94")
    expect(history).to_contain_text("初步统计：就业 94 人")
    targets.scroll_into_view_if_needed()
    shot("funding-example-targets")

    page.get_by_role("link", name="按收费标准计算考核费").click()
    table = page.locator("#exam-fee-table")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table).to_contain_text("40")
    expect(table).to_contain_text("180.00")
    expect(table).to_contain_text("7200.00")  # 40 × 180
    expect(table).to_contain_text("7800.00")  # 30 × 260
    expect(page.locator("#exam-fee-total")).to_have_text("15000.00")
    expect(page.locator("#exam-fee-typed")).to_contain_text("75688.00")
    expect(page.locator("#exam-fee-budget-after")).to_contain_text("430688.00")
    expect(page.locator("#exam-fee-budget")).to_contain_text("确认后与批复总额不符")
    shot("funding-exam-fee-preview")

    page.get_by_role("button", name="确认计算并写入预算表").click()
    expect(page.locator(".alert-success")).to_contain_text("新增 2 条")
    budget = page.locator("#budget-table")
    expect(budget.locator(".badge").filter(has_text="按收费标准计算")).to_have_count(2)
    expect(budget).to_contain_text("试点指标 40 人 × 收费标准 180.00 元 = 7200.00 元")
    expect(budget).to_contain_text("6个证书的考核费")  # the typed line stays
    expect(page.locator("#budget-total")).to_have_text("430688.00")
    expect(page.locator("#budget-mismatch")).to_contain_text("差额 15000.00 元")
    _no_horizontal_scroll(page)  # the computed lines' formula and their 重新计算 link still fit
    shot("funding-exam-fee-applied")


def _no_horizontal_scroll(page: Page) -> None:
    """The project's tables fit the 1280px screen: no table scrolls sideways."""
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll("main .table-responsive")]
            .filter(el => el.scrollWidth > el.clientWidth + 1)
            .map(el => el.querySelector("table").id || el.querySelector("th").textContent)"""
    )
    assert overflowing == []


def test_school_admin_corrects_the_budget_and_reads_the_change_log(page: Page, live_server, demo, shot):
    """A typo fixed in a line, a delete refused because money was paid from the line, a payment named on
    a settlement statement removed with its reason; the change log says who did what, with the numbers."""
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server.url, "school1_admin", demo)
    open_menu(page, "专项资金", "专项资金项目")
    page.get_by_role("link", name=re.compile("1\\+X证书制度试点项目")).click()
    _no_horizontal_scroll(page)
    shot("funding-corrections-project")

    training = page.locator("#budget-table tbody tr").filter(has_text="师资培训").first
    training.get_by_role("link", name="修改").click()
    expect(page.locator("#form-intro")).to_contain_text("当前预算 6000.00 元，已支出 0.00 元")
    page.get_by_label("预算金额（元）").fill("6500")
    shot("funding-corrections-edit-line")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("预算明细已保存")
    expect(page.locator("#budget-total")).to_have_text("416188.00")
    expect(page.locator("#budget-mismatch")).to_contain_text("差额 500.00 元")

    computers = page.locator("#budget-table tbody tr").filter(has_text="购买50台1+X证书考核电脑").first
    computers.get_by_role("link", name="删除").click()
    expect(page.locator("#confirm-blocked")).to_contain_text("已有 1 笔支出（合计 200000.00 元）和 1 项采购设备")
    expect(page.get_by_role("button", name="确认删除")).to_have_count(0)
    shot("funding-corrections-delete-refused")
    page.get_by_role("link", name="返回项目").click()

    payment = page.locator("#spending-table tbody tr").filter(has_text="2024-07-10")
    payment.get_by_role("link", name="撤销").click()
    notes = page.locator("#confirm-notes")
    expect(notes).to_contain_text("结算单将不再列出这笔付款")
    expect(notes).to_contain_text("已付金额由 1800.00 元减为 0.00 元")
    page.get_by_label("撤销原因").fill("付款应登记在 2025 年度结算单")
    shot("funding-corrections-remove-payment")
    page.get_by_role("button", name="确认撤销").click()
    expect(page.locator(".alert-success")).to_contain_text("支出已撤销")
    expect(page.locator("#spending-table")).not_to_contain_text("PZ-2024-0710")

    log = page.locator("#event-log")
    log.get_by_role("button", name=re.compile("变更记录")).click()
    rows = log.locator("[data-testid=history] tbody tr")
    expect(rows.first).to_contain_text("支出撤销")
    expect(rows.first).to_contain_text("付款应登记在 2025 年度结算单")
    expect(rows.first).to_contain_text("校管理员1")
    expect(rows.nth(1)).to_contain_text("预算明细修改")
    expect(rows.nth(1)).to_contain_text("6000.00 → 6500.00")
    _no_horizontal_scroll(page)
    log.scroll_into_view_if_needed()
    shot("funding-corrections-log")
