"""The school statistics page at scale: 100,000 students and 200,000 results.

The data is built with the report tests' own builders (``tests/reports/builders.py``): every
student of 20 pilots sits a first attempt and a retake batch, so results are twice the students.
"""

from __future__ import annotations

import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from certificates.models import Result

from .measure import BenchError, Row, alternate

STUDENTS = 100_000
PILOTS = 20


def _build() -> Client:
    from tests.reports.builders import FAIL, PASS, Scenario

    with scopes_disabled():
        scenario = Scenario("基准统计学校")
        per_pilot = STUDENTS // PILOTS
        for index in range(PILOTS):
            certificate = scenario.certificate(f"基准统计证书{index}")
            pilot = scenario.pilot(certificate, year=2020 + index % 4, quota=per_pilot)
            enrolments = scenario.candidates(pilot, per_pilot, graduation=2023 + index % 4)
            scenario.results(pilot, [(e, PASS if i % 5 else FAIL) for i, e in enumerate(enrolments)])
            scenario.results(pilot, [(e, PASS) for e in enrolments], retake=True)
    client = Client()
    client.force_login(scenario.admin)
    return client


def statistics_page(*, runs: int) -> Row:
    started = time.perf_counter()
    client = _build()
    built = time.perf_counter() - started
    url = reverse("reports:statistics")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    if response.status_code != 200:
        raise BenchError(f"statistics page answered {response.status_code}")
    queries = len(captured)

    def passed_results() -> int:
        with scopes_disabled():
            return Result.objects.filter(outcome=Result.Outcome.PASS).count()

    product, floor_timed = alternate(lambda: client.get(url), passed_results, runs=runs)
    page, floor = product.median, floor_timed.median
    with scopes_disabled():
        results = Result.objects.count()
    return Row(
        case="school statistics page",
        size=STUDENTS,
        figure=f"{page:.2f} s per request, {queries} queries",
        floor=f"one COUNT over {results:,} results: {floor * 1000:.0f} ms",
        ratio=floor / page,
        notes=(f"{STUDENTS:,} students, {results:,} results, built in {built:.0f} s",),
    )
