"""The data migration that moved the histories of results (ResultChange) and issued certificates
(CertificateEvent) into the one audit log: a result's old and new values and its reason survive it."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import Organisation, School, User
from certificates.history import CERTIFICATE_REVOKED, RESULT_CORRECTED, RESULT_IMPORTED
from certificates.models import IssuedCertificate, Result, ResultSheet
from core.audit import describe
from exam_sites.models import Seat
from students.models import Enrolment
from tests.certificates.issuance_helpers import make_batch, make_class, new_certificate
from tests.certificates.results_helpers import audit_lines

BEFORE = [("certificates", "0002_verification_log")]
OLD = {"theory": "55", "practical": "70", "absent": False, "outcome": "fail"}
NEW = {"theory": "65", "practical": "70", "absent": False, "outcome": "pass"}


def _seat_of_a_published_sheet() -> tuple[ResultSheet, Seat]:
    """A sheet in notice (published yesterday) with one seat and no result yet, built with today's models."""
    with scopes_disabled():
        school = School.objects.create(name="迁移测试学校")
        organisation = Organisation.objects.create(name="迁移测试组织")
        _class, people = make_class(school, "25迁移1", 1)
        setup = make_batch(
            school=school, certificate=new_certificate(organisation), people=[], status=ResultSheet.Status.NOTICE
        )
        ResultSheet.objects.filter(pk=setup.sheet.pk).update(published_at=timezone.now() - timedelta(days=1))
        enrolment = Enrolment.objects.create(person=people[0], pilot=setup.batch.pilot)
        seat = Seat.objects.create(
            batch=setup.batch, session=setup.batch.sessions.first(), enrolment=enrolment, number=1
        )
        return ResultSheet.objects.select_related("batch__pilot__certificate").get(pk=setup.sheet.pk), seat


@pytest.mark.django_db(transaction=True)
def test_a_results_old_and_new_values_and_its_reason_survive_the_move_to_the_audit_log(transactional_db):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    sheet, seat = _seat_of_a_published_sheet()
    teacher = User.objects.create_user(username="migration_teacher", password="x-Test-123", full_name="迁移老师")
    # The history as the old models wrote it: an import while entering, a correction during the notice.
    result = old_apps.get_model("certificates", "Result").objects.create(
        sheet_id=sheet.pk,
        seat_id=seat.pk,
        enrolment_id=seat.enrolment_id,
        theory=Decimal("65"),
        practical=Decimal("70"),
        outcome="pass",
        version=2,
        updated_by_id=teacher.pk,
    )
    ResultChange = old_apps.get_model("certificates", "ResultChange")
    imported = ResultChange.objects.create(
        result=result, changed_by_id=teacher.pk, old_values={}, new_values=OLD, reason="Excel 导入"
    )
    ResultChange.objects.filter(pk=imported.pk).update(changed_at=timezone.now() - timedelta(days=2))
    corrected = ResultChange.objects.create(
        result=result, changed_by_id=teacher.pk, old_values=OLD, new_values=NEW, reason="复核更正：第 3 题漏判 10 分"
    )
    issued = old_apps.get_model("certificates", "IssuedCertificate").objects.create(
        certificate_id=sheet.batch.pilot.certificate_id,
        level="elementary",
        number="MIG2025000001",
        school_id=sheet.batch.school_id,
        person_id=seat.enrolment.person_id,
        result=result,
        assessment_period="2025.6",
        issued_on=date(2025, 7, 1),
        status="revoked",
    )
    old_apps.get_model("certificates", "CertificateEvent").objects.create(
        certificate=issued, action="revoked", actor_id=teacher.pk, comment="考核舞弊，经核实撤销"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert "certificates_resultchange" not in connection.introspection.table_names()
    assert "certificates_certificateevent" not in connection.introspection.table_names()
    with scopes_disabled():
        result = Result.objects.get(pk=result.pk)
        issued = IssuedCertificate.objects.get(pk=issued.pk)
    first, second = audit_lines(result)
    assert first.action == RESULT_IMPORTED and first.data["after"] == OLD
    assert second.action == RESULT_CORRECTED and second.actor == teacher and second.at == corrected.changed_at
    assert second.data == {"before": OLD, "after": NEW, "reason": "复核更正：第 3 题漏判 10 分"}
    assert (second.school_id, second.organisation_id) == (
        sheet.batch.school_id,
        sheet.batch.pilot.certificate.organisation_id,
    )  # the sheet is in notice: the organisation sees the lines
    detail = describe(second).detail
    assert "理论 55" in detail and "理论 65" in detail and "复核更正：第 3 题漏判 10 分" in detail
    (line,) = audit_lines(issued)
    assert line.action == CERTIFICATE_REVOKED and describe(line).detail == "考核舞弊，经核实撤销"
