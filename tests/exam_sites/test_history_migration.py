"""The data migration that moved the application history (SiteApplicationEvent) and the scheduling
history (SchedulingEvent) into the one audit log: actor, time, tenants and values survive it, and
the words are built again from the values (the old words stay only where a named row is gone)."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import Organisation, School, User
from core.audit import describe, entries_for
from exam_sites.models import (
    Announcement,
    Batch,
    ExamRoom,
    ExamSession,
    Round,
    Seat,
)
from pilots.models import Certificate, Pilot
from students.models import Enrolment, Person
from tests.exam_sites.helpers import approved_site
from tests.worlds.students import make_id_number

BEFORE = [("exam_sites", "0003_schedulingevent")]


def _rows():
    """A school's approved site, an organisation's published announcement, a batch with two sessions
    and one seated candidate, built with today's models (their tables are unchanged)."""
    with scopes_disabled():
        school = School.objects.create(name="迁移考点学校")
        organisation = Organisation.objects.create(name="迁移考点组织")
        certificate = Certificate.objects.create(code="MIG-ES", name="迁移证书", organisation=organisation)
        admin = User.objects.create_user(username="mig_es_admin", password="x-Test-123", full_name="迁移管理员")
        teacher = User.objects.create_user(username="mig_es_teacher", password="x-Test-123", full_name="迁移教师")
        reviewer = User.objects.create_user(username="mig_es_reviewer", password="x-Test-123", full_name="迁移审核员")
        site = approved_site(school, certificate, name="迁移考点", daily_max=40, unit_name="迁移考点学校", version=4)
        application = site.application
        room = ExamRoom.objects.create(site=site, name="迁移机房", area=Decimal("80"), workstations=20)
        announcement = Announcement.objects.create(
            organisation=organisation, certificate=certificate, year=2025, title="2025 迁移公告"
        )
        exam_round = Round.objects.create(
            announcement=announcement,
            name="第一轮",
            starts_on=date(2025, 6, 1),
            ends_on=date(2025, 6, 30),
            registration_closes_on=date(2025, 5, 20),
            levels=["elementary"],
        )
        pilot = Pilot.objects.create(
            school=school, certificate=certificate, level="elementary", year=2025, requested_quota=30, quota=30
        )
        batch = Batch.objects.create(school=school, pilot=pilot, site=site, round=exam_round, name="迁移批次")
        morning, afternoon = (
            ExamSession.objects.create(
                batch=batch,
                room=room,
                date=date(2025, 6, 3),
                starts_at=start,
                ends_at=end,
                seats=20,
                invigilator=teacher,
            )
            for start, end in ((time(9), time(11)), (time(14), time(16)))
        )
        person = Person.objects.create(school=school, name="迁移考生", id_number=make_id_number(901, birth="20060101"))
        enrolment = Enrolment.objects.create(person=person, pilot=pilot)
        seat = Seat.objects.create(batch=batch, session=afternoon, enrolment=enrolment, number=1)
    return locals()


@pytest.mark.django_db(transaction=True)
def test_the_application_and_scheduling_histories_survive_the_move_to_the_audit_log(transactional_db):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    rows = _rows()
    admin, reviewer, teacher = rows["admin"], rows["reviewer"], rows["teacher"]
    batch, announcement, application = rows["batch"], rows["announcement"], rows["application"]
    org_id, school_id = rows["organisation"].pk, rows["school"].pk
    ApplicationEvent = old_apps.get_model("exam_sites", "SiteApplicationEvent")
    created = ApplicationEvent.objects.create(application_id=application.pk, actor_id=admin.pk, to_status="draft")
    created_at = timezone.now() - timedelta(days=3)
    ApplicationEvent.objects.filter(pk=created.pk).update(created_at=created_at)
    ApplicationEvent.objects.create(
        application_id=application.pk, actor_id=admin.pk, from_status="draft", to_status="submitted"
    )
    approved = ApplicationEvent.objects.create(
        application_id=application.pk,
        actor_id=reviewer.pk,
        from_status="submitted",
        to_status="approved",
        comment="材料齐全，同意",
    )

    Event = old_apps.get_model("exam_sites", "SchedulingEvent")
    on_batch = {"batch_id": batch.pk, "school_id": school_id, "organisation_id": org_id}
    published_at = timezone.now() - timedelta(days=10)
    Event.objects.create(
        kind="announcement_published",
        announcement_id=announcement.pk,
        organisation_id=org_id,
        actor_id=reviewer.pk,
        at=published_at,
        detail="「2025 迁移公告」，共 1 个轮次：第一轮",
        data={"published_at": published_at.isoformat(), "round_ids": [rows["exam_round"].pk]},
    )
    Event.objects.create(
        kind="batch_created",
        actor_id=admin.pk,
        detail="「迁移批次」：2025 · 迁移证书 · 初级，考点「迁移考点」，2025 第一轮，熟悉场地日 —",
        data={
            "name": "迁移批次",
            "pilot_id": rows["pilot"].pk,
            "site_id": rows["site"].pk,
            "round_id": rows["exam_round"].pk,
            "familiarisation_on": None,
        },
        **on_batch,
    )
    Event.objects.create(
        kind="batch_updated",
        actor_id=admin.pk,
        detail="增加教师：迁移教师",
        data={"teachers_added": [teacher.pk]},
        **on_batch,
    )
    Event.objects.create(
        kind="seats_allocated",
        actor_id=admin.pk,
        detail="本次分配 1 人，此前已有座位 0 人，未能分配 0 人。",
        data={"placed": 1, "already_seated": 0, "cleared": 0, "unplaced": 0},
        **on_batch,
    )
    Event.objects.create(
        kind="seat_moved",
        actor_id=admin.pk,
        detail="迁移考生：2025-06-03 09:00–11:00 迁移机房 1 号 → 2025-06-03 14:00–16:00 迁移机房 1 号",
        data={
            "seat_id": rows["seat"].pk,
            "enrolment_id": rows["enrolment"].pk,
            "from_session_id": rows["morning"].pk,
            "from_number": 1,
            "to_session_id": rows["afternoon"].pk,
            "to_number": 1,
        },
        **on_batch,
    )
    gone = Event.objects.create(
        kind="session_deleted",
        actor_id=admin.pk,
        detail="2025-06-04 09:00–11:00 已拆除的机房，20 个座位，督考 迁移教师",
        data={"session_id": 999999, "room_id": 999999, "date": "2025-06-04", "seats": 20},
        **on_batch,
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    tables = connection.introspection.table_names()
    assert "exam_sites_siteapplicationevent" not in tables and "exam_sites_schedulingevent" not in tables
    with scopes_disabled():
        steps = list(entries_for(application).order_by("at", "id"))
        lines = list(entries_for(batch).order_by("at", "id"))
        (publication,) = entries_for(announcement)
    assert [(s.action, s.actor) for s in steps] == [
        ("exam_sites.application.created", admin),
        ("exam_sites.application.submitted", admin),
        ("exam_sites.application.approved", reviewer),
    ]
    assert (steps[0].at, steps[2].at) == (created_at, approved.created_at)
    assert steps[2].data == {"from": "submitted", "to": "approved", "comment": "材料齐全，同意"}
    assert describe(steps[2]).detail == "已提交 → 已批准 · 材料齐全，同意"
    # Reviewers never see a draft: the step that made one stays the school's.
    assert [(s.school_id, s.organisation_id) for s in steps] == [(school_id, None), *[(school_id, org_id)] * 2]

    # An announcement's line is the organisation's only; a batch's the school's and the organisation's.
    assert (publication.school_id, publication.organisation_id, publication.at) == (None, org_id, published_at)
    assert describe(publication).detail == "「2025 迁移公告」，共 1 个轮次：第一轮"
    assert {(line.school_id, line.organisation_id) for line in lines} == {(school_id, org_id)}
    assert [line.action for line in lines] == [
        "scheduling.batch.created",
        "scheduling.batch.updated",
        "scheduling.seats.allocated",
        "scheduling.seat.moved",
        "scheduling.session.deleted",
    ]
    created_line, updated, allocated, moved, deleted = lines
    # Rebuilt from values: the same words as before, and no old text kept.
    for line, words in (
        (created_line, "「迁移批次」：2025 · 迁移证书 · 初级，考点「迁移考点」，2025 第一轮，熟悉场地日 —"),
        (updated, "增加教师：迁移教师"),
        (allocated, "本次分配 1 人，此前已有座位 0 人，未能分配 0 人。"),
        (moved, "迁移考生：2025-06-03 09:00–11:00 迁移机房 1 号 → 2025-06-03 14:00–16:00 迁移机房 1 号"),
    ):
        assert describe(line).detail == words and "text" not in line.data
    assert moved.data["from_session_id"] == rows["morning"].pk and moved.data["to_number"] == 1
    # A line whose room is gone keeps its old words (and its values).
    assert describe(deleted).detail == gone.detail and deleted.data["seats"] == 20
