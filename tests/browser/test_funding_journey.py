"""Funding journey: the school admin overspends a line (refused, then confirmed with a reason), sees the
per-line percent and gets the funding plan as a PDF."""

import re
import subprocess

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_journeys import login

pytestmark = pytest.mark.browser


def test_school_admin_overspends_with_a_reason_and_downloads_the_plan(page: Page, live_server, demo, shot, tmp_path):
    login(page, live_server.url, "school1_admin", demo)
    page.locator(".navbar").get_by_role("link", name="专项资金").click()
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
