"""Exam-fee budget lines computed from the granted pilots: quota × the fee standard in force, hand-computed."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.roles import Role
from core.scoping import PLATFORM, SCHOOL, TenantRef, tenant_scope
from funding.models import BudgetLine
from funding.selectors.budget import project_totals
from funding.selectors.exam_fees import CREATE, NO_FEE, UNCHANGED, UPDATE, exam_fee_preview
from funding.services.budget import budget_line_create
from funding.services.exam_fees import exam_fee_lines_compute
from funding.services.procurement import procurement_item_create
from funding.services.projects import project_create
from funding.services.spending import spending_create
from pilots.models import Certificate, CertificateLevel, Level, Pilot, PilotStatus
from pilots.services import fee_standard_set

pytestmark = pytest.mark.django_db

YEAR = 2037  # no other world row uses it
_codes = itertools.count(1)


@pytest.fixture
def school_a(world):
    with tenant_scope(TenantRef(SCHOOL, world.a.school.pk)):
        yield world.a


def certificate(side, name: str) -> Certificate:
    with scopes_disabled():
        made = Certificate.objects.create(code=f"EF{next(_codes):04d}", name=name, organisation=side.organisation)
        for level in Level.values:
            CertificateLevel.objects.create(certificate=made, level=level, pass_mark=60)
    return made


def fee(cert: Certificate, level: str, amount: str, effective_from: date) -> None:
    with tenant_scope(TenantRef(PLATFORM)):
        fee_standard_set(
            tenant=TenantRef(PLATFORM),
            certificate=cert,
            level=level,
            fee=Decimal(amount),
            effective_from=effective_from,
        )


def pilot(side, cert: Certificate, level: str, quota: int, status: str = PilotStatus.APPROVED, **extra) -> Pilot:
    values = {"year": YEAR, "cohort": "students", **extra}
    with scopes_disabled():
        return Pilot.objects.create(
            school=side.school,
            certificate=cert,
            level=level,
            requested_quota=max(quota, 1) + 10,
            quota=None if status == PilotStatus.APPLIED else quota,
            status=status,
            **values,
        )


def lines(project) -> dict[str, BudgetLine]:
    return {line.sub_project: line for line in BudgetLine.objects.filter(project=project, pilot__isnull=False)}


@pytest.fixture
def pilots(world):
    """School A, 2037, hand-computed with the project starting on 1 March 2037:

    - 工业机器人 初级, approved, quota 37, fee 123.45 from 2037-01-01         -> 37 × 123.45 = 4,567.65
    - 工业机器人 中级, running, quota 40, fee 180 from 2036-01-01 and 200 from
      2037-06-01 (after the start: not in force)                              -> 40 × 180.00 = 7,200.00
    - 数控车铣 初级, finished, quota 25, fee 99.99 from 2030-01-01             -> 25 × 99.99  = 2,499.75
    Left out: an application still 申报中, a declined pilot, a pilot of 2038, a pilot of school B.
    Total 14,267.40.
    """
    a, b = world.a, world.b
    robot = certificate(a, "工业机器人")
    lathe = certificate(a, "数控车铣")
    fee(robot, Level.ELEMENTARY, "123.45", date(YEAR, 1, 1))
    fee(robot, Level.INTERMEDIATE, "180.00", date(YEAR - 1, 1, 1))
    fee(robot, Level.INTERMEDIATE, "200.00", date(YEAR, 6, 1))
    fee(lathe, Level.ELEMENTARY, "99.99", date(2030, 1, 1))
    made = {
        "robot_1": pilot(a, robot, Level.ELEMENTARY, 37),
        "robot_2": pilot(a, robot, Level.INTERMEDIATE, 40, PilotStatus.RUNNING),
        "lathe_1": pilot(a, lathe, Level.ELEMENTARY, 25, PilotStatus.FINISHED),
    }
    pilot(a, lathe, Level.INTERMEDIATE, 30, PilotStatus.APPLIED)
    pilot(a, lathe, Level.ADVANCED, 30, PilotStatus.DECLINED)
    pilot(a, robot, Level.ADVANCED, 30, year=YEAR + 1)
    pilot(b, robot, Level.ELEMENTARY, 30)
    return made


def new_project(side, **extra):
    return project_create(school=side.school, name="考核费计算", year=YEAR, **extra)


def test_each_granted_pilot_gets_quota_times_the_fee_in_force_and_typed_lines_stay(school_a, pilots):
    project = new_project(school_a, start_date=date(YEAR, 3, 1))
    typed = budget_line_create(
        project=project, category="1+X证书考核", content="6个证书的考核费", amount=75688, actor=None
    )
    outcome = exam_fee_lines_compute(project=project, actor=school_a.user(Role.SCHOOL_ADMIN))
    assert (outcome.created, outcome.updated, outcome.removed, outcome.notes) == (3, 0, 0, [])
    assert outcome.total == Decimal("14267.40")
    computed = lines(project)
    assert sorted(computed) == ["工业机器人 中级", "工业机器人 初级", "数控车铣 初级"]
    first = computed["工业机器人 初级"]
    assert (first.category, first.content, first.pilot_id) == (
        "1+X证书考核",
        "考核费 37 人 × 123.45 元",
        pilots["robot_1"].pk,
    )
    assert (first.planned_candidates, first.unit_fee, first.amount) == (37, Decimal("123.45"), Decimal("4567.65"))
    assert computed["工业机器人 中级"].amount == Decimal("7200.00")  # 180, not the 200 of June
    assert computed["数控车铣 初级"].amount == Decimal("2499.75")
    kept = BudgetLine.objects.get(pk=typed.pk)
    assert (kept.amount, kept.content, kept.pilot_id) == (Decimal("75688.00"), "6个证书的考核费", None)
    assert project_totals(project=project).budget == Decimal("89955.40")  # 75,688 + 14,267.40


def test_without_a_start_date_the_fee_in_force_on_31_december_applies(school_a, pilots):
    project = new_project(school_a)
    exam_fee_lines_compute(project=project, actor=None)
    assert lines(project)["工业机器人 中级"].amount == Decimal("8000.00")  # 40 × 200 from June


def test_the_preview_writes_nothing(school_a, pilots):
    project = new_project(school_a, start_date=date(YEAR, 3, 1))
    preview = exam_fee_preview(project=project)
    assert [r.action for r in preview.rows] == [CREATE, CREATE, CREATE]
    assert preview.total == Decimal("14267.40") and preview.budget_after == Decimal("14267.40")
    assert not BudgetLine.objects.filter(project=project).exists()


def test_a_missing_fee_refuses_the_whole_computation_and_changes_nothing(school_a, pilots):
    project = new_project(school_a, start_date=date(YEAR, 3, 1))
    exam_fee_lines_compute(project=project, actor=None)
    before = {k: (v.pk, v.amount) for k, v in lines(project).items()}
    pilot(school_a, certificate(school_a, "无收费证书"), Level.INTERMEDIATE, 20)
    with scopes_disabled():
        Pilot.objects.filter(pk=pilots["robot_1"].pk).update(quota=38)  # would change a line
    with pytest.raises(ValidationError) as refused:
        exam_fee_lines_compute(project=project, actor=None)
    message = " ".join(refused.value.messages)
    assert "无收费证书 中级" in message and f"{YEAR}-03-01" in message
    assert {k: (v.pk, v.amount) for k, v in lines(project).items()} == before
    assert [r.action for r in exam_fee_preview(project=project).rows].count(NO_FEE) == 1


def test_a_recompute_after_a_quota_change_updates_the_line(school_a, pilots):
    project = new_project(school_a, start_date=date(YEAR, 3, 1))
    exam_fee_lines_compute(project=project, actor=None)
    line = lines(project)["工业机器人 初级"]
    with scopes_disabled():
        Pilot.objects.filter(pk=pilots["robot_1"].pk).update(quota=36)
    preview = exam_fee_preview(project=project)
    assert [r.action for r in preview.rows] == [UPDATE, UNCHANGED, UNCHANGED]
    outcome = exam_fee_lines_compute(project=project, actor=None)
    assert (outcome.created, outcome.updated, outcome.removed) == (0, 1, 0)
    updated = lines(project)["工业机器人 初级"]
    assert updated.pk == line.pk
    assert (updated.planned_candidates, updated.amount, updated.content) == (
        36,
        Decimal("4444.20"),  # 36 × 123.45
        "考核费 36 人 × 123.45 元",
    )
    again = exam_fee_lines_compute(project=project, actor=None)
    assert (again.created, again.updated, again.removed) == (0, 0, 0)


def test_a_line_no_longer_asked_for_is_removed_unless_money_was_spent_on_it(school_a, pilots):
    project = new_project(school_a, start_date=date(YEAR, 3, 1))
    exam_fee_lines_compute(project=project, actor=None)
    paid = lines(project)["工业机器人 初级"]
    bought = lines(project)["数控车铣 初级"]
    spending_create(budget_line=paid, date=date(YEAR, 5, 1), amount=Decimal("1000"), payee="组织", actor=None)
    procurement_item_create(project=project, budget_line=bought, item="刀具", quantity=1, unit_price="10", actor=None)
    with scopes_disabled():
        Pilot.objects.filter(pk__in=[p.pk for p in pilots.values()]).update(status=PilotStatus.DECLINED)
    outcome = exam_fee_lines_compute(project=project, actor=None)
    assert (outcome.created, outcome.updated, outcome.removed) == (0, 0, 1)
    assert sorted(lines(project)) == ["工业机器人 初级", "数控车铣 初级"]  # 工业机器人 中级 is gone
    assert len(outcome.notes) == 2 and "工业机器人 初级" in outcome.notes[0] and "4567.65" in outcome.notes[0]


def test_a_fee_of_zero_gives_no_line_and_says_so(school_a, pilots):
    free = certificate(school_a, "免费证书")
    fee(free, Level.ELEMENTARY, "0", date(2030, 1, 1))
    pilot(school_a, free, Level.ELEMENTARY, 20)
    project = new_project(school_a, start_date=date(YEAR, 3, 1))
    outcome = exam_fee_lines_compute(project=project, actor=None)
    assert outcome.created == 3 and "免费证书 初级" not in lines(project)
    assert any("免费证书 初级" in note and "0.00" in note for note in outcome.notes)


def test_the_page_previews_then_applies_with_the_badge_and_formula(client, world, pilots):
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    with tenant_scope(TenantRef(SCHOOL, world.a.school.pk)):
        project = new_project(world.a, start_date=date(YEAR, 3, 1), declared_total=Decimal("14267.40"))
    url = reverse("funding:exam_fee_compute", kwargs={"project_id": project.pk})
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "4567.65" in html and "14267.40" in html and "123.45" in html
    signature = page.context["form"].initial["signature"]
    with scopes_disabled():
        assert not BudgetLine.objects.filter(project=project).exists()
    assert client.post(url, {}).status_code == 400  # not confirmed from a preview
    response = client.post(url, {"signature": signature}, follow=True)
    html = response.content.decode()
    assert "新增 3 条" in html and html.count(">按收费标准计算</span>") == 3  # the badge of each line
    assert "试点指标 37 人 × 收费标准 123.45 元 = 4567.65 元" in html
    assert "budget-mismatch" not in html  # 14,267.40 as declared


def test_a_preview_overtaken_by_a_quota_change_is_refused(client, world, pilots):
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    with tenant_scope(TenantRef(SCHOOL, world.a.school.pk)):
        project = new_project(world.a, start_date=date(YEAR, 3, 1))
    url = reverse("funding:exam_fee_compute", kwargs={"project_id": project.pk})
    signature = client.get(url).context["form"].initial["signature"]
    with scopes_disabled():
        Pilot.objects.filter(pk=pilots["robot_1"].pk).update(quota=30)
    response = client.post(url, {"signature": signature})
    assert response.status_code == 400
    assert "有变化" in response.content.decode() and "3703.50" in response.content.decode()  # 30 × 123.45
    with scopes_disabled():
        assert not BudgetLine.objects.filter(project=project).exists()


def test_the_page_refuses_when_a_fee_is_missing(client, world, pilots):
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    pilot(world.a, certificate(world.a, "缺收费证书"), Level.ADVANCED, 20)
    with tenant_scope(TenantRef(SCHOOL, world.a.school.pk)):
        project = new_project(world.a, start_date=date(YEAR, 3, 1))
    url = reverse("funding:exam_fee_compute", kwargs={"project_id": project.pk})
    page = client.get(url)
    assert "缺收费证书 高级" in page.content.decode() and "exam-fee-missing" in page.content.decode()
    response = client.post(url, {"signature": page.context["form"].initial["signature"]})
    assert response.status_code == 400 and "缺收费证书 高级" in response.content.decode()
    with scopes_disabled():
        assert not BudgetLine.objects.filter(project=project).exists()


def test_the_lines_are_the_plans_chinese_text_whoever_computes_them(school_a, pilots):
    from django.utils import translation

    project = new_project(school_a, start_date=date(YEAR, 3, 1))
    with translation.override("en"):
        exam_fee_lines_compute(project=project, actor=None)
        again = exam_fee_lines_compute(project=project, actor=None)
    assert (again.created, again.updated) == (0, 0)
    assert lines(project)["工业机器人 中级"].content == "考核费 40 人 × 180.00 元"


def test_a_quota_cut_below_what_was_paid_updates_the_line_and_says_so(school_a, pilots):
    project = new_project(school_a, start_date=date(YEAR, 3, 1))
    exam_fee_lines_compute(project=project, actor=None)
    line = lines(project)["工业机器人 初级"]
    spending_create(budget_line=line, date=date(YEAR, 5, 1), amount=Decimal("4000"), payee="组织", actor=None)
    with scopes_disabled():
        Pilot.objects.filter(pk=pilots["robot_1"].pk).update(quota=30)
    outcome = exam_fee_lines_compute(project=project, actor=None)
    assert outcome.updated == 1 and lines(project)["工业机器人 初级"].amount == Decimal("3703.50")  # 30 × 123.45
    assert len(outcome.notes) == 1 and "3703.50" in outcome.notes[0] and "4000.00" in outcome.notes[0]
    row = next(r for r in project_totals(project=project).lines if r.line.pk == line.pk)
    assert row.remaining == Decimal("-296.50") and row.overspent
