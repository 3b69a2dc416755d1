"""The exam-site application journey in chromium: submit, return, fix, resubmit, approve, PDFs."""

import re
import subprocess

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

CERTIFICATE = "汽车运用与维修（示范制图技术培训评价有限公司）"  # C03, owned by org1; no demo application


def login(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def logout(page: Page) -> None:
    page.locator(".navbar .dropdown-toggle").last.click()
    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def fill(page: Page, values: dict[str, str]) -> None:
    for name, value in values.items():
        page.locator(f'[name="{name}"]').fill(value)


def download_pdf(page: Page, tmp_path, name: str) -> str:
    page.get_by_role("button", name="生成申报表 PDF").click()
    expect(page).to_have_url(re.compile(r"/core/jobs/\d+/$"))
    link = page.get_by_role("link", name="下载文件")
    expect(link).to_be_visible(timeout=60_000)
    with page.expect_download() as info:
        link.click()
    path = tmp_path / f"{name}.pdf"
    info.value.save_as(path)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode()


def review(page: Page, action: str, comment: str) -> None:
    page.get_by_role("link", name="考点审核").first.click()
    page.get_by_role("row", name=re.compile("汽车运用与维修")).get_by_role("link", name="审核").click()
    page.get_by_label(action, exact=True).check()
    page.get_by_label("审批意见").fill(comment)
    page.get_by_role("button", name="确认").click()


def test_school_submits_reviewer_returns_school_resubmits_reviewer_approves(
    page: Page, live_server, demo, shot, tmp_path, pdf_worker
):
    base = live_server.url
    login(page, base, "school1_admin", demo)
    page.get_by_role("link", name="考点申报").first.click()
    page.locator("select[name=certificate]").select_option(label=CERTIFICATE)
    page.get_by_role("button", name="新建申报表").click()
    expect(page.get_by_label("单位名称", exact=True)).to_have_value("示范机电职业技术学校")  # prefilled from the school
    page.get_by_label("初级", exact=True).check()
    page.get_by_label("中级", exact=True).check()
    fill(
        page,
        {
            "daily_max": "40",
            "expected_candidates": "30",
            "sessions_per_day": "2",
            "computers": "台式机 30 台：i5/16G/512G",
            "software": "汽车故障诊断仿真软件 30 套",
            "network": "千兆局域网",
            "organisation_text": "考点工作领导小组",
            "exam_team": "考评员 4 人，督考 2 人",
            "rules": "考务管理制度",
            "mechanism": "考前一天免费熟悉场地",
            "rooms-0-name": "汽修实训中心 A 区",
            "rooms-0-area": "200",
            "rooms-0-workstations": "20",
        },
    )
    for i, who in enumerate(("负责人", "联系人", "管理员")):
        fill(
            page,
            {
                f"contacts-{i}-name": f"示例{who}",
                f"contacts-{i}-title": "主任",
                f"contacts-{i}-mobile": f"1370000000{i}",
                f"contacts-{i}-email": f"c{i}@example.edu.cn",
            },
        )
    page.get_by_role("button", name="增加一行").first.click()  # static/js/exam_sites.js adds a blank room row
    expect(page.locator('[name="rooms-2-name"]')).to_be_visible()
    shot("exam-site-form")
    page.get_by_role("button", name="保存并提交").click()
    expect(page.locator("main")).to_contain_text("申报已提交")
    expect(page.locator("h1")).to_contain_text("已提交")
    shot("exam-site-submitted")
    logout(page)

    login(page, base, "org1_reviewer", demo)
    review(page, "退回修改", "请补充网络情况：是否有备用线路。")
    expect(page.locator("main")).to_contain_text("已退回学校修改")
    shot("exam-site-returned")
    logout(page)

    login(page, base, "school1_admin", demo)
    expect(page.get_by_test_id("site-events")).to_contain_text("退回修改")
    shot("exam-site-home-events")
    page.get_by_test_id("site-events").get_by_role("link", name=re.compile("汽车运用与维修")).first.click()
    expect(page.locator("main")).to_contain_text("请补充网络情况")
    page.get_by_role("link", name="编辑").click()
    page.locator('[name="network"]').fill("千兆局域网，电信与联通双线路备份")
    page.get_by_role("button", name="保存并提交").click()
    expect(page.locator("h1")).to_contain_text("已提交")
    logout(page)

    login(page, base, "org1_reviewer", demo)
    review(page, "批准", "同意设立考点。")
    expect(page.locator("h1")).to_contain_text("已批准")
    expect(page.get_by_test_id("history")).to_contain_text("退回修改")
    shot("exam-site-approved")
    text = "".join(download_pdf(page, tmp_path, "reviewer").split())
    assert "汽修实训中心A区" in text and "同意设立考点" in text and "双线路备份" in text
    shot("exam-site-pdf-job")
    logout(page)

    login(page, base, "school1_admin", demo)
    page.get_by_role("link", name="考点申报").first.click()
    page.get_by_role("row", name=re.compile("汽车运用与维修")).get_by_role("link", name="查看").click()
    text = "".join(download_pdf(page, tmp_path, "school").split())
    assert "示范机电职业技术学校" in text and "☑初级" in text
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(tmp_path / "school.pdf"), str(tmp_path / "p")], check=True)
    page.goto(f"{base}/exam-sites/sites/")
    expect(page.locator("main")).to_contain_text("汽车运用与维修")
    shot("exam-sites-list")
