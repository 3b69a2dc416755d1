"""The five report tables against hand-counted fixtures (tests/reports/builders.py)."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from certificates.models import IssuedCertificate, ResultSheet
from core.scoping import PLATFORM, TenantRef, tenant_scope
from pilots.models import Cohort, Level
from reports.selectors import (
    ReportFilters,
    dual_certificates,
    education_pilots,
    exams_by_year,
    training_pilots,
)
from reports.tables import CERTIFICATES, EDUCATION, EXAMS, GRADUATION, TRAINING
from tests.reports.builders import ABSENT, FAIL, PASS, Scenario

pytestmark = pytest.mark.django_db

ALL = ReportFilters()


def cells(table, filters=ALL, *, schools=False):
    """The table's rows as the page and the export print them."""
    return [[c["value"] for c in row] for row in table.render(filters, schools)["rows"]]


# --- the published figures of domain.md --------------------------------------------------------


@pytest.fixture
def guangdong(world):
    """The Guangdong school's report: 2020 初级 40/40 (35 certified), 2020 中级 30/30 (28 certified);
    2022: 30 candidates, all passed; 2023: 50 candidates (2 more were absent), 44 passed; 2023届: 312
    graduates of whom 297 hold a skill certificate."""
    with scopes_disabled():
        s = Scenario("广东示范学校")
        drawing = s.certificate("机械工程制图")
        elementary = s.pilot(drawing, year=2020, level=Level.ELEMENTARY, quota=40)
        intermediate = s.pilot(drawing, year=2020, level=Level.INTERMEDIATE, quota=30)
        s.certify(s.sit(elementary, s.candidates(elementary, 40), passed=35)[:35])
        s.certify(s.sit(intermediate, s.candidates(intermediate, 30), passed=28)[:28])
        # 2022 and 2023: students of 2023届
        p2022 = s.pilot(drawing, year=2022, quota=30)
        e2022 = s.candidates(p2022, 30, graduation=2023)
        passed_2022 = s.sit(p2022, e2022, passed=30)
        s.certify(passed_2022)
        p2023 = s.pilot(drawing, year=2023, level=Level.INTERMEDIATE, quota=60)
        e2023 = s.candidates(p2023, 52, graduation=2023)
        s.sit(p2023, e2023, passed=44, absent=2)
        # 2023届: the 30 + 52 above and 230 more = 312. With a certificate: the 30 certified in
        # 2022, 267 others through an external certificate (10 of the 30 hold one too, 5 hold two).
        others = s.people(230, graduation=2023)
        graduates = [e.person for e in e2022] + [e.person for e in e2023] + others
        assert len(graduates) == 312
        holders = [e.person for e in e2022[:10]] + [e.person for e in e2023] + others[:215]
        s.external(holders)
        s.external(others[:5], name="数控技术工程师")
        # 297 = 30 (1+X) + 52 + 215 (external only); the remaining 15 hold nothing
        # someone of another year does not count for 2023届
        s.external(s.people(3, graduation=2024))
    return s


def test_table_1_reproduces_the_published_pilot_rows(guangdong):
    with guangdong.as_school():
        rows = education_pilots(ReportFilters(year_to=2020))
        printed = cells(EDUCATION, ReportFilters(year_to=2020))
    assert [(r.year, r.level, r.quota, r.assessed, r.certified) for r in rows] == [
        (2020, Level.ELEMENTARY, 40, 40, 35),
        (2020, Level.INTERMEDIATE, 30, 30, 28),
    ]
    assert printed == [
        [2020, "机械工程制图", "初级", 40, 40, 40, 35, "100%", "87.5%", "100%"],
        [2020, "机械工程制图", "中级", 30, 30, 30, 28, "100%", "93.3%", "100%"],
    ]


def test_table_3_reproduces_the_published_exam_figures(guangdong):
    with guangdong.as_school():
        printed = cells(EXAMS, ReportFilters(year_from=2022))
    assert printed == [[2022, 30, 30, "100%"], [2023, 50, 44, "88%"]]


def test_table_4_reproduces_the_published_dual_certificate_figures(guangdong):
    with guangdong.as_school():
        printed = cells(GRADUATION, ReportFilters(year_from=2023, year_to=2023))
        all_years = dual_certificates(ALL)
    assert printed == [["2023届", 312, 297, "95.2%"]]
    assert [(r.year, r.graduates, r.certified) for r in all_years] == [(2023, 312, 297), (2024, 3, 3)]


@pytest.fixture
def shanghai(world):
    """The multi-certificate history: 2020, 5 certificates, 390 candidates, 166 passed; 2021, 3
    certificates, 140 candidates, 126 passed."""
    with scopes_disabled():
        s = Scenario("上海示范学校")
        certificates = [s.certificate(f"证书{i}") for i in range(5)]
        for cert, passed in zip(certificates, (34, 33, 33, 33, 33), strict=True):
            pilot = s.pilot(cert, year=2020, quota=80)
            s.sit(pilot, s.candidates(pilot, 78), passed=passed)
        for cert, count in zip(certificates[:3], (47, 47, 46), strict=True):
            pilot = s.pilot(cert, year=2021, quota=50)
            s.sit(pilot, s.candidates(pilot, count), passed=42)
    return s


def test_table_5_reproduces_the_published_certificate_history(shanghai):
    with shanghai.as_school():
        printed = cells(CERTIFICATES)
        exams = cells(EXAMS)
    assert printed == [[2020, 5, 390, 166, "42.6%"], [2021, 3, 140, 126, "90%"]]
    assert exams == [[2020, 390, 166, "42.6%"], [2021, 140, 126, "90%"]]


# --- the definitions, case by case ------------------------------------------------------------


@pytest.fixture
def mixed(world):
    """Six candidates of one pilot (quota 10):

    A passes; B fails; C is absent and never retakes; D is absent, then passes a retake; E fails,
    then passes a retake; F passes in a sheet still being entered (not counted). Certificates: A
    (valid), E from the retake (valid), D (revoked).
    """
    with scopes_disabled():
        s = Scenario("定义测试学校")
        cert = s.certificate("定义测试证书")
        pilot = s.pilot(cert, year=2024, quota=10)
        a, b, c, d, e, f = s.candidates(pilot, 6, graduation=2024)
        first = s.results(pilot, [(a, PASS), (b, FAIL), (c, ABSENT), (d, ABSENT), (e, FAIL)])
        retake = s.results(pilot, [(d, PASS), (e, PASS)], retake=True)
        s.results(pilot, [(f, PASS)], sheet=ResultSheet.Status.ENTERING)
        s.certify([first[0], retake[1]])
        s.certify([retake[0]], status=IssuedCertificate.Status.REVOKED)
    return s


def test_absentees_are_not_assessed_and_a_passed_retake_counts_once(mixed):
    with mixed.as_school():
        (row,) = education_pilots(ALL)
        (year,) = exams_by_year(ALL)
    assert (row.enrolled, row.assessed, row.certified) == (6, 4, 2)  # A B D E assessed; A E certified
    assert (row.completion_rate, row.certified_rate, row.sat_rate) == ("40%", "50%", "66.7%")
    assert (year.assessed, year.passed, year.pass_rate) == (4, 3, "75%")  # A D E passed


def test_a_sheet_in_notice_counts_and_one_being_entered_does_not(world):
    with scopes_disabled():
        s = Scenario("公示测试学校")
        pilot = s.pilot(s.certificate("公示测试证书"), year=2024, quota=5)
        a, b = s.candidates(pilot, 2)
        s.results(pilot, [(a, PASS)], sheet=ResultSheet.Status.NOTICE)
        s.results(pilot, [(b, PASS)], sheet=ResultSheet.Status.ENTERING)
    with s.as_school():
        (year,) = exams_by_year(ALL)
    assert (year.assessed, year.passed) == (1, 1)


def test_zero_denominators_print_a_dash(world):
    with scopes_disabled():
        s = Scenario("空白学校")
        s.pilot(s.certificate("空白证书"), year=2024, quota=20)  # nobody enrolled yet
        social = s.pilot(s.certificate("社会证书"), year=2024, quota=8, cohort=Cohort.SOCIAL, notes="企业员工")
        s.candidates(social, 3)
        s.people(4, graduation=2026)  # graduates, none with a certificate
    with s.as_school():
        education = cells(EDUCATION)
        exams = cells(EXAMS)
        graduation = cells(GRADUATION)
        training = cells(TRAINING)
    assert education == [[2024, "空白证书", "初级", 20, 0, 0, 0, "0%", "—", "—"]]
    assert exams == [[2024, 0, 0, "—"]]
    assert graduation == [["2026届", 4, 0, "0%"]]
    assert training == [[2024, "社会证书", "初级", 8, 3, 3, "企业员工"]]


def test_table_2_counts_the_trainees_still_to_be_assessed(world):
    with scopes_disabled():
        s = Scenario("社会培训学校")
        pilot = s.pilot(s.certificate("物流管理员"), year=2025, quota=20, cohort=Cohort.SOCIAL, notes="1个班在读")
        enrolments = s.candidates(pilot, 12)
        s.sit(pilot, enrolments[:9], passed=5, absent=2)  # 7 assessed, 2 absent, 3 not yet seated
        s.pilot(s.certificate("学生证书"), year=2025, quota=5)  # a student pilot is not in table 2
    with s.as_school():
        (row,) = training_pilots(ALL)
    assert (row.quota, row.enrolled, row.assessed, row.pending, row.notes) == (20, 12, 7, 5, "1个班在读")


def test_a_graduate_with_two_certificates_counts_once(world):
    with scopes_disabled():
        s = Scenario("双证学校")
        pilot = s.pilot(s.certificate("双证证书"), year=2022, quota=5)
        a, b = s.candidates(pilot, 2, graduation=2023)
        s.certify(s.results(pilot, [(a, PASS), (b, PASS)]))
        s.external([a.person, a.person])  # a: one 1+X and two external certificates
        revoked_only = s.candidates(pilot, 1, graduation=2023)[0]
        s.certify(s.results(pilot, [(revoked_only, PASS)]), status=IssuedCertificate.Status.REVOKED)
        trainee = s.people(1, graduation=2023, kind="trainee")[0]  # trainees are not graduates
        s.external([trainee])
    with s.as_school():
        (row,) = dual_certificates(ALL)
    assert (row.graduates, row.certified, row.rate) == (3, 2, "66.7%")


def test_filters_narrow_every_table(world):
    with scopes_disabled():
        s = Scenario("筛选学校")
        one, two = s.certificate("筛选证书一"), s.certificate("筛选证书二")
        for cert, year, level, count in ((one, 2021, Level.ELEMENTARY, 3), (two, 2022, Level.ADVANCED, 5)):
            pilot = s.pilot(cert, year=year, level=level, quota=10)
            s.sit(pilot, s.candidates(pilot, count), passed=count)
        social = s.pilot(one, year=2022, quota=10, cohort=Cohort.SOCIAL)
        s.sit(social, s.candidates(social, 4), passed=2)
    with s.as_school():
        assert [r.certificate for r in education_pilots(ReportFilters(certificate_id=one.pk))] == ["筛选证书一"]
        assert [r.year for r in education_pilots(ReportFilters(level=Level.ADVANCED))] == [2022]
        assert [(y.year, y.assessed) for y in exams_by_year(ReportFilters(year_from=2022, year_to=2022))] == [(2022, 9)]
        assert [(y.year, y.assessed) for y in exams_by_year(ReportFilters(cohort=Cohort.STUDENTS))] == [
            (2021, 3),
            (2022, 5),
        ]
        assert [(y.year, y.passed) for y in exams_by_year(ReportFilters(cohort=Cohort.SOCIAL))] == [(2022, 2)]
        # tables 1 and 2 are defined by their cohort: the cohort filter leaves them alone
        assert len(education_pilots(ReportFilters(cohort=Cohort.SOCIAL))) == 2
        assert len(training_pilots(ReportFilters(cohort=Cohort.STUDENTS))) == 1


def test_a_school_sees_its_own_an_organisation_its_certificates_across_schools(world):
    with scopes_disabled():
        x = Scenario("甲校")
        y = Scenario("乙校", organisation=x.organisation)
        shared = x.certificate("共享证书")
        foreign = Scenario("丙组织学校")
        other = foreign.certificate("他组织证书")
        for school, count in ((x, 3), (y, 4)):
            pilot = school.pilot(shared, year=2024, quota=10)
            school.sit(pilot, school.candidates(pilot, count), passed=count - 1)
        # the same school X pilots a certificate of another organisation
        foreign_pilot = x.pilot(other, year=2024, quota=10)
        x.sit(foreign_pilot, x.candidates(foreign_pilot, 6), passed=6)
    with x.as_school():
        assert [(y_.year, y_.assessed, y_.passed) for y_ in exams_by_year(ALL)] == [(2024, 9, 8)]
    with x.as_org():
        assert [(y_.year, y_.assessed, y_.passed) for y_ in exams_by_year(ALL)] == [(2024, 7, 5)]
        assert dual_certificates(ALL) == []  # students are a school's records
        assert training_pilots(ALL) == []
    with tenant_scope(TenantRef(PLATFORM)):
        totals = {y_.year: (y_.assessed, y_.passed) for y_ in exams_by_year(ALL)}
    assert totals[2024][0] >= 13  # the world's own rows are counted too
