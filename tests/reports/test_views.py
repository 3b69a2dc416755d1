"""The statistics page, its exports and the dashboards."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from accounts.models import Membership, User
from accounts.roles import Role
from funding.services.budget import budget_line_create
from funding.services.projects import project_create
from funding.services.spending import spending_create
from pilots.models import Cohort, Level
from tests.reports.builders import Scenario

pytestmark = pytest.mark.django_db


def build_school(size: int, *, name: str = "统计页学校") -> Scenario:
    """A school whose data grows with ``size``; the tables keep the same shape (years, certificates)."""
    with scopes_disabled():
        s = Scenario(name)
        certs = [s.certificate(f"{name}证书{i}{s.school.pk}") for i in range(2)]
        for year in (2022, 2023):
            for cert in certs:
                pilot = s.pilot(cert, year=year, quota=size * 10, level=Level.ELEMENTARY)
                enrolments = s.candidates(pilot, size * 4, graduation=year + 1)
                s.certify(s.sit(pilot, enrolments, passed=size * 2, absent=size)[: size * 2])
                s.external([e.person for e in enrolments[-size:]])
            social = s.pilot(certs[0], year=year, quota=size * 10, cohort=Cohort.SOCIAL, notes="企业员工")
            s.sit(social, s.candidates(social, size * 3), passed=size)
    return s


def page_numbers(html: str, key: str) -> list[list[str]]:
    """The body cells of one table of the statistics page."""
    section = html.split(f'data-testid="table-{key}"', 1)[1].split("</section>", 1)[0]
    body = section.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_the_statistics_page_shows_the_five_tables_with_their_definitions(client, world):
    s = build_school(1)
    client.force_login(s.admin)
    response = client.get(reverse("reports:statistics"))
    assert response.status_code == 200
    html = response.content.decode()
    for key in ("education", "training", "exams", "graduation", "certificates"):
        assert f'data-testid="table-{key}"' in html
        assert f'data-testid="definition-{key}"' in html
    assert "缺考且未参加补考者" in html  # absentees are explained
    # per year: 2 student pilots of 4 (2 pass, 1 fails, 1 absent) and 3 trainees (1 passes, 2 fail)
    assert page_numbers(html, "exams") == [["2022", "9", "5", "55.6%"], ["2023", "9", "5", "55.6%"]]
    assert page_numbers(html, "graduation") == [["2023届", "8", "6", "75%"], ["2024届", "8", "6", "75%"]]


def test_the_filter_form_narrows_the_page_and_refuses_a_reversed_range(client, world):
    s = build_school(1)
    client.force_login(s.admin)
    html = client.get(reverse("reports:statistics"), {"year_from": 2023}).content.decode()
    assert page_numbers(html, "exams") == [["2023", "9", "5", "55.6%"]]
    response = client.get(reverse("reports:statistics"), {"year_from": 2024, "year_to": 2023})
    assert response.status_code == 400
    assert "起始年份不能晚于截止年份" in response.content.decode()


@pytest.mark.parametrize("key", ["education", "training", "exams", "graduation", "certificates"])
def test_each_table_exports_the_numbers_of_the_page(client, world, key, django_capture_on_commit_callbacks):
    s = build_school(1)
    client.force_login(s.admin)
    query = "year_from=2022&year_to=2023"
    html = client.get(reverse("reports:statistics") + "?" + query).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(f"reports:export_{key}") + "?" + query)
    status = client.get(response["Location"] + "status/").json()
    assert status["state"] == "done", status
    content = b"".join(client.get(status["download"]).streaming_content)
    rows = list(load_workbook(io.BytesIO(content), read_only=True).worksheets[0].iter_rows(values_only=True))
    exported = [["" if v is None else str(v) for v in row] for row in rows[1:]]
    assert exported == page_numbers(html, key)
    assert exported  # every table has rows in this school


def test_a_reviewer_sees_its_certificates_across_schools_but_no_graduates(client, world):
    x = build_school(1, name="甲统计学校")
    with scopes_disabled():
        y = Scenario("乙统计学校", organisation=x.organisation)
        cert = x.certificate("乙校也试点的证书")
        pilot = y.pilot(cert, year=2023, quota=5, cohort=Cohort.SOCIAL)
        y.sit(pilot, y.candidates(pilot, 2), passed=1)
        reviewer = User.objects.create_user(username="stat-reviewer")
        Membership.objects.create(user=reviewer, organisation=x.organisation, role=Role.REVIEWER)
    client.force_login(reviewer)
    html = client.get(reverse("reports:statistics")).content.decode()
    assert page_numbers(html, "exams") == [["2022", "9", "5", "55.6%"], ["2023", "11", "6", "54.5%"]]
    assert 'data-testid="table-graduation"' not in html
    assert x.school.name in html and y.school.name in html  # per-pilot rows name the school


def test_the_page_and_the_dashboard_need_no_more_queries_for_more_data(client, world, django_assert_num_queries):
    small, large = build_school(1, name="小校"), build_school(6, name="大校")
    counts = {}
    for s in (small, large):
        client.force_login(s.admin)
        for name in ("reports:statistics", "home"):
            client.get(reverse(name))  # warm: the session and the user are cached alike
            with CaptureQueriesContext(connection) as captured:
                assert client.get(reverse(name)).status_code == 200
            counts[(s.school.name, name)] = len(captured)
    client.force_login(large.admin)
    with django_assert_num_queries(counts[(small.school.name, "reports:statistics")]):
        client.get(reverse("reports:statistics"))
    with django_assert_num_queries(counts[(small.school.name, "home")]):
        client.get(reverse("home"))


def dashboard_data(html: str) -> dict:
    island = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', html, re.S)
    assert island, "the home page carries no chart data"
    return json.loads(island.group(1))


def test_the_school_admin_dashboard_shows_figures_charts_and_the_budget(client, world):
    s = build_school(1)
    with scopes_disabled():
        project = project_create(school=s.school, name="专项资金", year=2023, necessity="", declared_total=None)
        line = budget_line_create(project=project, category="1+X证书考核", content="考核费", amount=1000, actor=None)
        spending_create(budget_line=line, date="2023-06-01", amount=250, payee="组织", actor=None)
    client.force_login(s.admin)
    html = client.get(reverse("home")).content.decode()
    assert "学校工作台" in html and 'data-testid="home-heading"' in html
    data = dashboard_data(html)
    assert data["pass_rate"] == {
        "labels": ["2022", "2023"],
        "assessed": [9, 9],
        "passed": [5, 5],
        "rate": [55.6, 55.6],
    }
    assert len(data["quota"]["labels"]) == 6 and sum(data["quota"]["assessed"]) == 18
    assert sum(data["certificates"]["passed"]) == 10
    assert data["budget"]["budget"] == [1000.0] and data["budget"]["spent"] == [250.0]
    assert "25%" in html  # budget used
    assert "vendor/chartjs/chart.umd.min.js" in html and "js/dashboard.js" in html
    assert not re.search(r"<script>(?!\s*</script>)", html)  # no inline script: data islands only


@pytest.mark.parametrize("role", [Role.TEACHER, Role.REVIEWER])
def test_other_roles_get_charts_without_the_budget(client, world, role):
    client.force_login(world.a.user(role))
    html = client.get(reverse("home")).content.decode()
    data = dashboard_data(html)
    assert "budget" not in data and {"pass_rate", "quota", "certificates"} <= set(data)
    assert 'data-testid="chart-budget"' not in html


def test_the_platform_admin_dashboard_counts_every_school(client, world):
    client.force_login(world.platform_admin)
    html = client.get(reverse("home")).content.decode()
    assert "平台管理" in html
    data = dashboard_data(html)
    assert sum(data["pass_rate"]["assessed"]) >= 2  # one result on each side of the world


def test_the_navigation_and_home_link_to_the_statistics(client, world):
    client.force_login(world.a.user(Role.TEACHER))
    html = client.get(reverse("home")).content.decode()
    assert reverse("reports:statistics") in html
