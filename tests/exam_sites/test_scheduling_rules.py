"""Scheduling rules, each with its violation: announcements and rounds, batches, sessions, teachers."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import StaffQualification
from accounts.roles import Role
from core.scoping import SCHOOL, TenantRef, tenant_scope
from exam_sites.models import Announcement, Batch, ExamSession, ExamSite, Round, Seat
from exam_sites.selectors.announcements import announcements_visible, open_rounds, rounds_visible
from exam_sites.services.announcements import announcement_create, announcement_publish, round_create
from exam_sites.services.batches import batch_create, batch_update
from exam_sites.services.sessions import session_create, session_delete
from pilots.models import CertificateLevel, Pilot, PilotStatus
from tests.exam_sites.helpers import as_org, as_school, new_certificate
from tests.exam_sites.scheduling_helpers import (
    YEAR,
    announced_round,
    batch,
    candidates,
    d,
    may_round,
    room,
    session,
    t,
)

pytestmark = pytest.mark.django_db


def messages_of(exc: pytest.ExceptionInfo) -> str:
    return " ".join(exc.value.messages)


# --- announcements and rounds ------------------------------------------------------------------


def test_a_reviewer_announces_for_its_own_certificate_only(world):
    with as_org(world.a):
        announcement = announcement_create(
            organisation=world.a.organisation, certificate=world.a.certificate, year=YEAR, title="公告"
        )
        assert announcement.published_at is None
        with pytest.raises(ValidationError) as exc:
            announcement_create(
                organisation=world.a.organisation, certificate=world.b.certificate, year=YEAR, title="公告"
            )
    assert "b证书" in messages_of(exc) and "不属于本组织" in messages_of(exc)


def test_one_announcement_per_certificate_and_year(world):
    with as_org(world.a):
        announcement_create(organisation=world.a.organisation, certificate=world.a.certificate, year=YEAR, title="x")
        with pytest.raises(ValidationError) as exc:
            announcement_create(
                organisation=world.a.organisation, certificate=world.a.certificate, year=YEAR, title="y"
            )
    assert str(YEAR) in messages_of(exc) and "已存在" in messages_of(exc)


def _draft_announcement(world, certificate=None) -> Announcement:
    with as_org(world.a):
        return announcement_create(
            organisation=world.a.organisation, certificate=certificate or world.a.certificate, year=YEAR, title="公告"
        )


def test_a_round_needs_ordered_dates_inside_the_year_and_offered_levels(world):
    announcement = _draft_announcement(world)
    with as_org(world.a):
        created = round_create(
            announcement=announcement,
            name="第一轮",
            starts_on=d(5, 1),
            ends_on=d(5, 31),
            registration_closes_on=d(4, 20),
            levels=["intermediate", "elementary"],
        )
        assert created.levels == ["elementary", "intermediate"]
        cases = [
            ({"starts_on": d(5, 10), "ends_on": d(5, 1), "registration_closes_on": d(4, 1)}, ["早于开始日期", "05-01"]),
            ({"starts_on": d(5, 1), "ends_on": d(5, 31), "registration_closes_on": d(6, 2)}, ["报名截止日期", "06-02"]),
            (
                {
                    "starts_on": date(YEAR + 1, 1, 5),
                    "ends_on": date(YEAR + 1, 1, 9),
                    "registration_closes_on": d(12, 1),
                },
                ["公告年度", str(YEAR)],
            ),
        ]
        for dates, expected in cases:
            with pytest.raises(ValidationError) as exc:
                round_create(announcement=announcement, name="错", levels=["elementary"], **dates)
            for text in expected:
                assert text in messages_of(exc)
        with pytest.raises(ValidationError) as exc:
            may_round(announcement, name="错", levels=())
        assert "至少选择一个考核等级" in messages_of(exc)


def test_a_round_cannot_cover_a_level_the_certificate_does_not_offer(world):
    certificate = new_certificate(world.a)
    with scopes_disabled():
        CertificateLevel.objects.create(certificate=certificate, level="elementary", pass_mark=60)
    announcement = _draft_announcement(world, certificate)
    with as_org(world.a), pytest.raises(ValidationError) as exc:
        may_round(announcement, levels=("elementary", "advanced"))
    assert "只设 初级" in messages_of(exc) and "高级" in messages_of(exc)


def test_publishing_needs_a_round_and_happens_once(world):
    announcement = _draft_announcement(world)
    with as_org(world.a):
        with pytest.raises(ValidationError) as exc:
            announcement_publish(announcement=announcement, actor=world.a.user(Role.REVIEWER))
        assert "0 个轮次" in messages_of(exc)
        may_round(announcement)
        published = announcement_publish(announcement=announcement, actor=world.a.user(Role.REVIEWER))
        assert published.published_at is not None
        with pytest.raises(ValidationError) as exc:
            announcement_publish(announcement=announcement, actor=world.a.user(Role.REVIEWER))
        assert "已于" in messages_of(exc)


def test_schools_see_published_announcements_of_certificates_they_pilot_only(world):
    draft_round = announced_round(world.a, published=False)
    published_round = announced_round(world.a, year=YEAR + 1)
    other = new_certificate(world.a)  # the same organisation, but school A does not pilot it
    with scopes_disabled():
        unpiloted = Announcement.objects.create(
            organisation=world.a.organisation, certificate=other, year=YEAR, title="未试点", published_at=timezone.now()
        )
    with as_school(world.a):
        visible = set(announcements_visible().values_list("pk", flat=True))
        rounds = set(rounds_visible().values_list("pk", flat=True))
        open_ = set(open_rounds().values_list("pk", flat=True))
    assert published_round.announcement_id in visible
    assert world.a.objects["announcement"].pk in visible
    assert draft_round.announcement_id not in visible and unpiloted.pk not in visible
    assert world.b.objects["announcement"].pk not in visible
    assert published_round.pk in rounds and draft_round.pk not in rounds
    assert published_round.pk in open_ and world.a.objects["round"].pk not in open_  # 2024's closed long ago
    with as_org(world.a):
        own = set(announcements_visible().values_list("pk", flat=True))
    assert draft_round.announcement_id in own and world.b.objects["announcement"].pk not in own
    with as_school(world.b):
        assert published_round.announcement_id not in set(announcements_visible().values_list("pk", flat=True))


# --- batches -----------------------------------------------------------------------------------


def _plan(world, rnd: Round, **overrides):
    with as_school(world.a):
        kwargs = {
            "school": world.a.school,
            "actor": world.a.user(Role.SCHOOL_ADMIN),
            "pilot": Pilot.objects.get(pk=world.a.objects["pilot"].pk),
            "site": ExamSite.objects.get(pk=world.a.objects["exam_site"].pk),
            "exam_round": Round._base_manager.get(pk=rnd.pk),
        }
        kwargs.update(overrides)
        return batch_create(**kwargs)


def test_a_school_plans_a_batch_for_an_approved_pilot_at_its_site_inside_an_open_round(world):
    rnd = announced_round(world.a)
    created = _plan(world, rnd, familiarisation_on=d(2, 28))
    assert created.school_id == world.a.school.pk and created.round_id == rnd.pk
    assert "第一轮" in created.name and created.familiarisation_on == d(2, 28)


def test_a_batch_needs_an_approved_or_running_pilot(world):
    rnd = announced_round(world.a)
    with scopes_disabled():
        applied = Pilot.objects.create(
            school=world.a.school,
            certificate=world.a.certificate,
            level="elementary",
            year=YEAR,
            requested_quota=10,
            status=PilotStatus.APPLIED,
        )
    with pytest.raises(ValidationError) as exc:
        _plan(world, rnd, pilot=applied)
    assert "已批准或实施中" in messages_of(exc) and "申报中" in messages_of(exc)


def test_a_batch_needs_a_site_of_the_same_certificate_approved_for_the_level(world):
    rnd = announced_round(world.a)
    other = new_certificate(world.a)
    with scopes_disabled():
        site = ExamSite.objects.get(pk=world.a.objects["exam_site"].pk)
        other_site = ExamSite.objects.create(
            school=world.a.school,
            certificate=other,
            application_id=site.application_id,
            name="别的考点",
            daily_max=10,
            approved_at=timezone.now(),
        )
        ExamSite.objects.filter(pk=site.pk).update(levels=["advanced"])
    with pytest.raises(ValidationError) as exc:
        _plan(world, rnd, site=other_site)
    assert "别的考点" in messages_of(exc) and other.name in messages_of(exc)
    with pytest.raises(ValidationError) as exc:
        _plan(world, rnd)
    assert "获批的考核等级为 高级" in messages_of(exc) and "不含初级" in messages_of(exc)


def test_a_batch_needs_a_published_round_covering_the_level(world):
    with pytest.raises(ValidationError) as exc:
        _plan(world, announced_round(world.a, levels=("intermediate",)))
    assert "考核 中级" in messages_of(exc) and "不含该试点的初级" in messages_of(exc)
    with pytest.raises(ValidationError) as exc:
        _plan(world, announced_round(world.a, year=YEAR + 1, published=False))
    assert "尚未发布" in messages_of(exc)


def test_a_batch_is_planned_any_day_before_registration_closes_and_never_after(world):
    rnd = announced_round(world.a)
    assert _plan(world, rnd, today=date(YEAR, 2, 20)).pk  # the closing day itself is still open
    with pytest.raises(ValidationError) as exc:
        _plan(world, rnd, today=date(YEAR, 2, 21))
    assert f"{YEAR}-02-20" in messages_of(exc) and f"{YEAR}-02-21" in messages_of(exc)


def test_the_familiarisation_day_is_before_the_round_ends(world):
    with pytest.raises(ValidationError) as exc:
        _plan(world, announced_round(world.a), familiarisation_on=d(4, 1))
    assert "熟悉场地日" in messages_of(exc) and f"{YEAR}-03-31" in messages_of(exc)


def test_teachers_are_assigned_to_a_batch_from_the_school_only(world):
    b = batch(world.a, announced_round(world.a))
    teacher = world.a.user(Role.TEACHER)
    with as_school(world.a):
        batch_update(
            batch=b,
            actor=world.a.user(Role.SCHOOL_ADMIN),
            name="新名称",
            familiarisation_on=d(2, 27),
            teachers=[teacher],
        )
        assert list(Batch.objects.get(pk=b.pk).teachers.all()) == [teacher]
        with pytest.raises(ValidationError) as exc:
            batch_update(
                batch=b,
                actor=world.a.user(Role.SCHOOL_ADMIN),
                name="x",
                familiarisation_on=None,
                teachers=[world.b.user(Role.TEACHER)],
            )
    assert "不是本校成员" in messages_of(exc)


# --- sessions ----------------------------------------------------------------------------------


def _add(b, exam_room, day, start, end, seats, invigilator, **kw):
    """Through the service, in the batch's school scope (the batch re-read, never the world's object)."""
    with scopes_disabled():
        school_id = b.school_id
    with tenant_scope(TenantRef(SCHOOL, school_id)):
        return session_create(
            batch=Batch.objects.select_related("round", "site", "pilot__certificate").get(pk=b.pk),
            room=exam_room,
            day=day,
            starts_at=t(start),
            ends_at=t(end),
            seats=seats,
            invigilator=invigilator,
            actor=b.created_by,
            **kw,
        )


@pytest.fixture
def planned(world):
    """A batch of side A in next year's March round, a second room of 10 workstations."""
    rnd = announced_round(world.a)
    return batch(world.a, rnd), room(world.a, workstations=10, name="小机房"), world.a.user(Role.TEACHER)


def test_a_session_within_the_rules_is_added(planned):
    b, small, teacher = planned
    created = _add(b, small, d(3, 2), "09:00", "11:00", 10, teacher)
    assert created.seats == 10 and created.invigilator == teacher


def test_seats_never_exceed_the_rooms_workstations(planned):
    b, small, teacher = planned
    with pytest.raises(ValidationError) as exc:
        _add(b, small, d(3, 2), "09:00", "11:00", 12, teacher)
    text = messages_of(exc)
    assert "不得超过考场工位数" in text and "小机房" in text and "10 个工位" in text and "12 个座位" in text


def test_a_room_never_has_two_overlapping_sessions_across_batches(planned, world):
    b, small, teacher = planned
    other_batch = batch(world.a, b.round, name="另一批次")
    with scopes_disabled():
        admin = world.a.user(Role.SCHOOL_ADMIN)
        StaffQualification.objects.create(
            school=world.a.school, user=admin, kind="invigilator", certificate=world.a.certificate, obtained_on=d(1, 1)
        )
    _add(b, small, d(3, 2), "09:00", "11:00", 10, teacher)
    with pytest.raises(ValidationError) as exc:
        _add(other_batch, small, d(3, 2), "10:30", "12:00", 10, admin)
    text = messages_of(exc)
    assert "同一考场的场次不得重叠" in text and "09:00–11:00" in text and "10:30–12:00" in text and "测试批次" in text
    assert _add(other_batch, small, d(3, 2), "11:00", "12:00", 10, admin).pk  # back to back is fine


def test_an_invigilator_is_never_in_two_places_at_once(planned, world):
    b, small, teacher = planned
    big = room(world.a, workstations=20, name="大机房")
    _add(b, small, d(3, 2), "09:00", "11:00", 10, teacher)
    with pytest.raises(ValidationError) as exc:
        _add(b, big, d(3, 2), "10:00", "10:30", 10, teacher)
    text = messages_of(exc)
    assert "督考不能同时在两处" in text and "小机房" in text and "09:00–11:00" in text and "10:00–10:30" in text
    assert _add(b, big, d(3, 3), "10:00", "10:30", 10, teacher).pk  # another day


def test_the_invigilator_must_hold_the_qualification_for_the_certificate(planned, world):
    b, small, _teacher = planned
    with pytest.raises(ValidationError) as exc:
        _add(b, small, d(3, 2), "09:00", "11:00", 10, world.a.user(Role.SCHOOL_ADMIN))
    assert "督考资格" in messages_of(exc) and world.a.user(Role.SCHOOL_ADMIN).full_name in messages_of(exc)
    with pytest.raises(ValidationError) as exc:
        _add(b, small, d(3, 2), "09:00", "11:00", 10, world.b.user(Role.TEACHER))  # qualified, other school
    assert "督考资格" in messages_of(exc)
    with pytest.raises(ValidationError) as exc:
        _add(b, small, d(3, 2), "09:00", "11:00", 10, None)
    assert "须安排督考" in messages_of(exc)


def test_session_dates_stay_inside_the_round_and_times_are_ordered(planned):
    b, small, teacher = planned
    with pytest.raises(ValidationError) as exc:
        _add(b, small, d(4, 1), "09:00", "11:00", 10, teacher)
    assert f"{YEAR}-04-01" in messages_of(exc) and f"{YEAR}-03-01 至 {YEAR}-03-31" in messages_of(exc)
    with pytest.raises(ValidationError) as exc:
        _add(b, small, d(3, 2), "11:00", "09:00", 10, teacher)
    assert "须晚于开始时间" in messages_of(exc)


def test_a_room_of_another_site_is_refused(planned, world):
    b, _small, teacher = planned
    with pytest.raises(ValidationError) as exc:
        _add(b, world.b.objects["exam_room"], d(3, 2), "09:00", "11:00", 10, teacher)
    assert "不属于本批次的考点" in messages_of(exc)


def test_sessions_are_added_only_before_registration_closes(planned):
    b, small, teacher = planned
    with pytest.raises(ValidationError) as exc:
        _add(b, small, d(3, 2), "09:00", "11:00", 10, teacher, today=d(2, 21))
    assert f"{YEAR}-02-20" in messages_of(exc)


def test_a_session_with_seats_is_not_deleted(planned, world):
    b, small, teacher = planned
    s = session(b, small, d(3, 2), "09:00", "11:00", 10, teacher)
    (enrolment,) = candidates(world.a, {"删测1": 1})
    with scopes_disabled():
        Seat.objects.create(batch=b, session=s, enrolment=enrolment, number=1)
    with as_school(world.a):
        with pytest.raises(ValidationError) as exc:
            session_delete(
                session=ExamSession.objects.select_related("batch").get(pk=s.pk), actor=world.a.user(Role.SCHOOL_ADMIN)
            )
        assert "已分配 1 个座位" in messages_of(exc)
        Seat.objects.filter(session=s).delete()
        session_delete(
            session=ExamSession.objects.select_related("batch").get(pk=s.pk), actor=world.a.user(Role.SCHOOL_ADMIN)
        )
        assert not ExamSession.objects.filter(pk=s.pk).exists()
