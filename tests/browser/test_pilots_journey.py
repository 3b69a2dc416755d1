"""A school applies for a pilot, the reviewer grants a quota, the school imports a class and enrols it."""

import re

import pytest
from playwright.sync_api import Page, expect

from students.spreadsheets.enrolments import EnrolmentImporter
from students.spreadsheets.people import StudentImporter
from tests.browser.test_journeys import login, logout
from tests.factories import xlsx
from tests.worlds.students import make_id_number

pytestmark = pytest.mark.browser

CLASS = [
    [
        f"测试学生{i}",
        "男",
        make_id_number(900 + i, region="441203", birth="20080505"),
        "23数控2",
        "数控技术应用",
        2023,
        2026,
    ]
    for i in range(6)
]


def test_a_school_applies_the_reviewer_grants_and_the_school_enrols_a_class(
    page: Page, live_server, demo, shot, tmp_path
):
    base = live_server.url
    login(page, base, "school1_admin", demo)
    page.locator(".navbar").get_by_role("link", name="试点", exact=True).click()
    page.get_by_role("link", name="申报试点", exact=True).click()
    page.get_by_label("证书").select_option(label="机械工程制图")
    page.get_by_label("等级").select_option(label="高级")
    page.get_by_label("年份").fill("2026")
    page.get_by_label("试点对象").select_option(label="在校学生")
    page.get_by_label("申报人数").fill("10")
    page.get_by_label("备注").fill("1个班在读")
    shot("pilot-apply")
    page.get_by_role("button", name="提交申报").click()
    expect(page).to_have_url(re.compile(r"/pilots/\d+/$"))
    expect(page.get_by_test_id("pilot-status")).to_have_text("申报中")
    pilot_url = page.url
    logout(page)

    login(page, base, "org1_reviewer", demo)
    page.goto(pilot_url)
    page.get_by_label("批准的试点指标").fill("8")
    page.get_by_label("审批意见").fill("核定 8 人")
    shot("pilot-review")
    page.get_by_role("button", name="批准", exact=True).click()
    expect(page.get_by_test_id("pilot-status")).to_have_text("已批准")
    expect(page.get_by_test_id("pilot-quota")).to_have_text("8")
    expect(page.get_by_test_id("history")).to_contain_text("申报中 → 已批准 · 试点指标 8 · 核定 8 人")
    logout(page)

    login(page, base, "school1_admin", demo)
    page.locator(".navbar").get_by_role("link", name="学员", exact=True).click()
    page.get_by_role("link", name="导入学生").click()
    students_file = tmp_path / "class.xlsx"
    students_file.write_bytes(xlsx([c.label for c in StudentImporter.columns], CLASS))
    page.get_by_label("Excel 文件（.xlsx）").set_input_files(str(students_file))
    page.get_by_role("button", name="上传并导入").click()
    expect(page.locator(".alert-success")).to_contain_text("已导入 6 行")
    expect(page.locator("main")).to_contain_text("4412**********")
    shot("students-imported")

    page.goto(pilot_url)
    page.get_by_role("link", name="报名名单").click()
    page.get_by_role("link", name="Excel 导入报名").click()
    enrol_file = tmp_path / "enrol.xlsx"
    enrol_file.write_bytes(xlsx([c.label for c in EnrolmentImporter.columns], [[r[2], r[0]] for r in CLASS]))
    page.get_by_label("Excel 文件（.xlsx）").set_input_files(str(enrol_file))
    page.get_by_role("button", name="上传并导入").click()
    expect(page.get_by_test_id("enrolled-count")).to_have_text("6")
    shot("enrolments-imported")
    page.get_by_role("link", name="返回试点").click()
    expect(page.get_by_test_id("pilot-enrolled")).to_have_text("6")
    expect(page.get_by_test_id("pilot-remaining")).to_have_text("2")
    shot("pilot-detail-enrolled")
