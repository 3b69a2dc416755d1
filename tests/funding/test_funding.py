from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.models import StaffQualification
from accounts.roles import Role
from core.scoping import SCHOOL, TenantRef, tenant_scope
from funding.models import Spending
from funding.money import money
from funding.selectors.budget import project_totals
from funding.selectors.targets import MET, NOT_MEASURABLE, NOT_MET, target_actuals
from funding.services.budget import budget_line_create
from funding.services.procurement import procurement_item_create
from funding.services.projects import project_create
from funding.services.spending import spending_create
from funding.services.targets import performance_target_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def school_a(world):
    with tenant_scope(TenantRef(SCHOOL, world.a.school.pk)):
        yield world.a


def example_project(side, **extra):
    project = project_create(school=side.school, name="示例项目", year=2023, **extra)
    lines = [
        budget_line_create(
            project=project, category="1+X证书考核设备设施", content="电脑", amount=Decimal("334000"), actor=None
        ),
        budget_line_create(
            project=project, category="1+X证书考核", content="考核费", amount=Decimal("75688"), actor=None
        ),
        budget_line_create(
            project=project, category="1+X证书试点师资培训", content="培训", amount=Decimal("6000"), actor=None
        ),
    ]
    return project, lines


def test_budget_total_is_computed_exactly_from_the_lines(school_a):
    project, _lines = example_project(school_a, declared_total=Decimal("415688"))
    totals = project_totals(project=project)
    assert totals.budget == Decimal("415688.00")
    assert isinstance(totals.budget, Decimal)
    assert not totals.mismatch
    assert [c.category for c in totals.categories] == sorted(c.category for c in totals.categories)


def test_tenths_of_a_yuan_add_up_without_float_error(school_a):
    project = project_create(school=school_a.school, name="角分", year=2023, declared_total=Decimal("0.30"))
    budget_line_create(project=project, category="甲", content="一角", amount=Decimal("0.1"), actor=None)
    budget_line_create(project=project, category="甲", content="两角", amount=Decimal("0.2"), actor=None)
    totals = project_totals(project=project)
    assert totals.budget == Decimal("0.30")
    assert not totals.mismatch
    with pytest.raises(TypeError):
        money(0.1)


def test_a_budget_that_does_not_add_up_to_the_declared_total_is_flagged(school_a):
    project, _lines = example_project(school_a, declared_total=Decimal("415000"))
    totals = project_totals(project=project)
    assert totals.mismatch
    assert totals.difference == Decimal("688.00")


def test_line_spent_remaining_and_percent(school_a):
    project, lines = example_project(school_a)
    spending_create(budget_line=lines[2], date=date(2023, 3, 1), amount=Decimal("1500"), payee="培训机构", actor=None)
    row = next(r for r in project_totals(project=project).lines if r.line.pk == lines[2].pk)
    assert (row.spent, row.remaining, row.percent_used) == (Decimal("1500.00"), Decimal("4500.00"), Decimal("25.0"))


def test_it_refuses_overspending_then_accepts_it_with_a_reason(school_a):
    project, lines = example_project(school_a)
    line = lines[2]
    spending_create(budget_line=line, date=date(2023, 3, 1), amount=Decimal("5000"), payee="甲", actor=None)
    overspend = {
        "budget_line": line,
        "date": date(2023, 3, 2),
        "amount": Decimal("1500.50"),
        "payee": "乙",
        "actor": None,
    }
    with pytest.raises(ValidationError) as refused:
        spending_create(**overspend)
    message = " ".join(refused.value.messages)
    assert "6000.00" in message and "5000.00" in message and "1500.50" in message and "500.50" in message
    with pytest.raises(ValidationError):  # confirmed but without a reason
        spending_create(**overspend, confirm_overspend=True)
    spending = spending_create(**overspend, confirm_overspend=True, overspend_reason="培训人数增加")
    assert Spending.objects.get(pk=spending.pk).overspend_reason == "培训人数增加"
    row = next(r for r in project_totals(project=project).lines if r.line.pk == line.pk)
    assert row.remaining == Decimal("-500.50") and row.overspent


def test_procurement_line_total_is_quantity_times_unit_price(school_a):
    project, lines = example_project(school_a)
    item = procurement_item_create(
        project=project, budget_line=lines[0], item="电脑", quantity=50, unit_price="6680", actor=None
    )
    assert item.line_total == Decimal("334000.00")
    assert project_totals(project=project).procurement_total == Decimal("334000.00")


def test_targets_are_met_not_met_or_not_yet_measurable(school_a):
    project = project_create(school=school_a.school, name="绩效", year=2031)  # a year no other world row uses
    teacher = school_a.user(Role.TEACHER)
    with scopes_disabled():
        certificate = school_a.certificate
    for kind in (StaffQualification.Kind.TRAINER, StaffQualification.Kind.ASSESSOR):
        StaffQualification.objects.create(
            school=school_a.school, user=teacher, kind=kind, certificate=certificate, obtained_on=date(2031, 4, 1)
        )
    met = performance_target_create(
        project=project, metric="teachers_trained", comparison="gte", target=Decimal(2), actor=None
    )
    not_met = performance_target_create(
        project=project, metric="pilots", comparison="gte", target=Decimal(6), actor=None
    )
    unknown = performance_target_create(
        project=project, metric="pass_rate", comparison="gt", target=Decimal(90), actor=None
    )
    rows = {r.target.pk: r for r in target_actuals(project)}
    assert (rows[met.pk].actual, rows[met.pk].status) == (Decimal(2), MET)
    assert (rows[not_met.pk].actual, rows[not_met.pk].status) == (Decimal(0), NOT_MET)
    assert (rows[unknown.pk].actual, rows[unknown.pk].status) == (None, NOT_MEASURABLE)


def test_a_strict_or_upper_bound_comparison_is_applied(school_a):
    project = project_create(school=school_a.school, name="比较", year=2032)
    gt = performance_target_create(
        project=project, metric="teachers_trained", comparison="gt", target=Decimal(0), actor=None
    )
    lte = performance_target_create(
        project=project, metric="participants", comparison="lte", target=Decimal(0), actor=None
    )
    rows = {r.target.pk: r.status for r in target_actuals(project)}
    assert rows == {gt.pk: NOT_MET, lte.pk: MET}


def test_detail_page_shows_computed_totals_and_targets(client, world):
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    project = world.a.objects["funding_project"]
    with scopes_disabled():
        spendings = list(Spending.objects.filter(budget_line=world.a.objects["budget_line"]))
    spent = sum((s.amount for s in spendings), Decimal(0))
    response = client.get(reverse("funding:project_detail", kwargs={"project_id": project.pk}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "334000.00" in html  # the world one line, its total
    assert "budget-mismatch" in html  # 334,000 against the declared 415,688
    assert f"{Decimal('334000') - spent:.2f}" in html  # remaining after what the world spent
    assert "targets-table" in html
    assert "按收费标准计算考核费" in html and "导出项目方案 Excel" in html
    for spending in spendings:  # the settlement a payment names is in the spending table
        if spending.settlement_id:
            with scopes_disabled():
                assert str(spending.settlement) in html


def test_spending_form_overspend_needs_confirmation_and_reason(client, world):
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    with scopes_disabled():
        project = world.a.objects["funding_project"]
        line = world.a.objects["budget_line"]
    url = reverse("funding:spending_create", kwargs={"project_id": project.pk})
    data = {"budget_line": line.pk, "date": "2022-07-01", "amount": "999999", "payee": "超支单位"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "超支" in response.content.decode()
    with scopes_disabled():
        assert not Spending.objects.filter(payee="超支单位").exists()
    response = client.post(url, {**data, "confirm_overspend": "on", "overspend_reason": "测试超支"})
    assert response.status_code == 302
    with scopes_disabled():
        kept = Spending.objects.get(payee="超支单位")
        assert kept.overspend_reason == "测试超支"
        kept.delete()  # the world is shared: leave it as it was


def test_teacher_may_not_see_funding(client, world):
    client.force_login(world.a.user(Role.TEACHER))
    assert client.get(reverse("funding:project_list")).status_code == 403


def test_demo_seed_builds_the_example_project_idempotently(school_a):
    from funding import demo
    from funding.models import FundingProject

    demo.seed({"schools": [school_a.school]})
    demo.seed({"schools": [school_a.school]})
    project = FundingProject.objects.get(name=demo.EXAMPLE_NAME)
    totals = project_totals(project=project)
    assert totals.budget == Decimal("415688.00") and not totals.mismatch
    assert len(target_actuals(project)) == 6
