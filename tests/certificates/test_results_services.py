"""Results: validation, outcomes from the pass mark, history, the sheet's states and the illegal ones,
objections, and retakes with a part carried over."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from certificates.history import RESULT_CORRECTED, RESULT_ENTERED, RESULT_RETAKE
from certificates.models import Objection, Result, ResultSheet
from certificates.services.notice import objection_answer, objection_record, sheet_end, sheet_publish
from certificates.services.results import result_retake_create, result_save, result_sheet_for_batch
from core.audit import describe, history
from core.concurrency import StaleVersionError
from tests.certificates.results_helpers import (
    add_batch,
    as_org,
    as_school,
    audit_lines,
    make_setup,
    other_teacher,
    sheet_of,
)

pytestmark = pytest.mark.django_db

Status = ResultSheet.Status
Outcome = Result.Outcome


def _enter_all(setup, scores=((80, 90), (50, 70), (None, None))):
    """Theory/practical per seat; (None, None) marks the candidate absent."""
    results = []
    for seat, (theory, practical) in zip(setup.seats, scores, strict=False):
        results.append(
            result_save(
                seat=seat,
                theory=theory,
                practical=practical,
                absent=theory is None and practical is None,
                actor=setup.teacher,
                version=0,
            )
        )
    return results


def _published(setup, *, notice_days=0):
    with as_school(setup.side):
        _enter_all(setup)
        return sheet_publish(sheet=sheet_of(setup.batch), actor=setup.admin, notice_days=notice_days)


# --- validation and outcomes -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("theory", "practical", "message"),
    [
        (101, 80, "0 到 100"),
        (-1, 80, "0 到 100"),
        ("80.25", 80, "一位小数"),
        ("abc", 80, "数字"),
        (80, None, "实操成绩"),
        (None, 80, "理论成绩"),
    ],
)
def test_it_refuses_scores_out_of_range_and_missing_parts(world, theory, practical, message):
    setup = make_setup(world.a)
    with as_school(world.a), pytest.raises(ValidationError) as caught:
        result_save(seat=setup.seats[0], theory=theory, practical=practical, actor=setup.teacher, version=0)
    assert message in caught.value.messages[0]
    with as_school(world.a):
        assert not Result.objects.filter(seat=setup.seats[0]).exists()


def test_the_outcome_comes_from_the_levels_pass_mark(world):
    setup = make_setup(world.a, size=4, pass_mark=70)
    with as_school(world.a):
        results = _enter_all(setup, scores=((70, 70), (69.5, 90), (90, 60), (None, None)))
    assert [r.outcome for r in results] == [Outcome.PASS, Outcome.FAIL, Outcome.FAIL, Outcome.ABSENT]
    assert results[0].theory == Decimal("70.0") and results[0].version == 1


def test_a_certificate_without_practical_needs_only_theory_and_refuses_a_practical_score(world):
    setup = make_setup(world.a, has_practical=False)
    with as_school(world.a):
        result = result_save(seat=setup.seats[0], theory=61, actor=setup.teacher, version=0)
        assert result.outcome == Outcome.PASS
        with pytest.raises(ValidationError, match="没有实操考核"):
            result_save(seat=setup.seats[1], theory=61, practical=50, actor=setup.teacher, version=0)


def test_an_absent_candidate_has_no_scores(world):
    setup = make_setup(world.a)
    with as_school(world.a), pytest.raises(ValidationError, match="缺考"):
        result_save(seat=setup.seats[0], theory=50, absent=True, actor=setup.teacher, version=0)


# --- who may enter -----------------------------------------------------------------------------


def test_a_teacher_of_another_batch_is_refused(world):
    setup = make_setup(world.a)
    stranger = other_teacher(world.a)
    with as_school(world.a), pytest.raises(ValidationError, match="不是该批次的录入教师"):
        result_save(seat=setup.seats[0], theory=80, practical=80, actor=stranger, version=0)


def test_the_school_admin_may_enter_results(world):
    setup = make_setup(world.a)
    with as_school(world.a):
        result = result_save(seat=setup.seats[0], theory=80, practical=80, actor=setup.admin, version=0)
    assert result.outcome == Outcome.PASS and result.updated_by == setup.admin


def test_the_sheet_is_created_on_first_use_only_by_someone_who_may_enter(world):
    setup = make_setup(world.a, with_sheet=False)
    with as_school(world.a):
        with pytest.raises(ValidationError):
            result_sheet_for_batch(batch=setup.batch, actor=other_teacher(world.a))
        sheet = result_sheet_for_batch(batch=setup.batch, actor=setup.teacher)
        assert sheet.status == Status.ENTERING
        assert result_sheet_for_batch(batch=setup.batch, actor=setup.admin).pk == sheet.pk


# --- history and the concurrent edit -----------------------------------------------------------


def test_every_change_is_kept_with_who_old_new_and_why(world):
    setup = make_setup(world.a)
    with as_school(world.a):
        first = result_save(seat=setup.seats[0], theory=55, practical=80, actor=setup.teacher, version=0)
        second = result_save(
            result=first, theory=65, practical=80, actor=setup.teacher, version=first.version, reason="看错了"
        )
        unchanged = result_save(result=second, theory=65, practical=80, actor=setup.teacher, version=second.version)
    changes = audit_lines(first)
    assert unchanged.version == second.version == 2  # a save that changes nothing writes nothing
    assert len(changes) == 2 and {c.action for c in changes} == {RESULT_ENTERED}
    assert changes[0].data["before"]["outcome"] == Outcome.PENDING and changes[0].data["after"]["theory"] == "55"
    assert changes[1].data["before"] == {"theory": "55", "practical": "80", "absent": False, "outcome": "fail"}
    assert changes[1].data["after"]["outcome"] == "pass" and changes[1].data["reason"] == "看错了"
    assert changes[1].actor == setup.teacher
    # While the sheet is being entered the organisation does not see the lines.
    assert all(c.school_id == world.a.school.pk and c.organisation_id is None for c in changes)


def test_the_second_of_two_concurrent_edits_is_refused_with_the_newer_value(world):
    setup = make_setup(world.a)
    with as_school(world.a):
        result = result_save(seat=setup.seats[0], theory=50, practical=50, actor=setup.teacher, version=0)
        rendered = result.version  # both forms were rendered with this version
        result_save(result=result, theory=75, practical=50, actor=setup.admin, version=rendered)
        with pytest.raises(StaleVersionError) as caught:
            result_save(result=result, theory=40, practical=50, actor=setup.teacher, version=rendered)
        kept = Result.objects.get(pk=result.pk)
    # Who changed it, and to what.
    assert "理论 75" in caught.value.messages[0] and setup.admin.full_name in caught.value.messages[0]
    assert caught.value.current.pk == result.pk and caught.value.current_version == rendered + 1
    assert kept.theory == Decimal("75") and kept.version == rendered + 1


def test_the_organisation_sees_a_results_history_only_from_the_notice_on(world):
    setup = make_setup(world.a)
    with as_school(world.a):
        entered = _enter_all(setup)[1]
    with as_org(world.a):
        assert history(entered) == []  # being entered: the school's alone
    with as_school(world.a):
        sheet_publish(sheet=sheet_of(setup.batch), actor=setup.admin, notice_days=0)
        corrected = result_save(
            result=entered, theory=65, practical=70, actor=setup.teacher, version=entered.version, reason="复核"
        )
    with as_org(world.a):
        lines = history(corrected)
    assert [line.label for line in lines] == ["录入成绩", "更正成绩"]
    assert "复核" in lines[1].detail and "理论 65" in lines[1].detail
    with as_org(world.b):
        assert history(corrected) == []


# --- states ------------------------------------------------------------------------------------


def test_a_teacher_cannot_publish(world):
    setup = make_setup(world.a)
    with as_school(world.a):
        _enter_all(setup)
        with pytest.raises(ValidationError, match="只有学校管理员"):
            sheet_publish(sheet=sheet_of(setup.batch), actor=setup.teacher)
    assert sheet_of(setup.batch).status == Status.ENTERING


def test_publishing_needs_every_result_entered(world):
    setup = make_setup(world.a)
    with as_school(world.a):
        result_save(seat=setup.seats[0], theory=80, practical=80, actor=setup.teacher, version=0)
        with pytest.raises(ValidationError, match="2 名考生"):
            sheet_publish(sheet=sheet_of(setup.batch), actor=setup.admin)


def test_publishing_opens_the_notice_for_the_set_number_of_days(world):
    setup = make_setup(world.a)
    sheet = _published(setup, notice_days=7)
    assert sheet.status == Status.NOTICE
    assert sheet.notice_ends_on == timezone.localdate() + timedelta(days=7)
    assert sheet.published_by == setup.admin
    with as_school(world.a), pytest.raises(ValidationError, match="不能发布公示"):
        sheet_publish(sheet=sheet, actor=setup.admin)


def test_a_correction_during_the_notice_needs_a_reason(world):
    setup = make_setup(world.a)
    _published(setup)
    with as_school(world.a):
        result = Result.objects.get(seat=setup.seats[1])
        with pytest.raises(ValidationError, match="须填写原因"):
            result_save(result=result, theory=60, practical=70, actor=setup.teacher, version=result.version)
        corrected = result_save(
            result=result, theory=60, practical=70, actor=setup.teacher, version=result.version, reason="复核加分"
        )
        last = audit_lines(corrected)[-1]
    assert (last.action, last.data["reason"]) == (RESULT_CORRECTED, "复核加分")
    assert corrected.outcome == Outcome.PASS


def test_objections_are_recorded_and_answered_by_the_school_admin_during_the_notice(world):
    setup = make_setup(world.a)
    with as_school(world.a):
        _enter_all(setup)
        sheet = sheet_of(setup.batch)
        with pytest.raises(ValidationError, match="成绩登记中"):
            objection_record(sheet=sheet, actor=setup.admin, received_on=date.today(), raised_by="家长", content="分数")
        sheet = sheet_publish(sheet=sheet, actor=setup.admin, notice_days=0)
        result = Result.objects.get(seat=setup.seats[1])
        with pytest.raises(ValidationError, match="只有学校管理员"):
            objection_record(sheet=sheet, actor=setup.teacher, received_on=date.today(), raised_by="家长", content="x")
        objection = objection_record(
            sheet=sheet,
            actor=setup.admin,
            received_on=date.today(),
            raised_by="考生家长",
            content="理论分偏低",
            result=result,
        )
        with pytest.raises(ValidationError, match="异议未答复"):
            sheet_end(sheet=sheet, actor=setup.admin)
        objection_answer(objection=objection, actor=setup.admin, answer="经复核，成绩无误。")
        with pytest.raises(ValidationError, match="已答复"):
            objection_answer(objection=objection, actor=setup.admin, answer="再答一次")
        ended = sheet_end(sheet=sheet, actor=setup.admin)
        objection = Objection.objects.get(pk=objection.pk)
    assert objection.status == Objection.Status.ANSWERED and objection.answered_at is not None
    assert ended.status == Status.FINAL and ended.ended_by == setup.admin


def test_the_notice_cannot_end_before_its_last_day(world):
    setup = make_setup(world.a)
    sheet = _published(setup, notice_days=5)
    with as_school(world.a):
        with pytest.raises(ValidationError, match="公示期满前不能结束"):
            sheet_end(sheet=sheet, actor=setup.admin)
        with pytest.raises(ValidationError, match="只有学校管理员"):
            sheet_end(sheet=sheet, actor=setup.teacher, today=sheet.notice_ends_on)
        ended = sheet_end(sheet=sheet, actor=setup.admin, today=sheet.notice_ends_on)
    assert ended.status == Status.FINAL


def test_illegal_transitions_are_refused(world):
    setup = make_setup(world.a)
    with as_school(world.a):
        _enter_all(setup)
        sheet = sheet_of(setup.batch)
        with pytest.raises(ValidationError, match="不能结束公示"):
            sheet_end(sheet=sheet, actor=setup.admin)
        sheet = sheet_publish(sheet=sheet, actor=setup.admin, notice_days=0)
        sheet = sheet_end(sheet=sheet, actor=setup.admin)
        for call in (
            lambda: sheet_publish(sheet=sheet, actor=setup.admin),
            lambda: sheet_end(sheet=sheet, actor=setup.admin),
            lambda: objection_record(
                sheet=sheet, actor=setup.admin, received_on=date.today(), raised_by="a", content="b"
            ),
        ):
            with pytest.raises(ValidationError, match="已结束"):
                call()


def test_after_the_end_only_the_school_admin_corrects_and_only_with_a_reason(world):
    setup = make_setup(world.a)
    sheet = _published(setup)
    with as_school(world.a):
        sheet_end(sheet=sheet, actor=setup.admin)
        result = Result.objects.get(seat=setup.seats[1])
        with pytest.raises(ValidationError, match="只有学校管理员"):
            result_save(result=result, theory=60, practical=70, actor=setup.teacher, version=result.version, reason="x")
        with pytest.raises(ValidationError, match="须填写原因"):
            result_save(result=result, theory=60, practical=70, actor=setup.admin, version=result.version)
        corrected = result_save(
            result=result,
            theory=60,
            practical=70,
            actor=setup.admin,
            version=result.version,
            reason="登分错误，经复核更正",
        )
        assert len(audit_lines(corrected)) == 2
    assert corrected.outcome == Outcome.PASS


# --- retakes -----------------------------------------------------------------------------------


def _failed_then_retake(world, *, retake_day, scores=((80, 40),)):
    setup = make_setup(world.a, size=1)
    with as_school(world.a):
        _enter_all(setup, scores=scores)
        sheet = sheet_publish(sheet=sheet_of(setup.batch), actor=setup.admin, notice_days=0)
        sheet_end(sheet=sheet, actor=setup.admin)
    batch, seats = add_batch(setup, day=retake_day, enrolments=setup.enrolments, retake=True)
    return setup, batch, seats


def test_a_retake_carries_over_the_passed_part_and_enters_only_the_failed_one(world):
    setup, batch, seats = _failed_then_retake(world, retake_day=date(2024, 11, 20))
    with as_school(world.a):
        sheet = result_sheet_for_batch(batch=batch, actor=setup.teacher)  # prepares the retake rows
        retake = Result.objects.get(seat=seats[0])
        assert retake.is_retake and retake.theory_carried and not retake.practical_carried
        assert retake.theory == Decimal("80") and retake.outcome == Outcome.PENDING
        (line,) = audit_lines(retake)
        assert line.action == RESULT_RETAKE and "沿用 2024-06-03 的理论成绩 80" in describe(line).detail
        saved = result_save(result=retake, theory=10, practical=65, actor=setup.teacher, version=retake.version)
    assert saved.theory == Decimal("80")  # the carried part is not typed again
    assert saved.outcome == Outcome.PASS and sheet.status == Status.ENTERING


def test_a_passed_part_does_not_carry_over_beyond_the_allowed_period(world):
    with override_settings(RESULT_CARRY_OVER_YEARS=1):
        setup, batch, seats = _failed_then_retake(world, retake_day=date(2025, 6, 4))
        with as_school(world.a):
            result_sheet_for_batch(batch=batch, actor=setup.teacher)
            retake = Result.objects.get(seat=seats[0])
    assert retake.is_retake and not retake.theory_carried and retake.theory is None


def test_an_absent_candidate_retakes_everything_and_a_passed_candidate_has_no_retake(world):
    setup, batch, seats = _failed_then_retake(world, retake_day=date(2024, 12, 1), scores=((None, None),))
    with as_school(world.a):
        result_sheet_for_batch(batch=batch, actor=setup.teacher)
        retake = Result.objects.get(seat=seats[0])
        with pytest.raises(ValidationError, match="已有成绩"):
            result_retake_create(seat=seats[0], actor=setup.teacher)
    assert retake.is_retake and not retake.theory_carried and not retake.practical_carried
    passed, batch2, seats2 = _failed_then_retake(world, retake_day=date(2024, 12, 1), scores=((90, 90),))
    with as_school(world.a):
        result_sheet_for_batch(batch=batch2, actor=passed.teacher)
        with pytest.raises(ValidationError, match="无需补考"):
            result_retake_create(seat=seats2[0], actor=passed.teacher)
