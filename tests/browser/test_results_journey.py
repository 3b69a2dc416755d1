"""The results journey in chromium: a teacher keys in a batch with the keyboard alone, the admin
publishes, records an objection, corrects a score with a reason, answers and ends the notice."""

from __future__ import annotations

import re
from datetime import date, time

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

BATCH = "2024 第二轮 机械工程制图 初级（成绩录入演示）"


def login(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def logout(page: Page) -> None:
    page.locator(".navbar .dropdown-toggle").last.click()
    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def make_batch(size: int = 4) -> list[str]:
    """A batch of school 1's running 2024 pilot of 机械工程制图 with its first candidates seated;
    the demo teacher is assigned to it. Built with the models (scheduling is another app's work)."""
    from accounts.models import User
    from exam_sites.models import Announcement, Batch, ExamRoom, ExamSession, ExamSite, Round, Seat
    from pilots.models import Pilot

    with scopes_disabled():
        teacher = User.objects.get(username="school1_teacher")
        pilot = Pilot.objects.get(
            school__name="示范机电职业技术学校", certificate__code="C01", level="elementary", year=2024
        )
        site = ExamSite.objects.filter(school=pilot.school, certificate=pilot.certificate).first()
        assert site is not None, "the demo approves school 1's exam site for 机械工程制图"
        room = ExamRoom.objects.filter(site=site).first()
        announcement, _ = Announcement.objects.get_or_create(
            certificate=pilot.certificate,
            year=2024,
            defaults={
                "organisation": pilot.certificate.organisation,
                "title": "2024 年度鉴定公告",
                "published_at": timezone.now(),
            },
        )
        round_ = Round.objects.create(
            announcement=announcement,
            name="成绩演示轮",
            starts_on=date(2024, 11, 5),
            ends_on=date(2024, 11, 5),
            registration_closes_on=date(2024, 10, 20),
            levels=["elementary"],
        )
        batch = Batch.objects.create(school=pilot.school, pilot=pilot, site=site, round=round_, name=BATCH)
        batch.teachers.add(teacher)
        session = ExamSession.objects.create(
            batch=batch,
            room=room,
            date=date(2024, 11, 5),
            starts_at=time(9, 0),
            ends_at=time(11, 0),
            seats=size,
            invigilator=teacher,
        )
        enrolments = list(pilot.enrolments.select_related("person").order_by("id")[:size])
        for number, enrolment in enumerate(enrolments, start=1):
            Seat.objects.create(batch=batch, session=session, enrolment=enrolment, number=number)
        return [e.person.name for e in enrolments]


def test_a_teacher_keys_in_a_batch_and_the_admin_runs_the_notice_to_its_end(page: Page, live_server, demo, shot):
    names = make_batch()
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())

    # The teacher opens the batch and keys in every row with the keyboard alone.
    login(page, base, "school1_teacher", demo)
    page.locator(".navbar").get_by_role("button", name="成绩与证书").click()
    page.get_by_role("link", name="成绩", exact=True).click()
    page.get_by_role("row", name=re.compile(re.escape(BATCH))).get_by_role("button", name="开始录入").click()
    expect(page).to_have_url(re.compile(r"/results/sheets/\d+/grid/$"))
    grid = page.locator("[data-results-grid]")
    expect(page.locator("input[name=theory]").first).to_be_focused()
    keyboard = page.keyboard
    keyboard.type("85")
    keyboard.press("Tab")
    keyboard.type("90")
    keyboard.press("Enter")  # next row, back in the theory column
    keyboard.type("45")
    keyboard.press("Tab")
    keyboard.type("72")
    keyboard.press("Enter")
    keyboard.press("Tab")
    keyboard.press("Tab")
    keyboard.press("Space")  # absent
    keyboard.press("Enter")
    keyboard.type("150")  # out of range: the error shows in place
    keyboard.press("Tab")
    keyboard.type("66")
    keyboard.press("ArrowUp")
    rows = grid.locator("tr[data-row]")
    expect(rows.nth(3).locator("[data-state]")).to_contain_text("0 到 100")
    shot("results-grid-error")
    keyboard.press("ArrowDown")  # back to the practical column of the last row
    keyboard.press("Shift+Tab")
    keyboard.press("Control+a")
    keyboard.type("61")
    keyboard.press("Enter")  # the last row: saved where it stands
    for index, outcome in enumerate(["合格", "不合格", "缺考", "合格"]):
        expect(rows.nth(index).locator("[data-state]")).to_have_text("已保存")
        expect(rows.nth(index).locator("[data-outcome]")).to_have_text(outcome)
    shot("results-grid-saved")
    page.reload()
    expect(rows.nth(1).locator("input[name=theory]")).to_have_value("45")
    expect(rows.nth(2).locator("input[name=absent]")).to_be_checked()
    logout(page)

    # The admin publishes with a notice of 0 days, records an objection and corrects with a reason.
    login(page, base, "school1_admin", demo)
    page.locator(".navbar").get_by_role("button", name="成绩与证书").click()
    page.get_by_role("link", name="成绩", exact=True).click()
    page.get_by_role("row", name=re.compile(re.escape(BATCH))).get_by_role("link", name="查看").click()
    expect(page.get_by_test_id("sheet-status")).to_have_text("成绩登记中")
    page.get_by_label("公示天数").fill("0")
    page.get_by_role("button", name="发布公示").click()
    expect(page.get_by_test_id("sheet-status")).to_have_text("成绩公示中")
    page.get_by_label("涉及考生").select_option(label=f"2 · {names[1]}")
    page.get_by_label("提出人").fill("考生家长")
    page.get_by_label("异议内容").fill("理论成绩与平时水平不符，申请复核。")
    page.get_by_role("button", name="登记异议").click()
    expect(page.get_by_test_id("objections")).to_contain_text("待答复")
    shot("results-notice-objection")
    page.get_by_role("button", name="结束公示").click()
    expect(page.locator(".alert-danger")).to_contain_text("异议未答复")

    page.get_by_role("link", name=names[1]).click()
    expect(page.get_by_label("更正原因")).to_have_attribute("required", "")  # a reason is needed in the notice
    page.get_by_label("理论成绩").fill("62")
    page.get_by_label("更正原因").fill("复核试卷，第 3 题漏判 17 分。")
    page.get_by_role("button", name="保存更正").click()
    expect(page.get_by_test_id("result-outcome")).to_have_text("合格")
    expect(page.get_by_test_id("history")).to_contain_text("复核试卷，第 3 题漏判 17 分。")
    expect(page.get_by_test_id("history")).to_contain_text("理论 45")
    shot("results-history")

    page.get_by_role("link", name="返回成绩单").click()
    page.get_by_label("答复").fill("经复核，理论成绩更正为 62 分，结果为合格。")
    page.get_by_role("button", name="记录答复").click()
    expect(page.get_by_test_id("objections")).to_contain_text("已答复")
    page.get_by_role("button", name="结束公示").click()
    expect(page.get_by_test_id("sheet-status")).to_have_text("已结束")
    shot("results-final")
