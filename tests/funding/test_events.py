"""The change log of a funding project (变更记录): every write service records one event, in the same
transaction, with the numbers before and after; the project page shows the latest ones."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.roles import Role
from core.scoping import SCHOOL, TenantRef, tenant_scope
from funding.models import FundingEvent
from funding.services import (
    budget_line_create,
    exam_fee_lines_compute,
    performance_target_create,
    procurement_item_create,
    project_create,
    project_update,
    spending_create,
    target_report,
)
from pilots.models import Level
from tests.funding.test_exam_fees import certificate, fee, pilot

pytestmark = pytest.mark.django_db

YEAR = 2042  # no other world row uses it
Kind = FundingEvent.Kind


@pytest.fixture
def school_a(world):
    with tenant_scope(TenantRef(SCHOOL, world.a.school.pk)):
        yield world.a


def log(project) -> list[FundingEvent]:
    """Oldest first, as the writes happened."""
    return list(FundingEvent.objects.filter(project=project).order_by("id"))


def test_each_write_service_records_one_event_with_before_and_after(school_a):
    admin = school_a.user(Role.SCHOOL_ADMIN)
    project = project_create(school=school_a.school, name="记录测试", year=YEAR)

    project_update(project=project, actor=admin, declared_total=Decimal("6000"), status="approved", necessity="新写")
    (event,) = log(project)
    assert (event.kind, event.actor) == (Kind.PROJECT_UPDATED, admin)
    assert (
        "批复总额（元） — → 6000.00" in event.detail and "已批复" in event.detail and "必要性（已修改）" in event.detail
    )
    assert event.data["old"]["declared_total"] == "" and event.data["new"]["declared_total"] == "6000.00"
    assert event.data["new"]["necessity"] == "新写" and event.data["new"]["status"] == "approved"
    assert "状态 编制中 → 已批复" in event.detail
    project_update(project=project, actor=admin, declared_total=Decimal("6000.00"))  # nothing changes
    assert len(log(project)) == 1

    line = budget_line_create(project=project, category="培训", content="师资培训", amount=Decimal("6000"), actor=admin)
    item = procurement_item_create(
        project=project, budget_line=line, item="教材", unit="套", quantity=3, unit_price="33.33", actor=admin
    )
    spending_create(budget_line=line, date=date(YEAR, 3, 1), amount=Decimal("1500.5"), payee="书店", actor=admin)
    target = performance_target_create(
        project=project, kind="reported", name="就业率", comparison="gte", target=Decimal("95"), actor=admin
    )
    target_report(target=target, value=Decimal("94"), evidence_note="初报", actor=admin)
    target_report(target=target, value=Decimal("96.5"), evidence_note="终报", actor=admin)

    events = {e.kind: e for e in log(project)[1:]}
    assert [e.kind for e in log(project)] == [
        Kind.PROJECT_UPDATED,
        Kind.LINE_CREATED,
        Kind.ITEM_CREATED,
        Kind.SPENDING_CREATED,
        Kind.TARGET_CREATED,
        Kind.TARGET_REPORTED,
        Kind.TARGET_REPORTED,
    ]
    assert events[Kind.LINE_CREATED].detail == "培训 · 师资培训：6000.00 元"
    assert events[Kind.LINE_CREATED].data == {
        "line_id": line.pk,
        "new": {"category": "培训", "sub_project": "", "content": "师资培训", "amount": "6000.00"},
    }
    assert "3套 × 33.33 元 = 99.99 元" in events[Kind.ITEM_CREATED].detail
    assert events[Kind.ITEM_CREATED].data["item_id"] == item.pk
    assert "1500.50 元" in events[Kind.SPENDING_CREATED].detail and "书店" in events[Kind.SPENDING_CREATED].detail
    assert events[Kind.SPENDING_CREATED].data["new"]["amount"] == "1500.50"
    assert events[Kind.TARGET_CREATED].detail == "就业率 ≥ 95"
    first, last = log(project)[-2:]
    assert "就业率：— → 94" in first.detail and "就业率：94 → 96.5；佐证：终报" in last.detail
    assert last.data["old"] == {"reported_value": "94.00"} and last.data["new"]["reported_value"] == "96.50"
    assert all(e.actor == admin for e in log(project))


def test_a_refused_write_records_nothing(school_a):
    project = project_create(school=school_a.school, name="拒绝", year=YEAR)
    line = budget_line_create(project=project, category="甲", content="甲", amount=Decimal("100"), actor=None)
    with pytest.raises(ValidationError):
        spending_create(budget_line=line, date=date(YEAR, 1, 1), amount=Decimal("100.01"), payee="乙", actor=None)
    with pytest.raises(ValidationError):
        budget_line_create(project=project, category="甲", content="零", amount=Decimal("0"), actor=None)
    with pytest.raises(ValidationError):
        project_update(project=project, actor=None, start_date=date(YEAR, 5, 1), end_date=date(YEAR, 4, 1))
    assert [e.kind for e in log(project)] == [Kind.LINE_CREATED]


def test_the_exam_fee_computation_records_each_lines_old_and_new_amount(school_a, world):
    robot = certificate(world.a, "记录机器人")
    fee(robot, Level.ELEMENTARY, "100.00", date(YEAR, 1, 1))
    granted = pilot(world.a, robot, Level.ELEMENTARY, 20, year=YEAR)
    project = project_create(school=school_a.school, name="考核费记录", year=YEAR)
    exam_fee_lines_compute(project=project, actor=None)
    exam_fee_lines_compute(project=project, actor=None)  # nothing changed: no second row
    with scopes_disabled():
        type(granted).objects.filter(pk=granted.pk).update(quota=25)
    exam_fee_lines_compute(project=project, actor=school_a.user(Role.SCHOOL_ADMIN))
    first, second = log(project)
    assert first.kind == second.kind == Kind.EXAM_FEES_COMPUTED
    assert "新增 1 条" in first.detail and "记录机器人 初级 — → 2000.00" in first.detail
    assert "更新 1 条" in second.detail and "记录机器人 初级 2000.00 → 2500.00" in second.detail
    assert second.data["lines"] == [{"sub_project": "记录机器人 初级", "old": "2000.00", "new": "2500.00"}]
    assert second.actor == school_a.user(Role.SCHOOL_ADMIN)


def test_the_page_shows_the_latest_twenty_newest_first_and_counts_the_rest(client, world):
    admin = world.a.user(Role.SCHOOL_ADMIN)
    with tenant_scope(TenantRef(SCHOOL, world.a.school.pk)):
        project = project_create(school=world.a.school, name="二十二条", year=YEAR)
        for n in range(1, 23):
            budget_line_create(project=project, category="类", content=f"第{n:02d}条", amount=Decimal(n), actor=admin)
    client.force_login(admin)
    html = client.get(reverse("funding:project_detail", kwargs={"project_id": project.pk})).content.decode()
    card = html.split('id="event-log"')[1]
    assert "变更记录" in html and '<span class="badge text-bg-secondary">22</span>' in card
    rows = card.split("<tbody>")[1].split("</tbody>")[0]
    assert rows.count("<tr>") == 20
    assert rows.index("第22条") < rows.index("第21条")  # newest first
    assert "第02条" not in rows and "第03条" in rows
    assert "另有 2 条较早的记录未显示" in card
    assert "预算明细新增" in rows and admin.full_name in rows


def test_a_change_through_the_page_names_the_admin_and_a_school_sees_only_its_log(client, world):
    admin = world.a.user(Role.SCHOOL_ADMIN)
    project = world.a.objects["funding_project"]
    client.force_login(admin)
    client.post(
        reverse("funding:line_create", kwargs={"project_id": project.pk}),
        {"category": "宣传", "content": "展板", "amount": "880"},
    )
    with tenant_scope(TenantRef(SCHOOL, world.a.school.pk)):
        latest = FundingEvent.objects.filter(project=project).first()  # newest first by default
        assert {e.project.school_id for e in FundingEvent.objects.all()} == {world.a.school.pk}
    assert (latest.kind, latest.actor, latest.detail) == (Kind.LINE_CREATED, admin, "宣传 · 展板：880.00 元")
    html = client.get(reverse("funding:project_detail", kwargs={"project_id": project.pk})).content.decode()
    assert "宣传 · 展板：880.00 元" in html.split('id="event-log"')[1]
