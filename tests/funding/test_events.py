"""The change log of a funding project (变更记录) in the one audit log: every write service records
one line on the project, in the same transaction, with the values before and after; the words are
built when the line is shown; the project page shows the latest ones."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled

from accounts.roles import Role
from core.audit import Line, describe, history
from core.models import AuditEntry
from core.scoping import ORGANISATION, SCHOOL, TenantRef, tenant_scope
from funding.services.budget import budget_line_create
from funding.services.exam_fees import exam_fee_lines_compute
from funding.services.procurement import procurement_item_create
from funding.services.projects import project_create, project_update
from funding.services.spending import spending_create, spending_remove
from pilots.models import Level
from tests.funding.helpers import report, reported_target
from tests.funding.test_exam_fees import certificate, fee, pilot

pytestmark = pytest.mark.django_db

YEAR = 2042  # no other world row uses it


@pytest.fixture
def school_a(world):
    with tenant_scope(TenantRef(SCHOOL, world.a.school.pk)):
        yield world.a


def log(project) -> list[Line]:
    """Oldest first, as the writes happened."""
    return history(project)


def actions(project) -> list[str]:
    return [line.entry.action for line in log(project)]


def test_each_write_service_records_one_line_with_before_and_after(school_a):
    admin = school_a.user(Role.SCHOOL_ADMIN)
    project = project_create(school=school_a.school, name="记录测试", year=YEAR)

    project_update(project=project, actor=admin, declared_total=Decimal("6000"), status="approved", necessity="新写")
    (line,) = log(project)
    assert (line.entry.action, line.actor) == ("funding.project.updated", admin)
    assert "批复总额（元） — → 6000.00" in line.detail and "已批复" in line.detail and "必要性（已修改）" in line.detail
    assert line.entry.data["old"]["declared_total"] == "" and line.entry.data["new"]["declared_total"] == "6000.00"
    assert line.entry.data["new"]["necessity"] == "新写" and line.entry.data["new"]["status"] == "approved"
    assert "状态 编制中 → 已批复" in line.detail
    project_update(project=project, actor=admin, declared_total=Decimal("6000.00"))  # nothing changes
    assert len(log(project)) == 1

    budget = budget_line_create(
        project=project, category="培训", content="师资培训", amount=Decimal("6000"), actor=admin
    )
    item = procurement_item_create(
        project=project, budget_line=budget, item="教材", unit="套", quantity=3, unit_price="33.33", actor=admin
    )
    spending_create(budget_line=budget, date=date(YEAR, 3, 1), amount=Decimal("1500.5"), payee="书店", actor=admin)
    target = reported_target(project, "就业率", actor=admin)
    report(target, "94", "初报", actor=admin)
    report(target, "96.5", "终报", actor=admin)

    assert actions(project) == [
        "funding.project.updated",
        "funding.line.created",
        "funding.item.created",
        "funding.spending.created",
        "funding.target.created",
        "funding.target.reported",
        "funding.target.reported",
    ]
    lines = {line.entry.action: line for line in log(project)[1:]}
    assert lines["funding.line.created"].detail == "培训 · 师资培训：6000.00 元"
    assert lines["funding.line.created"].label == "预算明细新增"
    assert lines["funding.line.created"].entry.data == {
        "line_id": budget.pk,
        "new": {"category": "培训", "sub_project": "", "content": "师资培训", "amount": "6000.00"},
    }
    assert "3套 × 33.33 元 = 99.99 元" in lines["funding.item.created"].detail
    assert lines["funding.item.created"].entry.data["item_id"] == item.pk
    assert (
        "1500.50 元" in lines["funding.spending.created"].detail and "书店" in lines["funding.spending.created"].detail
    )
    assert lines["funding.spending.created"].entry.data["new"]["amount"] == "1500.50"
    assert lines["funding.target.created"].detail == "就业率 ≥ 95"
    first, last = log(project)[-2:]
    assert "就业率：— → 94" in first.detail and "就业率：94 → 96.5；佐证：终报" in last.detail
    assert last.entry.data["old"] == {"reported_value": "94.00"} and last.entry.data["new"]["reported_value"] == "96.50"
    assert all(line.actor == admin for line in log(project))
    # The project's lines are the school's only: no organisation may read them.
    assert {(line.entry.school_id, line.entry.organisation_id) for line in log(project)} == {(school_a.school.pk, None)}


def test_the_words_are_built_when_shown_in_the_readers_language(school_a):
    project = project_create(school=school_a.school, name="语言", year=YEAR)
    budget_line_create(project=project, category="培训", content="师资培训", amount=Decimal("6000"), actor=None)
    (entry,) = [line.entry for line in log(project)]
    assert "预算明细" not in str(entry.data)  # values only: the words are not stored
    with translation.override("en"):
        line = describe(entry)
    assert (line.label, line.detail) == ("Budget line added", "培训 · 师资培训: 6000.00 yuan")


def test_a_refused_write_records_nothing(school_a):
    project = project_create(school=school_a.school, name="拒绝", year=YEAR)
    line = budget_line_create(project=project, category="甲", content="甲", amount=Decimal("100"), actor=None)
    with pytest.raises(ValidationError):
        spending_create(budget_line=line, date=date(YEAR, 1, 1), amount=Decimal("100.01"), payee="乙", actor=None)
    with pytest.raises(ValidationError):
        budget_line_create(project=project, category="甲", content="零", amount=Decimal("0"), actor=None)
    with pytest.raises(ValidationError):
        project_update(project=project, actor=None, start_date=date(YEAR, 5, 1), end_date=date(YEAR, 4, 1))
    assert actions(project) == ["funding.line.created"]


def test_the_exam_fee_computation_records_each_lines_old_and_new_amount(school_a, world):
    robot = certificate(world.a, "记录机器人")
    fee(robot, Level.ELEMENTARY, "100.00", date(YEAR, 1, 1))
    granted = pilot(world.a, robot, Level.ELEMENTARY, 20, year=YEAR)
    project = project_create(school=school_a.school, name="考核费记录", year=YEAR)
    exam_fee_lines_compute(project=project, actor=None)
    exam_fee_lines_compute(project=project, actor=None)  # nothing changed: no second line
    with scopes_disabled():
        type(granted).objects.filter(pk=granted.pk).update(quota=25)
    exam_fee_lines_compute(project=project, actor=school_a.user(Role.SCHOOL_ADMIN))
    first, second = log(project)
    assert first.entry.action == second.entry.action == "funding.exam_fees.computed"
    assert "新增 1 条" in first.detail and "记录机器人 初级 — → 2000.00" in first.detail
    assert "更新 1 条" in second.detail and "记录机器人 初级 2000.00 → 2500.00" in second.detail
    assert second.entry.data["lines"] == [{"sub_project": "记录机器人 初级", "old": "2000.00", "new": "2500.00"}]
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
    assert 'data-testid="history"' in card  # the one history partial
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
        latest = history(project, newest_first=True)[0]
        assert {e.school_id for e in AuditEntry.objects.filter(action__startswith="funding.")} == {world.a.school.pk}
    assert (latest.entry.action, latest.actor, latest.detail) == (
        "funding.line.created",
        admin,
        "宣传 · 展板：880.00 元",
    )
    html = client.get(reverse("funding:project_detail", kwargs={"project_id": project.pk})).content.decode()
    assert "宣传 · 展板：880.00 元" in html.split('id="event-log"')[1]


def test_a_statement_has_its_own_lines_which_its_organisation_reads_and_nothing_else(world):
    """The statement's creation and the payments naming it: what the statement shows, for both sides."""
    a = world.a
    settlement, payment = a.objects["settlement"], a.objects["settlement_payment"]
    with tenant_scope(TenantRef(SCHOOL, a.school.pk)):
        spending_remove(spending=payment, actor=a.user(Role.SCHOOL_ADMIN), reason="付错结算单")
        project_actions = actions(a.objects["funding_project"])
    assert project_actions[-2:] == ["funding.spending.created", "funding.spending.removed"]
    with tenant_scope(TenantRef(ORGANISATION, a.organisation.pk)):
        seen = list(AuditEntry.objects.filter(action__startswith="funding."))
        lines = history(settlement)
    assert {entry.action.rsplit(".", 1)[0] for entry in seen} == {"funding.settlement"}  # nothing of the project
    assert [line.entry.action for line in lines][-3:] == [
        "funding.settlement.created",
        "funding.settlement.payment_added",
        "funding.settlement.payment_removed",
    ]
    removed = lines[-1]
    assert removed.detail == f"2024-07-01 付 {a.organisation.name} 180.00 元（凭证号 JS{a.key}）"
    assert "付错结算单" not in str(removed.entry.data) and "budget_line" not in removed.entry.data
    with tenant_scope(TenantRef(ORGANISATION, world.b.organisation.pk)):
        assert not AuditEntry.objects.filter(object_id=settlement.pk, action__startswith="funding.settlement").exists()
