"""The exam-fee settlement statement (考核费结算单), hand-counted, seen from both sides.

The world of these tests (school A, organisation A, 2031), results entered and published through the
results services, fees through the catalogue service:

- certificate X (初级): fee 123.45 from 2031-01-01, 150.00 from 2031-06-01.
  Batch of 2031-05-10: 3 pass, 1 fail, 1 absent, ended           -> 4 charged at 123.45 = 493.80
  Retake batch of 2031-06-15 (the failed one and the absent one):
  the failed one passes, the absent one is absent again           -> 1 charged at 150.00 = 150.00
- certificate W (初级): fee 99.99 from 2031-01-01.
  Batch of 2031-09-01: 2 pass, 1 fail, in notice                   -> 3 charged at 99.99 = 299.97
Not charged: a batch of organisation A still being entered; a certificate of organisation B piloted
by school A; school B's results of organisation A's certificate; organisation A's results of 2032.

So: 8 assessed, due 943.77; one payment of 600.50 naming the statement; balance 343.27 (待付).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from accounts.roles import Role
from certificates.models import Result
from certificates.services.notice import sheet_end, sheet_publish
from certificates.services.results import result_save, result_sheet_for_batch
from core.models import Job
from core.scoping import ORGANISATION, TenantRef
from funding.models import Settlement
from funding.selectors.settlements import OVERPAID, OWING, SETTLED, settlement_statement, settlement_suggestions
from funding.services.budget import budget_line_create
from funding.services.projects import project_create
from funding.services.settlements import settlement_create
from funding.services.spending import spending_create
from pilots.models import Certificate, Level
from pilots.services import fee_standard_set
from tests.certificates.results_helpers import Setup, add_batch, as_org, as_school, make_setup, sheet_of
from tests.funding.helpers import line_of_new_project

pytestmark = pytest.mark.django_db

YEAR = 2031  # no other world row uses it
PASS, FAIL, ABSENT = "pass", "fail", "absent"


def _fee(certificate: Certificate, fee: str, on: date) -> None:
    with scopes_disabled():
        fee_standard_set(
            tenant=TenantRef(ORGANISATION, certificate.organisation_id),
            certificate=certificate,
            level=Level.ELEMENTARY,
            fee=Decimal(fee),
            effective_from=on,
        )


def _enter(setup: Setup, batch, outcomes: list[str], *, publish: bool = True, end: bool = False) -> None:
    """Enter the outcomes of the batch's seats (in seat order) through the results services."""
    admin = setup.admin
    with as_school(setup.side):
        sheet = result_sheet_for_batch(batch=batch, actor=admin)
        rows = {r.seat_id: r for r in Result.objects.filter(sheet=sheet)}  # retake rows prepared by the sheet
        for seat in batch.seats.order_by("number"):
            outcome = outcomes[seat.number - 1]
            current = rows.get(seat.pk)
            scores = {PASS: ("80", "85"), FAIL: ("40", "70")}.get(outcome, (None, None))
            result_save(
                seat=seat if current is None else None,
                result=current,
                theory=scores[0],
                practical=scores[1],
                absent=outcome == ABSENT,
                actor=admin,
                version=current.version if current is not None else 0,
            )
        if publish:
            day = batch.sessions.get().date
            sheet = sheet_publish(sheet=sheet_of(batch), actor=admin, notice_days=0, today=day)
            if end:
                sheet_end(sheet=sheet, actor=admin, today=day)


@dataclass
class Hand:
    side: object
    settlement: Settlement
    x: Setup
    w: Setup
    foreign_org: Setup
    other_school: Setup
    later: Setup
    entering: Setup


def _other_owner(setup: Setup, organisation) -> None:
    with scopes_disabled():
        Certificate.objects.filter(pk=setup.certificate.pk).update(organisation=organisation)
        setup.certificate.refresh_from_db()


@pytest.fixture
def hand(world) -> Hand:
    a, b = world.a, world.b
    x = make_setup(a, size=5, day=date(YEAR, 5, 10), with_sheet=False)
    _fee(x.certificate, "123.45", date(YEAR, 1, 1))
    _fee(x.certificate, "150.00", date(YEAR, 6, 1))
    _enter(x, x.batch, [PASS, PASS, PASS, FAIL, ABSENT], end=True)
    retake_batch, _seats = add_batch(x, day=date(YEAR, 6, 15), enrolments=x.enrolments[3:5], retake=True)
    _enter(x, retake_batch, [PASS, ABSENT])

    w = make_setup(a, size=3, day=date(YEAR, 9, 1), with_sheet=False)
    _fee(w.certificate, "99.99", date(YEAR, 1, 1))
    _enter(w, w.batch, [PASS, FAIL, PASS])

    entering = make_setup(a, size=2, day=date(YEAR, 10, 1), with_sheet=False)
    _fee(entering.certificate, "99.99", date(YEAR, 1, 1))
    _enter(entering, entering.batch, [PASS, PASS], publish=False)

    foreign_org = make_setup(a, size=2, day=date(YEAR, 5, 11), with_sheet=False)
    _other_owner(foreign_org, b.organisation)
    _fee(foreign_org.certificate, "500.00", date(YEAR, 1, 1))
    _enter(foreign_org, foreign_org.batch, [PASS, PASS])

    other_school = make_setup(b, size=2, day=date(YEAR, 5, 12), with_sheet=False)
    _other_owner(other_school, a.organisation)
    _fee(other_school.certificate, "700.00", date(YEAR, 1, 1))
    _enter(other_school, other_school.batch, [PASS, FAIL])

    later = make_setup(a, size=1, day=date(YEAR + 1, 5, 10), with_sheet=False)
    _fee(later.certificate, "99.99", date(YEAR, 1, 1))
    _enter(later, later.batch, [FAIL])

    admin = x.admin
    with as_school(a):
        settlement = settlement_create(school=a.school, organisation=a.organisation, year=YEAR, actor=admin)
        project = project_create(school=a.school, name="考核费项目", year=YEAR)
        line = budget_line_create(
            project=project, category="1+X证书考核", content="考核费", amount=Decimal("5000"), actor=None
        )
        spending_create(
            budget_line=line,
            date=date(YEAR, 10, 8),
            amount=Decimal("600.50"),
            payee=a.organisation.name,
            voucher_number="JS-2031-01",
            settlement=settlement,
            actor=admin,
        )
        # A payment of the same line that names no statement is not paid on it.
        spending_create(budget_line=line, date=date(YEAR, 10, 9), amount=Decimal("77"), payee="别的", actor=admin)
    return Hand(a, settlement, x, w, foreign_org, other_school, later, entering)


def _figure(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>([^<]*)<', html)
    assert match, f"#{element_id} is not on the page"
    return match.group(1).strip()


def _page(client, user, settlement: Settlement) -> str:
    client.force_login(user)
    response = client.get(reverse("funding:settlement_detail", kwargs={"settlement_id": settlement.pk}))
    assert response.status_code == 200
    return response.content.decode()


def _names(setup: Setup) -> list[str]:
    return [p.name for p in setup.people]


def test_the_statement_is_hand_counted(hand):
    with as_school(hand.side):
        statement = settlement_statement(Settlement.objects.get(pk=hand.settlement.pk))
    assert (statement.assessed, statement.due, statement.paid) == (8, Decimal("943.77"), Decimal("600.50"))
    assert (statement.balance, statement.balance_status, statement.missing) == (Decimal("343.27"), OWING, 0)
    summary = {(r.certificate, r.fee): (r.count, r.amount) for r in statement.summary}
    assert summary == {
        (hand.x.certificate.name, Decimal("123.45")): (4, Decimal("493.80")),
        (hand.x.certificate.name, Decimal("150.00")): (1, Decimal("150.00")),
        (hand.w.certificate.name, Decimal("99.99")): (3, Decimal("299.97")),
    }
    rows = statement.candidates
    assert [r.number for r in rows] == list(range(1, 9))
    x_names = _names(hand.x)
    listed = [(r.name, r.is_retake, r.fee) for r in rows if r.certificate == hand.x.certificate.name]
    assert listed == [
        (x_names[0], False, Decimal("123.45")),
        (x_names[1], False, Decimal("123.45")),
        (x_names[2], False, Decimal("123.45")),
        (x_names[3], False, Decimal("123.45")),
        (x_names[3], True, Decimal("150.00")),  # the retake, charged again at the fee of its own date
    ]
    assert x_names[4] not in {r.name for r in rows}  # absent twice: never charged
    assert all("*" in r.id_number and len(r.id_number) == 18 for r in rows)  # masked
    assert rows[0].school_class == hand.side.objects["school_class"].code


def test_the_settlement_statement_seen_from_both_sides_agrees_to_the_fen(client, hand, world):
    school_html = _page(client, world.a.user(Role.SCHOOL_ADMIN), hand.settlement)
    org_html = _page(client, world.a.user(Role.REVIEWER), hand.settlement)
    for html in (school_html, org_html):
        assert _figure(html, "settlement-assessed") == "8"
        assert _figure(html, "settlement-due") == "943.77"
        assert _figure(html, "settlement-paid") == "600.50"
        assert _figure(html, "settlement-balance") == "343.27"
        assert _figure(html, "settlement-status") == "待付"
        assert "JS-2031-01" in html and "别的" not in html  # the payment naming it, only that one
        assert html.count("<tr", html.index('id="settlement-candidates"')) == 1 + 8
        assert "补考" in html and "缺考" in html  # the retake is marked; the definition says what is counted
        for setup in (hand.foreign_org, hand.other_school, hand.later, hand.entering):
            for name in _names(setup):
                assert name not in html
        assert hand.foreign_org.certificate.name not in html
        for person in hand.x.people:
            assert person.id_number not in html  # ID numbers are masked on both sides
    # Each side sees the other's name.
    assert world.a.organisation.name in school_html and world.a.school.name in org_html
    # The very same statement: the tables of both pages are identical.
    tables = re.compile(r'<table[^>]*id="settlement-(?:summary|payments|candidates)".*?</table>', re.S)
    assert tables.findall(school_html) == tables.findall(org_html)
    assert "登记付款" in school_html and "登记付款" not in org_html  # only the school pays


def test_payments_settle_and_overpay_the_statement(client, hand, world):
    with as_school(hand.side):
        line = line_of_new_project(hand.side.school, "补付", YEAR, "1+X证书考核", "考核费", "1000")
        pay = {"budget_line": line, "payee": "x", "settlement": hand.settlement, "actor": None}
        spending_create(date=date(YEAR, 11, 1), amount=Decimal("343.27"), **pay)
        assert settlement_statement(hand.settlement).balance_status == SETTLED
        spending_create(date=date(YEAR, 11, 2), amount=Decimal("0.01"), **pay)
    org_html = _page(client, world.a.user(Role.REVIEWER), hand.settlement)
    assert _figure(org_html, "settlement-balance") == "-0.01"
    assert _figure(org_html, "settlement-status") == "多付"
    with as_org(hand.side):
        assert settlement_statement(Settlement.objects.get(pk=hand.settlement.pk)).balance_status == OVERPAID


def test_a_candidate_without_a_fee_in_force_makes_the_statement_incomplete(client, hand, world):
    # A fee that starts the day after the exam is not in force on the exam date.
    early = make_setup(hand.side, size=2, day=date(YEAR, 3, 1), with_sheet=False)
    _fee(early.certificate, "66.60", date(YEAR, 3, 2))
    _enter(early, early.batch, [PASS, FAIL])
    with as_org(hand.side):
        statement = settlement_statement(Settlement.objects.get(pk=hand.settlement.pk))
    assert (statement.assessed, statement.missing, statement.due) == (10, 2, Decimal("943.77"))
    assert statement.balance_status == "incomplete"
    missing = [r for r in statement.summary if r.fee is None]
    assert [(r.certificate, r.count, r.amount) for r in missing] == [(early.certificate.name, 2, None)]
    for user in (world.a.user(Role.SCHOOL_ADMIN), world.a.user(Role.REVIEWER)):
        html = _page(client, user, hand.settlement)
        assert 'id="settlement-incomplete"' in html and "未设收费标准" in html
        assert "不完整" in html[html.index('id="settlement-due"') :][:600]  # the total says so, not silently low
        assert _figure(html, "settlement-assessed") == "10"


def test_the_statement_takes_the_same_number_of_queries_at_any_size(hand):
    def count() -> int:
        with as_school(hand.side):
            settlement = Settlement.objects.get(pk=hand.settlement.pk)
            with CaptureQueriesContext(connection) as queries:
                statement = settlement_statement(settlement)
        return len(queries), statement.assessed

    small = count()
    more = make_setup(hand.side, size=12, day=date(YEAR, 11, 20), with_sheet=False)
    _fee(more.certificate, "12.34", date(YEAR, 1, 1))
    _enter(more, more.batch, [PASS] * 6 + [FAIL] * 6)
    large = count()
    assert (small[1], large[1]) == (8, 20)
    assert small[0] == large[0] == 3


def test_duplicates_are_refused_with_a_clear_message(hand):
    with as_school(hand.side), pytest.raises(ValidationError) as refused:
        settlement_create(school=hand.side.school, organisation=hand.side.organisation, year=YEAR, actor=None)
    assert "2031 年度考核费结算单已存在" in refused.value.messages[0]
    assert hand.side.organisation.name in refused.value.messages[0]


def test_a_statement_needs_a_pilot_of_the_organisation_that_year(world):
    with as_school(world.a), pytest.raises(ValidationError) as refused:
        settlement_create(school=world.a.school, organisation=world.b.organisation, year=2024, actor=None)
    assert "没有" in refused.value.messages[0] and "试点" in refused.value.messages[0]


def test_the_admin_creates_a_suggested_statement_with_one_post(client, world):
    a = world.a
    setup = make_setup(a, size=2, day=date(YEAR + 3, 5, 10), with_sheet=False)
    _enter(setup, setup.batch, [PASS, ABSENT])
    with as_school(a):
        suggested = [(s.organisation.pk, s.year, s.assessed) for s in settlement_suggestions(school=a.school)]
    assert (a.organisation.pk, YEAR + 3, 1) in suggested
    client.force_login(a.user(Role.SCHOOL_ADMIN))
    listing = client.get(reverse("funding:settlement_list")).content.decode()
    assert "可生成的结算单" in listing and f"生成 {YEAR + 3} 年度结算单" in listing
    url = reverse("funding:settlement_create")
    response = client.post(url, {"organisation": a.organisation.pk, "year": YEAR + 3})
    assert response.status_code == 302
    with scopes_disabled():
        created = Settlement.objects.get(school=a.school, organisation=a.organisation, year=YEAR + 3)
    assert response["Location"] == reverse("funding:settlement_detail", kwargs={"settlement_id": created.pk})
    assert f"生成 {YEAR + 3} 年度结算单" not in client.get(reverse("funding:settlement_list")).content.decode()
    again = client.post(url, {"organisation": a.organisation.pk, "year": YEAR + 3}, follow=True)
    assert "已存在，不能重复生成" in again.content.decode()
    with scopes_disabled():
        assert Settlement.objects.filter(school=a.school, organisation=a.organisation, year=YEAR + 3).count() == 1


def test_the_organisation_lists_the_statements_addressed_to_it(client, hand, world):
    client.force_login(world.a.user(Role.REVIEWER))
    html = client.get(reverse("funding:settlement_list")).content.decode()
    assert world.a.school.name in html and "600.50" in html
    assert "可生成的结算单" not in html  # only the school creates statements
    assert reverse("funding:settlement_detail", kwargs={"settlement_id": hand.settlement.pk}) in html
    assert client.post(reverse("funding:settlement_create"), {"organisation": world.a.organisation.pk}).status_code == (
        403
    )


def test_teachers_and_platform_admins_may_not_see_settlements(client, hand, world):
    detail = reverse("funding:settlement_detail", kwargs={"settlement_id": hand.settlement.pk})
    export = reverse("funding:settlement_export", kwargs={"settlement_id": hand.settlement.pk})
    for user in (world.a.user(Role.TEACHER), world.platform_admin):
        client.force_login(user)
        assert client.get(reverse("funding:settlement_list")).status_code == 403
        assert client.get(detail).status_code == 403
        assert client.post(export).status_code == 403
    client.force_login(world.a.user(Role.TEACHER))
    assert client.post(reverse("funding:settlement_create"), {"organisation": world.a.organisation.pk}).status_code == (
        403
    )


def test_another_side_gets_404(client, hand, world):
    url = reverse("funding:settlement_detail", kwargs={"settlement_id": hand.settlement.pk})
    for role in (Role.SCHOOL_ADMIN, Role.REVIEWER):
        client.force_login(world.b.user(role))
        assert client.get(url).status_code == 404


def _export(client, user, settlement, capture) -> dict[str, list[tuple]]:
    client.force_login(user)
    with capture(execute=True):
        response = client.post(reverse("funding:settlement_export", kwargs={"settlement_id": settlement.pk}))
    assert response.status_code == 302
    with scopes_disabled():
        job = Job.objects.select_related("result").get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert job.state == Job.State.DONE, job.error
    with job.result.file.open("rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def test_the_export_holds_the_same_statement_for_both_sides(client, hand, world, django_capture_on_commit_callbacks):
    school = _export(client, world.a.user(Role.SCHOOL_ADMIN), hand.settlement, django_capture_on_commit_callbacks)
    org = _export(client, world.a.user(Role.REVIEWER), hand.settlement, django_capture_on_commit_callbacks)
    assert school == org
    assert list(school) == ["汇总", "考生名单", "付款"]

    summary = school["汇总"]
    assert summary[0][:5] == ("证书", "等级", "每人考核费（元）", "考核人数", "金额（元）")
    amounts = {(row[0], Decimal(str(row[2]))): (row[3], Decimal(str(row[4]))) for row in summary[1:4]}
    assert amounts == {
        (hand.x.certificate.name, Decimal("123.45")): (4, Decimal("493.80")),
        (hand.x.certificate.name, Decimal("150.00")): (1, Decimal("150.00")),
        (hand.w.certificate.name, Decimal("99.99")): (3, Decimal("299.97")),
    }
    assert summary[4][0] == "合计" and summary[4][3] == 8 and Decimal(str(summary[4][4])) == Decimal("943.77")
    facts = {row[0]: row[1:] for row in summary[5:] if row and row[0]}
    assert facts["培训评价组织"][0] == world.a.organisation.name
    assert Decimal(str(facts["已付（元）"][0])) == Decimal("600.50")
    assert Decimal(str(facts["余额（元）"][0])) == Decimal("343.27") and facts["余额（元）"][1] == "待付"

    candidates = school["考生名单"]
    assert candidates[0] == (
        "序号",
        "姓名",
        "身份证号",
        "班级",
        "证书",
        "等级",
        "考核日期",
        "批次",
        "补考",
        "考核费（元）",
    )
    assert len(candidates) == 1 + 8
    retake = [row for row in candidates[1:] if row[8] == "补考"]
    assert len(retake) == 1 and retake[0][1] == hand.x.people[3].name and retake[0][6] == f"{YEAR}-06-15"
    assert Decimal(str(retake[0][9])) == Decimal("150.00")
    assert all("*" in row[2] for row in candidates[1:])

    payments = school["付款"]
    assert payments[1][0] == f"{YEAR}-10-08" and Decimal(str(payments[1][1])) == Decimal("600.50")
    assert payments[1][2:] == ("JS-2031-01", world.a.organisation.name)
    assert payments[-1][0] == "合计" and Decimal(str(payments[-1][1])) == Decimal("600.50")


def test_the_reviewer_finds_settlements_in_the_navigation(client, world):
    client.force_login(world.a.user(Role.REVIEWER))
    html = client.get(reverse("home")).content.decode()
    assert "考核费结算" in html and reverse("funding:settlement_list") in html
    client.force_login(world.a.user(Role.TEACHER))
    assert reverse("funding:settlement_list") not in client.get(reverse("home")).content.decode()


def test_demo_seed_adds_one_payment_to_the_statement_idempotently(world):
    from funding import demo

    a = world.a
    with as_school(a):
        demo.seed({"schools": [a.school], "organisations": [a.organisation]})
        demo.seed({"schools": [a.school], "organisations": [a.organisation]})
        settlements = Settlement.objects.filter(organisation=a.organisation, year=demo.SETTLEMENT_YEAR)
        assert settlements.count() == 1  # the world's own statement of 2024, found again, not doubled
        statement = settlement_statement(settlements.get())
    assert [p.voucher_number for p in statement.payments] == ["JS" + a.key, "PZ-2024-0710"]
    assert statement.paid == Decimal("1980.00")  # the world's 180.00 and the demo's 1800.00


@pytest.mark.django_db
def test_a_long_statement_lists_its_candidates_a_page_at_a_time_with_the_totals_of_all(client):
    from accounts.models import Membership, User
    from funding.views.settlements import CANDIDATES_PER_PAGE
    from pilots.models import FeeStandard
    from tests.reports.builders import PASS, Scenario

    total = CANDIDATES_PER_PAGE + 37
    with scopes_disabled():
        scenario = Scenario("长名单学校")
        certificate = scenario.certificate("长名单证书")
        FeeStandard.objects.create(
            certificate=certificate, level=Level.ELEMENTARY, fee=Decimal("0.10"), effective_from=date(2020, 1, 1)
        )
        pilot = scenario.pilot(certificate, year=2024, quota=total)
        scenario.results(pilot, [(e, PASS) for e in scenario.candidates(pilot, total)])
        settlement = Settlement.objects.create(school=scenario.school, organisation=scenario.organisation, year=2024)
        reviewer = User.objects.create_user(username="long-list-reviewer")
        Membership.objects.create(user=reviewer, organisation=scenario.organisation, role=Role.REVIEWER)
    url = reverse("funding:settlement_detail", kwargs={"settlement_id": settlement.pk})

    for user in (scenario.admin, reviewer):
        client.force_login(user)
        first = client.get(url).content.decode()
        second = client.get(url, {"page": 2}).content.decode()
        for html in (first, second):
            assert re.search(rf'id="settlement-assessed">\s*{total}\s*<', html)
            assert re.search(r'id="settlement-due">\s*23\.70\s*<', html)  # 237 × 0.10, all of them
        body = re.compile(r'<table[^>]*id="settlement-candidates".*?<tbody>(.*?)</tbody>', re.S)
        assert body.search(first).group(1).count("<tr") == CANDIDATES_PER_PAGE
        assert body.search(second).group(1).count("<tr") == 37
        assert "完整名单请导出结算单 Excel" in first
        assert f">{total}</td>" in second and f">{CANDIDATES_PER_PAGE + 1}</td>" in second
