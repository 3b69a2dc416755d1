"""Corrections by the school admin through the pages: edit and delete of typed lines and equipment,
removal (撤销) of a spending, each refusal leaving the data as it was.

The project of these tests (school A, 2041), hand-computed:

- 1+X证书考核设备设施 · 电脑 334,000.00, with 50台 × 6,680.00 = 334,000.00 of equipment;
- 1+X证书试点师资培训 · 师资培训 6,000.00, 5,000.00 spent on it (one payment);
- 宣传 · 宣传册 1,000.00, nothing on it.
Budget 341,000.00, spent 5,000.00.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.models import Membership, User
from accounts.roles import Role
from core.audit import Line, describe, entries_for
from funding.models import BudgetLine, FundingProject, ProcurementItem, Spending
from funding.selectors.budget import project_totals
from funding.selectors.settlements import settlement_statement
from funding.services.budget import budget_line_create, budget_line_update
from funding.services.exam_fees import exam_fee_lines_compute
from funding.services.procurement import procurement_item_create, procurement_item_update
from funding.services.projects import project_create, project_update
from funding.services.spending import spending_create
from pilots.models import Level
from tests.funding.helpers import form_data, line_of_new_project
from tests.funding.test_exam_fees import certificate, fee, pilot
from tests.scopes import as_school  # noqa: F401 - re-exported to the tests of this app

pytestmark = pytest.mark.django_db

YEAR = 2041  # no other world row uses it


@dataclass
class Setup:
    project: FundingProject
    computers: BudgetLine
    training: BudgetLine
    leaflets: BudgetLine
    item: ProcurementItem
    payment: Spending


@pytest.fixture
def setup(world) -> Setup:
    admin = world.a.user(Role.SCHOOL_ADMIN)
    with as_school(world.a.school):
        project = project_create(school=world.a.school, name="更正测试项目", year=YEAR)
        computers = budget_line_create(
            project=project, category="1+X证书考核设备设施", content="电脑", amount=Decimal("334000"), actor=admin
        )
        training = budget_line_create(
            project=project, category="1+X证书试点师资培训", content="师资培训", amount=Decimal("6000"), actor=admin
        )
        leaflets = budget_line_create(
            project=project, category="宣传", content="宣传册", amount=Decimal("1000"), actor=admin
        )
        item = procurement_item_create(
            project=project,
            budget_line=computers,
            item="考核电脑",
            unit="台",
            quantity=50,
            unit_price="6680",
            actor=admin,
        )
        payment = spending_create(
            budget_line=training, date=date(YEAR, 3, 1), amount=Decimal("5000"), payee="培训机构", actor=admin
        )
    return Setup(project, computers, training, leaflets, item, payment)


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    return client


def url(name: str, setup: Setup, **kwargs) -> str:
    return reverse(f"funding:{name}", kwargs={"project_id": setup.project.pk, **kwargs})


def snapshot(setup: Setup) -> tuple:
    """Every row of the project, to assert that a refusal changed nothing."""
    with scopes_disabled():
        return (
            list(BudgetLine.objects.filter(project=setup.project).order_by("pk").values()),
            list(ProcurementItem.objects.filter(project=setup.project).order_by("pk").values()),
            list(Spending.objects.filter(budget_line__project=setup.project).order_by("pk").values()),
            entries_for(setup.project).count(),
        )


def events(setup: Setup, action: str) -> list[Line]:
    """The project's audit lines of ``action`` (e.g. "line.updated"), oldest first, worded."""
    with scopes_disabled():
        entries = entries_for(setup.project).filter(action=f"funding.{action}").order_by("at", "id")
        return [describe(entry) for entry in entries]


def line_data(line: BudgetLine, **changes) -> dict:
    return form_data(line, "category sub_project content amount", **changes)


# --- budget lines ------------------------------------------------------------------------------


def test_the_admin_corrects_a_line_and_the_page_shows_the_new_totals(admin_client, setup):
    edit = admin_client.get(url("line_edit", setup, line_id=setup.training.pk))
    assert edit.status_code == 200
    assert "已支出 5000.00 元" in edit.content.decode()
    response = admin_client.post(
        url("line_edit", setup, line_id=setup.training.pk),
        line_data(setup.training, amount="6500", content="师资培训（含考评员）"),
        follow=True,
    )
    html = response.content.decode()
    assert "预算明细已保存" in html
    assert "师资培训（含考评员）" in html and "6500.00" in html
    assert '<td class="text-end" id="budget-total">341500.00</td>' in html  # 334,000 + 6,500 + 1,000
    with scopes_disabled():
        line = BudgetLine.objects.get(pk=setup.training.pk)
    assert (line.amount, line.version) == (Decimal("6500.00"), 2)
    (event,) = events(setup, "line.updated")
    assert "6000.00 → 6500.00" in event.detail
    assert event.entry.data["old"]["amount"] == "6000.00" and event.entry.data["new"]["amount"] == "6500.00"


def test_a_line_lowered_below_its_spending_needs_a_confirmation_and_a_reason(admin_client, setup):
    before = snapshot(setup)
    target = url("line_edit", setup, line_id=setup.training.pk)
    refused = admin_client.post(target, line_data(setup.training, amount="4000"))
    assert refused.status_code == 400
    message = refused.content.decode()
    assert "4000.00" in message and "5000.00" in message and "相差 1000.00 元" in message
    assert snapshot(setup) == before
    # Confirmed without a reason: still refused, still nothing changed.
    assert (
        admin_client.post(target, line_data(setup.training, amount="4000", confirm_below_spent="on")).status_code == 400
    )
    assert snapshot(setup) == before

    response = admin_client.post(
        target, line_data(setup.training, amount="4000", confirm_below_spent="on", reason="培训改为线上，余款退回")
    )
    assert response.status_code == 302
    with as_school(setup.project.school):
        row = next(r for r in project_totals(project=setup.project).lines if r.line.pk == setup.training.pk)
    assert row.remaining == Decimal("-1000.00") and row.overspent
    (event,) = events(setup, "line.updated")
    assert "培训改为线上，余款退回" in event.detail and event.entry.data["reason"] == "培训改为线上，余款退回"


def test_a_stale_edit_is_refused_and_says_what_the_other_admin_saved(admin_client, setup, world):
    form = admin_client.get(url("line_edit", setup, line_id=setup.training.pk)).context["form"]
    seen_version = form.initial["version"]
    with scopes_disabled():
        colleague = User.objects.create_user(username="a_admin_2", password="x", full_name="李会计")
        Membership.objects.create(user=colleague, school=world.a.school, role=Role.SCHOOL_ADMIN)
    with as_school(world.a.school):
        budget_line_update(
            line=setup.training,
            actor=colleague,
            version=seen_version,
            category=setup.training.category,
            content="师资培训",
            amount=Decimal("7000"),
        )
    before = snapshot(setup)
    mine = line_data(setup.training, amount="6500", version=seen_version)
    refused = admin_client.post(url("line_edit", setup, line_id=setup.training.pk), mine)
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "李会计" in html and "7000.00" in html and "尚未保存" in html
    assert snapshot(setup) == before  # the colleague's 7,000 stands
    # The form now carries the current version: saving again, knowingly, goes through.
    assert refused.context["form"]["version"].value() == "2"
    again = admin_client.post(url("line_edit", setup, line_id=setup.training.pk), {**mine, "version": "2"})
    assert again.status_code == 302
    with scopes_disabled():
        assert BudgetLine.objects.get(pk=setup.training.pk).amount == Decimal("6500.00")


def test_a_computed_exam_fee_line_is_refused_with_a_pointer_to_the_recompute(admin_client, setup, world):
    robot = certificate(world.a, "更正机器人")
    fee(robot, Level.ELEMENTARY, "150.00", date(YEAR, 1, 1))
    pilot(world.a, robot, Level.ELEMENTARY, 20, year=YEAR)
    with as_school(world.a.school):
        exam_fee_lines_compute(project=setup.project, actor=None)
        computed = BudgetLine.objects.get(project=setup.project, pilot__isnull=False)
    before = snapshot(setup)
    for name in ("line_edit", "line_delete"):
        response = admin_client.get(url(name, setup, line_id=computed.pk), follow=True)
        assert "按收费标准计算考核费" in response.content.decode() and "3000.00" in response.content.decode()
    response = admin_client.post(url("line_edit", setup, line_id=computed.pk), line_data(computed, amount="1"))
    assert response.status_code == 302
    admin_client.post(url("line_delete", setup, line_id=computed.pk), {"version": computed.version})
    assert snapshot(setup) == before
    with as_school(world.a.school), pytest.raises(ValidationError, match="重新计算"):
        budget_line_update(
            line=computed, actor=None, version=computed.version, category="x", content="x", amount=Decimal("1")
        )


def test_a_line_with_spending_or_equipment_cannot_be_deleted(admin_client, setup):
    before = snapshot(setup)
    page = admin_client.get(url("line_delete", setup, line_id=setup.training.pk)).content.decode()
    assert "已有 1 笔支出（合计 5000.00 元）和 0 项采购设备，不能删除" in page and "确认删除" not in page
    response = admin_client.post(url("line_delete", setup, line_id=setup.training.pk), {"version": 1})
    assert response.status_code == 400 and "不能删除" in response.content.decode()
    response = admin_client.post(url("line_delete", setup, line_id=setup.computers.pk), {"version": 1})
    assert response.status_code == 400 and "0 笔支出（合计 0.00 元）和 1 项采购设备" in response.content.decode()
    assert snapshot(setup) == before


def test_an_unused_line_is_deleted_from_its_confirmation_page(admin_client, setup):
    target = url("line_delete", setup, line_id=setup.leaflets.pk)
    page = admin_client.get(target)
    assert page.status_code == 200 and "确认删除" in page.content.decode() and "1000.00" in page.content.decode()
    with scopes_disabled():
        assert BudgetLine.objects.filter(pk=setup.leaflets.pk).exists()  # a GET deletes nothing
    assert admin_client.post(target, {}).status_code == 400  # no version: not confirmed
    html = admin_client.post(target, {"version": 1}, follow=True).content.decode()
    assert "预算明细已删除" in html and "宣传册" not in html.split('id="event-log"')[0]
    assert '<td class="text-end" id="budget-total">340000.00</td>' in html
    (event,) = events(setup, "line.deleted")
    assert event.entry.data["old"] == {"category": "宣传", "sub_project": "", "content": "宣传册", "amount": "1000.00"}


def test_a_stale_delete_is_refused(admin_client, setup, world):
    with as_school(world.a.school):
        budget_line_update(
            line=setup.leaflets, actor=None, version=1, category="宣传", content="宣传海报", amount=Decimal("800")
        )
    before = snapshot(setup)
    response = admin_client.post(url("line_delete", setup, line_id=setup.leaflets.pk), {"version": 1})
    assert (
        response.status_code == 400
        and "宣传海报" in response.content.decode()
        and "未删除" in response.content.decode()
    )
    assert snapshot(setup) == before


# --- procurement -------------------------------------------------------------------------------


def item_data(setup: Setup, **changes) -> dict:
    changes = {"budget_line": setup.item.budget_line_id, **changes}
    return form_data(setup.item, "item spec unit quantity unit_price", **changes)


def test_the_admin_corrects_an_equipment_row(admin_client, setup):
    assert admin_client.get(url("procurement_edit", setup, item_id=setup.item.pk)).status_code == 200
    html = admin_client.post(
        url("procurement_edit", setup, item_id=setup.item.pk), item_data(setup, quantity=48), follow=True
    ).content.decode()
    assert "采购设备已保存" in html and "320640.00" in html  # 48 × 6,680
    (event,) = events(setup, "item.updated")
    assert "50 → 48" in event.detail and "334000.00 → 320640.00" in event.detail
    assert event.entry.data["old"]["quantity"] == "50" and event.entry.data["new"]["quantity"] == "48"


def test_a_stale_equipment_edit_and_a_foreign_line_are_refused(admin_client, setup, world):
    with as_school(world.a.school):
        procurement_item_update(
            procurement_item=setup.item,
            actor=None,
            version=1,
            budget_line=setup.computers,
            item="考核电脑",
            unit="台",
            quantity=45,
            unit_price=Decimal("6680"),
        )
    before = snapshot(setup)
    response = admin_client.post(url("procurement_edit", setup, item_id=setup.item.pk), item_data(setup, quantity=48))
    assert response.status_code == 400 and "45台 × 6680.00 元 = 300600.00 元" in response.content.decode()
    # A line of another project of the same school is not a choice of this form.
    with as_school(world.a.school):
        other = line_of_new_project(world.a.school, "别的项目", YEAR, "别的", "别的", "1")
    response = admin_client.post(
        url("procurement_edit", setup, item_id=setup.item.pk), item_data(setup, budget_line=other.pk, version=2)
    )
    assert response.status_code == 400
    assert snapshot(setup) == before


def test_an_equipment_row_is_deleted_from_its_confirmation_page(admin_client, setup):
    target = url("procurement_delete", setup, item_id=setup.item.pk)
    assert "334000.00" in admin_client.get(target).content.decode()
    html = admin_client.post(target, {"version": 1}, follow=True).content.decode()
    assert "采购设备已删除" in html and "尚无采购设备" in html
    (event,) = events(setup, "item.deleted")
    assert event.entry.data["old"]["unit_price"] == "6680.00" and "考核电脑" in event.detail
    # Its line can go now that nothing hangs on it.
    assert admin_client.post(url("line_delete", setup, line_id=setup.computers.pk), {"version": 1}).status_code == 302


# --- spending ----------------------------------------------------------------------------------


def test_a_spending_is_removed_with_its_reason_kept_in_the_log(admin_client, setup):
    target = url("spending_remove", setup, spending_id=setup.payment.pk)
    page = admin_client.get(target).content.decode()
    assert "培训机构" in page and "5000.00" in page and "撤销原因" in page
    before = snapshot(setup)
    refused = admin_client.post(target, {"reason": "  "})
    assert refused.status_code == 400 and "请填写撤销原因" in refused.content.decode()
    assert snapshot(setup) == before
    html = admin_client.post(target, {"reason": "重复登记"}, follow=True).content.decode()
    assert "支出已撤销" in html and "尚无支出" in html
    with as_school(setup.project.school):
        totals = project_totals(project=setup.project)
    assert totals.spent == Decimal("0.00")
    (event,) = events(setup, "spending.removed")
    assert "重复登记" in event.detail and "5000.00" in event.detail
    assert event.entry.data["reason"] == "重复登记" and event.entry.data["old"]["payee"] == "培训机构"
    # The line is free again: it can be deleted.
    assert admin_client.post(url("line_delete", setup, line_id=setup.training.pk), {"version": 1}).status_code == 302


def test_a_removed_payment_leaves_the_settlement_statement(admin_client, world):
    """The world's payment of 180.00 names school A's statement; removing it lowers the paid total."""
    payment, settlement = world.a.objects["settlement_payment"], world.a.objects["settlement"]
    project = world.a.objects["funding_project"]
    with scopes_disabled():
        paid = settlement_statement(settlement).paid
    target = reverse("funding:spending_remove", kwargs={"project_id": project.pk, "spending_id": payment.pk})
    page = admin_client.get(target).content.decode()
    assert "结算单将不再列出这笔付款" in page
    assert f"已付金额由 {paid} 元减为 {paid - Decimal('180.00')} 元" in page
    assert admin_client.post(target, {"reason": "付错结算单"}).status_code == 302
    with scopes_disabled():
        assert settlement_statement(settlement).paid == paid - Decimal("180.00")
    admin_client.force_login(world.a.user(Role.REVIEWER))  # the organisation sees the same statement
    html = admin_client.get(reverse("funding:settlement_detail", kwargs={"settlement_id": settlement.pk})).content
    html = html.decode()
    assert re.search(r'id="settlement-paid"[^>]*>\s*' + re.escape(f"{paid - Decimal('180.00')}"), html)
    payments = re.search(r'id="settlement-payments".*?</table>', html, re.S).group(0)
    assert f"JS{world.a.key}" not in payments  # the payment's voucher number is gone


# --- tenancy -----------------------------------------------------------------------------------


def test_another_schools_rows_answer_404_and_stay(admin_client, setup, world):
    b = world.b
    with scopes_disabled():
        before = (
            BudgetLine.objects.filter(pk=b.objects["budget_line"].pk).values().get(),
            ProcurementItem.objects.filter(pk=b.objects["procurement_item"].pk).values().get(),
            Spending.objects.filter(pk=b.objects["spending"].pk).exists(),
        )
    own, foreign = setup.project.pk, b.objects["funding_project"].pk
    targets = [
        ("line_edit", {"line_id": b.objects["budget_line"].pk}),
        ("line_delete", {"line_id": b.objects["budget_line"].pk}),
        ("procurement_edit", {"item_id": b.objects["procurement_item"].pk}),
        ("procurement_delete", {"item_id": b.objects["procurement_item"].pk}),
        ("spending_remove", {"spending_id": b.objects["spending"].pk}),
    ]
    for name, kwargs in targets:
        for project_id in (own, foreign):  # B's row under A's project, and under B's own
            address = reverse(f"funding:{name}", kwargs={"project_id": project_id, **kwargs})
            assert admin_client.get(address).status_code == 404
            assert admin_client.post(address, {"version": 1, "reason": "x", "amount": "1"}).status_code == 404
    # A row of school A's other project is not reachable through this project either.
    other = world.a.objects["budget_line"]
    address = url("line_delete", setup, line_id=other.pk)
    assert admin_client.post(address, {"version": 1}).status_code == 404
    with scopes_disabled():
        after = (
            BudgetLine.objects.filter(pk=b.objects["budget_line"].pk).values().get(),
            ProcurementItem.objects.filter(pk=b.objects["procurement_item"].pk).values().get(),
            Spending.objects.filter(pk=b.objects["spending"].pk).exists(),
        )
    assert after == before


def _project_data(project: FundingProject, **changes) -> dict[str, str]:
    data = {
        "name": project.name,
        "source": project.source,
        "year": str(project.year),
        "document_number": project.document_number,
        "status": project.status,
        "declared_total": "" if project.declared_total is None else str(project.declared_total),
    }
    return {**data, **changes}


def test_a_stale_edit_of_the_project_header_is_refused_and_names_what_the_colleague_changed(admin_client, setup, world):
    page = admin_client.get(url("project_edit", setup))
    seen_version = page.context["form"]["version"].value()
    assert seen_version == 1
    with scopes_disabled():
        colleague = User.objects.create_user(username="a_admin_3", password="x", full_name="王主任")
        Membership.objects.create(user=colleague, school=world.a.school, role=Role.SCHOOL_ADMIN)
    with as_school(world.a.school):
        project_update(project=setup.project, actor=colleague, version=seen_version, declared_total=Decimal("341000"))

    mine = _project_data(setup.project, document_number="肇理办【2040】7号", version=str(seen_version))
    refused = admin_client.post(url("project_edit", setup), mine)
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "王主任" in html and "341000" in html and "尚未保存" in html
    with scopes_disabled():
        stored = FundingProject.objects.get(pk=setup.project.pk)
    assert stored.document_number == "" and stored.declared_total == Decimal("341000") and stored.version == 2

    # The form now carries the current version: saving once more, knowingly, goes through.
    assert refused.context["form"]["version"].value() == "2"
    again = admin_client.post(url("project_edit", setup), {**mine, "version": "2"})
    assert again.status_code == 302
    with scopes_disabled():
        stored = FundingProject.objects.get(pk=setup.project.pk)
    assert stored.document_number == "肇理办【2040】7号" and stored.version == 3


def test_saving_the_project_header_unchanged_keeps_its_version_and_writes_no_log(admin_client, setup):
    before = snapshot(setup)
    response = admin_client.post(url("project_edit", setup), _project_data(setup.project, version="1"))
    assert response.status_code == 302
    with scopes_disabled():
        assert FundingProject.objects.get(pk=setup.project.pk).version == 1
    assert snapshot(setup) == before
