"""The dashboard charts draw (a canvas with data) without a console error; the statistics page prints."""

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from accounts.models import School
from pilots.models import Pilot
from students.models import Enrolment
from tests.browser.test_journeys import login, logout
from tests.reports.builders import Scenario

pytestmark = pytest.mark.browser

CHARTS = ["chart-pass-rate", "chart-quota", "chart-certificates", "chart-budget"]


def _results_for_the_demo_school() -> None:
    """The demo has enrolments but no results yet: the running 2024 pilot of school 1 sits an exam."""
    with scopes_disabled():
        school = School.objects.get(name="示范机电职业技术学校")
        pilot = Pilot.objects.filter(school=school, status="running").select_related("certificate").first()
        enrolments = list(Enrolment.objects.filter(pilot=pilot).select_related("pilot"))
        assert enrolments, "the demo's running pilot has no enrolments"
        scenario = Scenario("demo", school=school, organisation=pilot.certificate.organisation)
        results = scenario.sit(pilot, enrolments, passed=len(enrolments) - 2, absent=1)
        scenario.certify(results[:3])


def _chart_points(page: Page, canvas_id: str) -> int:
    return page.evaluate(
        """id => {
            const chart = window.Chart.getChart(document.getElementById(id));
            return chart ? chart.data.datasets.reduce((n, d) => n + d.data.filter(v => v !== null).length, 0) : 0;
        }""",
        canvas_id,
    )


def _counts(message) -> bool:
    """A console error of the page (the browser's own favicon request is not the page's)."""
    return message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico")


def test_the_dashboard_charts_render_with_data_and_no_console_errors(page: Page, live_server, demo, shot):
    _results_for_the_demo_school()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"{m.text} {m.location}") if _counts(m) else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    login(page, live_server.url, "school1_admin", demo)
    expect(page.get_by_test_id("home-heading")).to_have_text("学校工作台")
    for canvas_id in CHARTS:
        expect(page.locator(f"#{canvas_id}")).to_have_attribute("data-chart-ready", "true")
        assert _chart_points(page, canvas_id) > 0, f"{canvas_id} drew no data"
    shot("reports-dashboard-school-admin")
    page.emulate_media(media="print")
    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(page.locator("#chart-pass-rate")).to_be_visible()
    shot("reports-dashboard-print")
    page.emulate_media(media="screen")

    page.locator(".navbar").get_by_role("link", name="统计报表").click()
    expect(page.get_by_test_id("statistics-heading")).to_have_text("统计报表")
    expect(page.get_by_test_id("table-exams")).to_contain_text("2024")
    shot("reports-statistics")
    logout(page)

    login(page, live_server.url, "org1_reviewer", demo)
    expect(page.get_by_test_id("home-heading")).to_have_text("培训评价组织工作台")
    expect(page.locator("#chart-pass-rate")).to_have_attribute("data-chart-ready", "true")
    assert _chart_points(page, "chart-pass-rate") > 0
    expect(page.locator("#chart-budget")).to_have_count(0)  # the budget is the school admin's
    shot("reports-dashboard-reviewer")
    assert errors == []
