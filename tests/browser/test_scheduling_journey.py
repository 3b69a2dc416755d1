"""The scheduling journey in chromium: the organisation publishes a round, the school plans a batch,
adds sessions, allocates seats, moves one candidate and downloads the session list (PDF and .xlsx)."""

import io
import re
import shutil
import subprocess
from datetime import date

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

YEAR = date.today().year + 1  # the demo holds this year's announcement; next year's is ours to publish


def login(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def logout(page: Page) -> None:
    page.locator(".navbar .dropdown-toggle").last.click()
    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def download_from_job(page: Page, button: str, path) -> None:
    page.get_by_role("button", name=button).click()
    expect(page).to_have_url(re.compile(r"/core/jobs/\d+/$"))
    link = page.get_by_role("link", name="下载文件")
    expect(link).to_be_visible(timeout=60_000)
    with page.expect_download() as info:
        link.click()
    info.value.save_as(path)


def test_organisation_publishes_school_plans_allocates_moves_and_prints(page: Page, live_server, demo, shot, tmp_path):
    base = live_server.url
    login(page, base, "org1_reviewer", demo)
    page.get_by_role("link", name="鉴定公告").first.click()
    page.get_by_label("证书").select_option(label="机械工程制图")
    page.get_by_label("年度").fill(str(YEAR))
    page.get_by_label("标题").fill(f"{YEAR} 年机械工程制图鉴定公告")
    page.get_by_role("button", name="新建公告").click()
    expect(page.locator("main")).to_contain_text("请添加轮次后发布")
    page.locator("[name=name]").fill("第一轮")
    page.get_by_label("考核开始日期").fill(f"{YEAR}-03-01")
    page.get_by_label("考核结束日期").fill(f"{YEAR}-03-31")
    page.get_by_label("报名截止日期").fill(f"{YEAR}-02-20")
    page.get_by_role("button", name="添加轮次").click()
    expect(page.get_by_test_id("rounds")).to_contain_text(f"{YEAR}-02-20")
    page.get_by_role("button", name="发布公告").click()
    expect(page.locator("h1")).to_contain_text("已发布")
    shot("scheduling-announcement-published")
    logout(page)

    login(page, base, "school1_admin", demo)
    page.get_by_role("link", name="考核安排").first.click()
    expect(page.get_by_test_id("open-rounds")).to_contain_text(f"{YEAR} 第一轮")
    shot("scheduling-batches")
    page.get_by_test_id("open-rounds").get_by_role("row", name=re.compile(f"{YEAR} 第一轮")).get_by_role(
        "link", name="安排批次"
    ).click()
    page.get_by_label("试点").select_option(label="2024 · 机械工程制图 · 初级")
    page.get_by_label("考点").select_option(index=1)
    page.get_by_label("批次名称").fill("明年三月批次")
    page.get_by_label("熟悉场地日").fill(f"{YEAR}-03-01")
    page.get_by_role("button", name="建立批次").click()
    expect(page.locator("h1")).to_contain_text("明年三月批次")

    form = page.get_by_test_id("session-form")

    def add_session(room_index: int, start: str, end: str, seats: str) -> None:
        form.get_by_label("考场").select_option(index=room_index)
        form.get_by_label("日期").fill(f"{YEAR}-03-02")
        form.get_by_label("开始时间").fill(start)
        form.get_by_label("结束时间").fill(end)
        form.get_by_label("座位数").fill(seats)
        form.get_by_label("督考").select_option(label="教师1")
        page.get_by_role("button", name="添加场次").click()

    add_session(1, "09:00", "11:00", "30")  # 30 seats in a 25-workstation room: refused with the numbers
    expect(page.locator("main")).to_contain_text("25 个工位，本场安排了 30 个座位")
    shot("scheduling-session-refused")
    add_session(1, "09:00", "11:00", "25")
    expect(page.locator("main")).to_contain_text("已添加场次")
    add_session(2, "13:00", "15:00", "25")
    expect(page.get_by_test_id("sessions").locator("tbody tr")).to_have_count(2)
    page.get_by_test_id("allocate-form").get_by_role("button", name="自动分配座位").click()
    expect(page.locator("main")).to_contain_text("本次分配 12 人")
    expect(page.get_by_test_id("candidates")).not_to_contain_text("未分配")
    shot("scheduling-allocated")

    page.get_by_test_id("sessions").get_by_role("link", name="场次名单").first.click()
    expect(page.get_by_test_id("session-list").locator("tbody tr")).to_have_count(12)
    move = page.get_by_test_id("move-form")
    move.get_by_label("考生").select_option(index=1)
    moved_name = move.get_by_label("考生").locator("option:checked").inner_text().split(" ", 2)[-1]
    target = move.get_by_label("调入场次").locator("option", has_text="13:00").get_attribute("value")
    move.get_by_label("调入场次").select_option(target)
    page.get_by_role("button", name="调整", exact=True).click()
    expect(page.locator("main")).to_contain_text(f"已将 {moved_name} 调到")
    expect(page.get_by_test_id("session-list").locator("tbody tr")).to_have_count(11)
    expect(page.get_by_test_id("familiarisation")).to_contain_text(f"{YEAR}-03-01")
    shot("scheduling-session-list")

    session_url = page.url
    pdf = tmp_path / "session-list.pdf"
    download_from_job(page, "生成场次名单 PDF", pdf)
    text = "".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode().split()
    )
    assert "场次名单" in text and "明年三月批次" in text and "熟悉场地日" in text and "****" in text
    assert moved_name not in text
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-singlefile", str(pdf), str(tmp_path / "list")], check=True)
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(tmp_path / "list.png", ARTIFACTS / "scheduling-session-list-pdf.png")

    page.goto(session_url)
    xlsx = tmp_path / "session-list.xlsx"
    download_from_job(page, "导出场次名单 Excel", xlsx)
    sheet = load_workbook(io.BytesIO(xlsx.read_bytes()), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("座位号", "姓名", "性别", "身份证号") and len(rows) == 12
    assert all("*" in r[3] for r in rows[1:])
