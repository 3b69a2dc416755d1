"""Issue 9 in the browser: the reviewer generates numbers, the school admin records collection and
downloads the class's roster (考证签领名单)."""

import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_journeys import login, logout

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
BATCH = "2024 第一轮 · 机械工程制图初级（20数控1）"


def test_numbers_are_generated_collection_recorded_and_the_roster_downloaded(
    page: Page, live_server, demo, shot, tmp_path, pdf_worker
):
    login(page, live_server.url, "org1_reviewer", demo)
    page.locator(".navbar").get_by_role("button", name="成绩与证书").click()
    page.locator(".navbar").get_by_role("link", name="证书发放").click()
    page.get_by_role("link", name=BATCH).click()
    expect(page.get_by_test_id("issued-table")).to_contain_text("待发证")
    page.get_by_label("发证日期").fill("2024-07-01")
    expect(page.get_by_label("鉴定时间")).to_have_value("2024.6")
    page.get_by_role("button", name="生成编号").click()
    expect(page.locator(".alert-success")).to_contain_text("已为 11 名考生生成证书编号")
    expect(page.get_by_test_id("issued-table")).not_to_contain_text("待发证")
    expect(page.get_by_test_id("issued-table")).to_contain_text("C012024000001")
    shot("issuance-generated")
    logout(page)

    login(page, live_server.url, "school1_admin", demo)
    page.locator(".navbar").get_by_role("button", name="成绩与证书").click()
    page.locator(".navbar").get_by_role("link", name="证书签领").click()
    shot("issuance-classes")
    page.get_by_role("link", name="20数控1", exact=True).click()
    expect(page.get_by_test_id("issued-count")).to_have_text("17")  # 11 of 1+X and 6 external
    expect(page.get_by_test_id("collected-count")).to_have_text("0")
    collect = page.locator("form", has_text="整班签领")
    collect.get_by_label("证书签领人").fill("学习委员 王子涵")
    collect.get_by_label("签领日期").fill("2024-09-02")
    collect.get_by_role("button", name="登记整班签领").click()
    expect(page.locator(".alert-success")).to_contain_text("已为 17 本证书登记签领")
    expect(page.get_by_test_id("collected-count")).to_have_text("17")
    shot("issuance-class-collected")

    page.get_by_label("鉴定时间").select_option("2024.6")
    page.get_by_role("button", name="生成签领名单 PDF").click()
    expect(page).to_have_url(re.compile(r"/core/jobs/\d+/$"))
    download_link = page.get_by_role("link", name="下载文件")
    expect(download_link).to_be_visible(timeout=60_000)
    with page.expect_download() as info:
        download_link.click()
    path = tmp_path / "roster.pdf"
    info.value.save_as(path)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode()
    flat = "".join(text.split())
    assert "数控技术应用专业2024年20数控1班考证签领名单" in flat
    assert "机械工程制图" in flat and "机械设计工程师" in flat and "学习委员王子涵" in flat
    assert "第1页共" in flat
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", "-singlefile", str(path), str(ARTIFACTS / "issuance-roster-pdf")], check=True
    )
