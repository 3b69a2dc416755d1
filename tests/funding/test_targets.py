"""Performance targets measured from results and certificates, hand-counted; reported targets; the PDF."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.roles import Role
from certificates.models import IssuedCertificate, Result, ResultSheet
from core.scoping import SCHOOL, TenantRef, tenant_scope
from funding.models import PerformanceTarget, TargetReport
from funding.selectors.targets import MET, NOT_MEASURABLE, NOT_MET, pass_rate, target_actuals
from funding.services.projects import project_create, project_plan_pdf
from funding.services.targets import performance_target_create, target_report
from tests.certificates.results_helpers import add_batch, make_setup
from tests.funding.helpers import report, reported_target

pytestmark = pytest.mark.django_db

YEAR = 2029  # no other world row uses it


def school_scope(side):
    return tenant_scope(TenantRef(SCHOOL, side.school.pk))


def _result(sheet, seat, outcome, *, retake=False):
    return Result.objects.create(sheet=sheet, seat=seat, enrolment=seat.enrolment, outcome=outcome, is_retake=retake)


def _set_status(setup, status):
    with scopes_disabled():
        sheet = ResultSheet.objects.get(batch=setup.batch)
        sheet.status = status
        sheet.save()
    return sheet


@pytest.fixture
def measured(world):
    """School A, 2029, hand-counted:

    - sheet in notice, 6 seats: 3 pass, 1 fail, 1 absent, 1 pending  -> 3 passed of 4 assessed;
    - a retake batch of the failed one, final, passed               -> not a first attempt, left out;
    - a sheet still being entered (2 passes)                         -> left out;
    - a sheet of 2030 (1 fail, final)                                -> another year, left out;
    - a final sheet of school B, same year (1 fail)                  -> another school, left out.
    So the pass rate is 3 / 4 = 75.0 %.
    """
    a, b = world.a, world.b
    main = make_setup(a, size=6, day=date(YEAR, 5, 10))
    with scopes_disabled():
        sheet = _set_status(main, ResultSheet.Status.NOTICE)
        outcomes = [Result.Outcome.PASS] * 3 + [Result.Outcome.FAIL, Result.Outcome.ABSENT, Result.Outcome.PENDING]
        results = [_result(sheet, seat, o) for seat, o in zip(main.seats, outcomes, strict=True)]
        failed = main.enrolments[3]
        retake_batch, retake_seats = add_batch(main, day=date(YEAR, 6, 10), enrolments=[failed], retake=True)
        retake_sheet = ResultSheet.objects.create(batch=retake_batch, status=ResultSheet.Status.FINAL)
        _result(retake_sheet, retake_seats[0], Result.Outcome.PASS, retake=True)

        entering = make_setup(a, size=2, day=date(YEAR, 5, 12))
        entering_sheet = ResultSheet.objects.get(batch=entering.batch)
        for seat in entering.seats:
            _result(entering_sheet, seat, Result.Outcome.PASS)
        later = make_setup(a, size=1, day=date(YEAR + 1, 5, 12))
        _result(_set_status(later, ResultSheet.Status.FINAL), later.seats[0], Result.Outcome.FAIL)
        other = make_setup(b, size=1, day=date(YEAR, 5, 12))
        _result(_set_status(other, ResultSheet.Status.FINAL), other.seats[0], Result.Outcome.FAIL)

        # Certificates of school A: person 0 holds two valid ones, person 1 one -> 3 issued, 2 certified.
        # Left out: a revoked one, a replaced one, one issued in 2030, one of school B.
        def issue(person, result, number, *, status=IssuedCertificate.Status.VALID, on=date(YEAR, 7, 1), school=None):
            return IssuedCertificate.objects.create(
                certificate=main.certificate,
                level="elementary",
                number=f"FD{number:08d}",
                school=school or a.school,
                person=person,
                result=result,
                assessment_period=f"{YEAR}.5",
                issued_on=on,
                status=status,
            )

        issue(main.people[0], results[0], 1)
        issue(main.people[0], results[1], 2)  # a second certificate of the same person (data built by hand)
        issue(main.people[1], results[2], 3)
        issue(main.people[2], results[2], 4, status=IssuedCertificate.Status.REVOKED)
        issue(main.people[2], results[2], 5, status=IssuedCertificate.Status.REPLACED)
        issue(main.people[4], results[4], 6, on=date(YEAR + 1, 1, 5), status=IssuedCertificate.Status.REVOKED)
        issue(main.people[5], results[5], 7, on=date(YEAR + 1, 1, 5))
        issue(other.people[0], results[0], 8, school=b.school, status=IssuedCertificate.Status.REVOKED)
    return a


def test_pass_rate_counts_first_attempts_of_published_sheets_without_absentees(measured):
    with school_scope(measured):
        project = project_create(school=measured.school, name="通过率", year=YEAR)
        rate = pass_rate(project=project)
        assert (rate.passed, rate.assessed, rate.rate) == (3, 4, Decimal("75.0"))
        over_90 = performance_target_create(
            project=project, metric="pass_rate", comparison="gt", target=Decimal(90), actor=None
        )
        rows = {r.target.pk: r for r in target_actuals(project)}
        assert (rows[over_90.pk].actual, rows[over_90.pk].status, rows[over_90.pk].detail) == (
            Decimal("75.0"),
            NOT_MET,
            "3/4",
        )


def test_pass_rate_target_is_met_when_reached(measured):
    with school_scope(measured):
        project = project_create(school=measured.school, name="通过率达标", year=YEAR)
        target = performance_target_create(
            project=project, metric="pass_rate", comparison="gte", target=Decimal(75), actor=None
        )
        assert target_actuals(project)[0].target.pk == target.pk
        assert target_actuals(project)[0].status == MET


def test_pass_rate_with_nobody_assessed_is_not_yet_measurable(world):
    with school_scope(world.a):
        project = project_create(school=world.a.school, name="无人考核", year=2035)
        performance_target_create(project=project, metric="pass_rate", comparison="gt", target=Decimal(90), actor=None)
        row = target_actuals(project)[0]
        assert (row.actual, row.status) == (None, NOT_MEASURABLE)


def test_certificates_issued_and_certified_people_count_only_valid_certificates_of_the_year(measured):
    with school_scope(measured):
        project = project_create(school=measured.school, name="取证", year=YEAR)
        issued = performance_target_create(
            project=project, metric="certificates", comparison="gte", target=3, actor=None
        )
        people = performance_target_create(project=project, metric="certified", comparison="gte", target=3, actor=None)
        rows = {r.target.pk: r for r in target_actuals(project)}
        assert (rows[issued.pk].actual, rows[issued.pk].status) == (Decimal(3), MET)
        assert (rows[people.pk].actual, rows[people.pk].status) == (Decimal(2), NOT_MET)


def test_a_reported_target_keeps_its_value_evidence_and_who_and_when(world):
    admin = world.a.user(Role.SCHOOL_ADMIN)
    with school_scope(world.a):
        project = project_create(school=world.a.school, name="填报", year=2036)
        target = reported_target(project)
        assert target_actuals(project)[0].status == NOT_MEASURABLE
        with pytest.raises(ValidationError):  # no evidence at all
            report(target, "97", " ", actor=admin)
        report(target, "97.25", "", actor=admin, file=("就业统计.txt", "就业"))
        kept = PerformanceTarget.objects.get(pk=target.pk)
        assert kept.reported_value == Decimal("97.25") and kept.reported_by_id == admin.pk
        assert kept.reported_at is not None and kept.evidence_file
        row = target_actuals(project)[0]
        assert (row.actual, row.status, row.is_reported) == (Decimal("97.25"), MET, True)
        live = performance_target_create(project=project, metric="pilots", comparison="gte", target=1, actor=None)
        with pytest.raises(ValidationError):  # a computed target is never typed
            target_report(target=live, value=Decimal(5), evidence_note="手填", actor=admin)


def test_report_form_records_the_value_and_the_page_marks_it_reported(client, world):
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    with scopes_disabled():
        project = world.a.objects["funding_project"]
        target = PerformanceTarget.objects.create(
            project=project, kind="reported", name="服务对象满意度", comparison="gte", target=Decimal(90)
        )
    url = reverse("funding:target_report", kwargs={"project_id": project.pk, "target_id": target.pk})
    assert client.post(url, {"value": "92"}).status_code == 400  # evidence is required
    response = client.post(url, {"value": "92", "evidence_note": "问卷调查 120 份"})
    assert response.status_code == 302
    html = client.get(reverse("funding:project_detail", kwargs={"project_id": project.pk})).content.decode()
    assert "服务对象满意度" in html and "问卷调查 120 份" in html and "填报" in html
    assert "缺考" in html  # the pass-rate definition is on the page
    with scopes_disabled():
        target.delete()  # the world is shared


def test_plan_pdf_holds_budget_procurement_and_performance(measured, monkeypatch):
    import funding.services.projects as services

    captured = {}

    def fake_render(*, template_name, context, filename, owner_id):
        from django.template.loader import render_to_string

        captured["html"] = render_to_string(template_name, context)
        return filename

    monkeypatch.setattr(services, "render_pdf", fake_render)
    with school_scope(measured):
        project = project_create(school=measured.school, name="方案", year=YEAR, declared_total=Decimal("415688"))
        from funding.services.budget import budget_line_create
        from funding.services.procurement import procurement_item_create

        line = budget_line_create(
            project=project, category="1+X证书考核设备设施", content="电脑", amount=334000, actor=None
        )
        budget_line_create(project=project, category="1+X证书考核", content="考核费", amount=75688, actor=None)
        budget_line_create(project=project, category="1+X证书试点师资培训", content="培训", amount=6000, actor=None)
        procurement_item_create(
            project=project, budget_line=line, item="考核电脑", quantity=50, unit_price="6680", actor=None
        )
        performance_target_create(project=project, metric="pass_rate", comparison="gt", target=Decimal(90), actor=None)
        assert project_plan_pdf(project_id=project.pk, owner_id=None) == f"funding-plan-{project.pk}.pdf"
    html = captured["html"]
    for text in ("415688.00", "334000.00", "考核电脑", "6680.00", "考核通过率", "75", "3/4", "未达成"):
        assert text in html, text


def test_plan_pdf_renders_an_a4_pdf(world):
    """The demo plan with a computed exam-fee line and a reported target; the file is kept in
    test-artifacts/ for people to look at."""
    import subprocess
    from pathlib import Path

    from funding import demo
    from funding.models import FundingProject
    from funding.services.exam_fees import exam_fee_lines_compute
    from pilots.models import Level
    from tests.funding.test_exam_fees import certificate, fee, pilot

    robot = certificate(world.a, "工业机器人应用编程")
    fee(robot, Level.ELEMENTARY, "123.45", date(2021, 9, 1))
    pilot(world.a, robot, Level.ELEMENTARY, 37, year=demo.EXAMPLE_YEAR)
    with school_scope(world.a):
        demo.seed({"schools": [world.a.school]})
        project = FundingProject.objects.get(name=demo.EXAMPLE_NAME)
        exam_fee_lines_compute(project=project, actor=None)
        target = reported_target(project)
        report(target, "96.5", "就业统计表", actor=None)
        stored = project_plan_pdf(project_id=project.pk, owner_id=None)
        content = stored.file.read()
    assert content.startswith(b"%PDF")
    out = Path("test-artifacts")
    out.mkdir(exist_ok=True)
    (out / "funding-plan.pdf").write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(out / "funding-plan.pdf"), "-"], capture_output=True, check=True
    ).stdout.decode()
    flat = "".join(text.split())  # the narrow column wraps the basis
    # The world's own 2024 pilot (a证书 初级, 30 × 180.00 = 5400.00) is computed too.
    total = "425655.65"  # 415,688 + 4,567.65 + 5,400.00
    for expected in ("试点指标37人×收费标准123.45元=4567.65元", "试点指标30人×收费标准180.00元", total, "96.5填报"):
        assert expected in flat, expected


def _reported_twice(side):
    """A reported target of side's world project: 90 with 初报.txt, then 96.5 with 终报.txt."""
    admin = side.user(Role.SCHOOL_ADMIN)
    with school_scope(side):
        target = reported_target(side.objects["funding_project"], "双证率")
        report(target, "90", "初报说明", actor=admin, file=("初报.txt", "第一次"))
        report(target, "96.5", "终报说明", actor=admin, file=("终报.txt", "第二次"))
        return target, list(TargetReport.objects.filter(target=target))


def test_every_report_is_kept_and_the_target_holds_the_latest(world):
    admin = world.a.user(Role.SCHOOL_ADMIN)
    with school_scope(world.a):
        project = project_create(school=world.a.school, name="填报历史", year=2036)
        target = reported_target(project)
        report(target, "90", "初报", actor=admin, file=("初报.txt", "1"))
        report(target, "96.5", "更正：补录 3 人", actor=None)
        kept = PerformanceTarget.objects.get(pk=target.pk)
        reports = list(TargetReport.objects.filter(target=target))
    assert (kept.reported_value, kept.evidence_note, kept.reported_by_id) == (Decimal("96.5"), "更正：补录 3 人", None)
    assert [(r.value, r.evidence_note, r.reported_by_id) for r in reports] == [
        (Decimal("96.50"), "更正：补录 3 人", None),
        (Decimal("90.00"), "初报", admin.pk),
    ]
    # The correction came without a file: it rests on the file already there, the same stored file.
    assert reports[0].evidence_file.name == reports[1].evidence_file.name == kept.evidence_file.name
    assert reports[0].reported_at == kept.reported_at and reports[1].reported_at < kept.reported_at


def test_a_refused_report_writes_no_history(world):
    with school_scope(world.a):
        project = project_create(school=world.a.school, name="拒绝填报", year=2036)
        target = performance_target_create(
            project=project, kind="reported", name="满意度", comparison="gte", target=90, actor=None
        )
        with pytest.raises(ValidationError):
            report(target, "97", " ", actor=None)
        assert not TargetReport.objects.filter(target=target).exists()


def test_the_page_shows_earlier_reports_whose_evidence_stays_downloadable(client, world):
    target, (latest, earlier) = _reported_twice(world.a)
    project = world.a.objects["funding_project"]
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    html = client.get(reverse("funding:project_detail", kwargs={"project_id": project.pk})).content.decode()
    assert ">96.5</td>" in html and "终报说明" in html  # the latest, on the target's row, as typed
    assert ">90</td>" in html  # the earlier value, in the history
    assert "此前的填报" in html and "初报说明" in html
    assert timezone.localtime(earlier.reported_at).strftime("%Y-%m-%d %H:%M") in html
    old_url = reverse(
        "funding:target_report_evidence",
        kwargs={"project_id": project.pk, "target_id": target.pk, "report_id": earlier.pk},
    )
    assert old_url in html
    old = client.get(old_url)
    assert old.status_code == 200 and b"".join(old.streaming_content) == "第一次".encode()
    new = client.get(reverse("funding:target_evidence", kwargs={"project_id": project.pk, "target_id": target.pk}))
    assert b"".join(new.streaming_content) == "第二次".encode()
    assert latest.evidence_file.name != earlier.evidence_file.name


def test_a_report_is_found_only_under_its_own_target_and_school(client, world):
    target, (_latest, earlier) = _reported_twice(world.a)
    project = world.a.objects["funding_project"]
    other = world.a.objects["reported_target"]
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))

    def url(project_id, target_id, report_id):
        return reverse(
            "funding:target_report_evidence",
            kwargs={"project_id": project_id, "target_id": target_id, "report_id": report_id},
        )

    assert client.get(url(project.pk, other.pk, earlier.pk)).status_code == 404  # another target's report
    with scopes_disabled():
        foreign = TargetReport.objects.filter(target=world.b.objects["reported_target"]).first()
    b_project = world.b.objects["funding_project"]
    assert client.get(url(b_project.pk, foreign.target_id, foreign.pk)).status_code == 404
    assert client.get(url(project.pk, target.pk, foreign.pk)).status_code == 404
