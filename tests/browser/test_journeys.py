"""Journeys in Debian's chromium (Playwright) against the live server."""

import re
import subprocess

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

ACCOUNTS = [
    ("school1_admin", "学校工作台", "示范机电职业技术学校"),
    ("school1_teacher", "教师工作台", "示范机电职业技术学校"),
    ("school2_admin", "学校工作台", "示范理工职业技术学校"),
    ("school2_teacher", "教师工作台", "示范理工职业技术学校"),
    ("org1_reviewer", "培训评价组织工作台", "示范制图技术培训评价有限公司"),
    ("org2_reviewer", "培训评价组织工作台", "示范智能制造培训评价有限公司"),
    ("platform_admin", "平台管理", "平台管理"),
]


def login(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def open_menu(page: Page, menu: str, item: str) -> None:
    """Open a navigation menu and follow one of its items."""
    page.locator(".navbar").get_by_role("button", name=menu, exact=True).click()
    page.locator(".navbar .dropdown-menu").get_by_role("link", name=item, exact=True).click()


def logout(page: Page) -> None:
    page.locator(".navbar .dropdown-toggle").last.click()
    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_every_demo_account_logs_in_and_sees_its_own_home(page: Page, live_server, demo, shot):
    for username, heading, tenant in ACCOUNTS:
        login(page, live_server.url, username, demo)
        expect(page.get_by_test_id("home-heading")).to_have_text(heading)
        expect(page.locator("main")).to_contain_text(tenant)
        shot(f"home-{username}")
        logout(page)


def test_a_school_admin_gets_the_profile_pdf_through_the_progress_page(page: Page, live_server, demo, shot, tmp_path):
    login(page, live_server.url, "school1_admin", demo)
    page.locator(".navbar").get_by_role("button", name="学校").click()
    page.locator(".navbar").get_by_role("link", name="学校信息").click()
    shot("school-detail")
    page.get_by_role("button", name="生成学校简介 PDF").click()
    expect(page).to_have_url(re.compile(r"/core/jobs/\d+/$"))
    download_link = page.get_by_role("link", name="下载文件")
    expect(download_link).to_be_visible(timeout=30_000)
    expect(page.locator("[data-job-state]")).to_have_text("已完成")
    shot("job-done")
    with page.expect_download() as info:
        download_link.click()
    path = tmp_path / "profile.pdf"
    info.value.save_as(path)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode()
    assert "示范机电职业技术学校" in text
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(path), str(tmp_path / "p")], check=True)


def test_the_language_can_be_switched_to_english(page: Page, live_server, demo):
    login(page, live_server.url, "school1_admin", demo)  # chromium asks for English: still Chinese
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator(".navbar")).to_contain_text("首页")
    page.locator("#lang-select").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".navbar")).to_contain_text("Home")
    expect(page.get_by_test_id("home-heading")).to_have_text("School workspace")
