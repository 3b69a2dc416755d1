"""Settlement journey: the school admin creates the exam-fee statement from the suggestion and records a
payment naming it; the organisation's reviewer then opens 考核费结算 and sees the same statement."""

import re

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from tests.browser.test_journeys import login, logout, open_menu

pytestmark = pytest.mark.browser

ORG = "示范制图技术培训评价有限公司"
SCHOOL = "示范机电职业技术学校"


def _figures(page: Page, due: str, paid: str, balance: str, status: str) -> None:
    expect(page.locator("#settlement-assessed")).to_have_text("12")  # 20数控1 in June 2024: 11 passed, 1 failed
    expect(page.locator("#settlement-due")).to_have_text(due)
    expect(page.locator("#settlement-paid")).to_have_text(paid)
    expect(page.locator("#settlement-balance")).to_have_text(balance)
    expect(page.locator("#settlement-status")).to_have_text(status)


def test_both_sides_see_the_same_statement(page: Page, live_server, demo, shot):
    from funding.models import Settlement, Spending

    # Start from the day after the assessment, before anyone settled: the demo's own statement goes.
    with scopes_disabled():
        Spending.objects.filter(settlement__isnull=False).delete()
        Settlement.objects.all().delete()

    login(page, live_server.url, "school1_admin", demo)
    open_menu(page, "专项资金", "考核费结算")
    suggestion = page.locator("#settlement-suggestions tbody tr").filter(has_text=ORG)
    expect(suggestion).to_contain_text("12")
    shot("settlement-suggestions")
    suggestion.get_by_role("button", name="生成 2024 年度结算单").click()
    expect(page.locator(".alert-success")).to_contain_text("考核费结算单已生成")
    _figures(page, "2160.00", "0.00", "2160.00", "待付")
    expect(page.locator("#settlement-summary")).to_contain_text("180.00")
    expect(page.locator("#settlement-definitions")).to_contain_text("缺考")
    shot("settlement-school-new")

    page.locator("#settlement-record-payment").get_by_role("link", name=re.compile("登记付款")).click()
    page.get_by_label("预算明细").select_option(label="1+X证书考核 · 6个证书的考核费")
    page.get_by_label("支出日期").fill("2024-07-10")
    page.get_by_label("金额（元）").fill("2000.50")
    page.get_by_label("收款单位").fill(ORG)
    page.get_by_label("凭证号").fill("PZ-2024-0710")
    page.get_by_label("结算单").select_option(label=f"2024 · {ORG}")
    shot("settlement-payment-form")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("支出已登记")

    open_menu(page, "专项资金", "考核费结算")
    page.locator("#settlement-list tbody tr").filter(has_text=ORG).get_by_role("link", name="查看结算单").click()
    _figures(page, "2160.00", "2000.50", "159.50", "待付")
    expect(page.locator("#settlement-payments")).to_contain_text("PZ-2024-0710")
    shot("settlement-school-paid")
    logout(page)

    login(page, live_server.url, "org1_reviewer", demo)
    page.locator(".navbar").get_by_role("link", name="考核费结算").click()
    row = page.locator("#settlement-list tbody tr").filter(has_text=SCHOOL)
    expect(row).to_contain_text("2000.50")
    shot("settlement-organisation-list")
    row.get_by_role("link", name="查看结算单").click()
    expect(page.locator("#settlement-parties")).to_contain_text(SCHOOL)
    _figures(page, "2160.00", "2000.50", "159.50", "待付")
    expect(page.locator("#settlement-payments")).to_contain_text("PZ-2024-0710")
    expect(page.locator("#settlement-candidates tbody tr")).to_have_count(12)
    expect(page.locator("#settlement-record-payment")).to_have_count(0)
    shot("settlement-organisation-detail")
