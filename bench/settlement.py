"""The exam-fee settlement statement at scale: one school, one organisation, one year.

Built with the report tests' builders (``tests/reports/builders.py``): ``size`` candidates over ten
certificate levels, one in ten absent (not charged), one in five failing (charged), all in ended
sheets. The page is asked for by the school admin and by the organisation's reviewer; both must
print the same amount due, or the case fails.
"""

from __future__ import annotations

import re
import time
from datetime import date
from decimal import Decimal

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.models import Membership, User
from accounts.roles import Role
from certificates.models import Result
from funding.models import Settlement
from funding.views.settlements import CANDIDATES_PER_PAGE
from pilots.models import FeeStandard, Level

from .measure import BenchError, Row, alternate

YEAR = 2024
PILOTS = 10


def _build(size: int) -> tuple[Client, Client, str, int]:
    from tests.reports.builders import ABSENT, FAIL, PASS, Scenario

    with scopes_disabled():
        scenario = Scenario("基准结算学校")
        per_pilot = max(size // PILOTS, 1)
        for index in range(PILOTS):
            certificate = scenario.certificate(f"基准结算证书{index}")
            FeeStandard.objects.create(
                certificate=certificate, level=Level.ELEMENTARY, fee=Decimal("123.45"), effective_from=date(2020, 1, 1)
            )
            pilot = scenario.pilot(certificate, year=YEAR, quota=per_pilot)
            enrolments = scenario.candidates(pilot, per_pilot)
            outcomes = [(e, ABSENT if i % 10 == 0 else FAIL if i % 5 == 1 else PASS) for i, e in enumerate(enrolments)]
            scenario.results(pilot, outcomes)
        settlement = Settlement.objects.create(school=scenario.school, organisation=scenario.organisation, year=YEAR)
        reviewer = User.objects.create_user(username="bench-settlement-reviewer")
        Membership.objects.create(user=reviewer, organisation=scenario.organisation, role=Role.REVIEWER)
    school, organisation = Client(), Client()
    school.force_login(scenario.admin)
    organisation.force_login(reviewer)
    url = reverse("funding:settlement_detail", kwargs={"settlement_id": settlement.pk})
    return school, organisation, url, scenario.school.pk


def _due(html: str) -> str:
    found = re.search(r'id="settlement-due"[^>]*>\s*([\d.,]+)', html)
    if not found:
        raise BenchError("the statement page shows no amount due")
    return found.group(1)


def settlement_page(*, size: int, runs: int) -> Row:
    started = time.perf_counter()
    school, organisation, url, school_id = _build(size)
    built = time.perf_counter() - started
    with CaptureQueriesContext(connection) as captured:
        response = school.get(url)
    if response.status_code != 200:
        raise BenchError(f"the statement answered {response.status_code}")
    queries = len(captured)
    seen_by_school = _due(response.content.decode())
    seen_by_organisation = _due(organisation.get(url).content.decode())
    if seen_by_school != seen_by_organisation:
        raise BenchError(f"the two sides disagree: {seen_by_school} vs {seen_by_organisation}")

    def charged_results() -> int:
        with scopes_disabled():
            return Result.objects.filter(
                sheet__batch__school_id=school_id, outcome__in=(Result.Outcome.PASS, Result.Outcome.FAIL)
            ).count()

    product, floor_timed = alternate(lambda: school.get(url), charged_results, runs=runs)
    page, floor, charged = product.median, floor_timed.median, floor_timed.result
    return Row(
        case="settlement statement page",
        size=size,
        figure=f"{page:.2f} s per request, {queries} queries, due {seen_by_school} on both sides",
        floor=f"one COUNT of the school's {charged:,} charged results: {floor * 1000:.1f} ms",
        ratio=floor / page,
        notes=(
            f"{PILOTS * max(size // PILOTS, 1):,} candidates, {charged:,} charged (absent not charged), "
            f"the page lists {CANDIDATES_PER_PAGE} a page (all in the .xlsx); built in {built:.0f} s",
        ),
    )
