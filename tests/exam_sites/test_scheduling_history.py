"""The scheduling history in the audit log: every change of a batch and every publication writes one
line in the change's transaction, the batch and announcement pages show it newest first, and no
tenant ever sees another's."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.roles import Role
from core.audit import describe, entries_for
from core.models import AuditEntry
from exam_sites.models import Announcement, Batch, ExamSession, ExamSite, Round, Seat
from exam_sites.selectors.announcements import announcement_history
from exam_sites.selectors.batches import batch_history
from exam_sites.services import seats as seat_services
from exam_sites.services.announcements import announcement_create, announcement_publish
from exam_sites.services.batches import batch_create, batch_update
from exam_sites.services.seats import seat_move, seats_allocate
from exam_sites.services.sessions import session_create, session_delete
from pilots.models import Pilot
from tests.exam_sites.helpers import as_org, as_school
from tests.exam_sites.scheduling_helpers import YEAR, announced_round, batch, candidates, d, may_round, room, session, t

pytestmark = pytest.mark.django_db


def _events(b: Batch) -> list[AuditEntry]:
    """The batch's lines, oldest first."""
    with scopes_disabled():
        return list(entries_for(b).order_by("at", "id"))


def _words(line: AuditEntry) -> str:
    return describe(line).detail


@pytest.fixture
def seated(world):
    """Side A's batch with two sessions of 3 seats in 一号机房 on 2 March, 23机电1 (3) allocated to the
    first, by the school admin."""
    b = batch(world.a, announced_round(world.a))
    r1 = room(world.a, workstations=10, name="一号机房")
    teacher = world.a.user(Role.TEACHER)
    first = session(b, r1, d(3, 2), "09:00", "11:00", 3, teacher)
    second = session(b, r1, d(3, 2), "13:00", "15:00", 3, teacher)
    candidates(world.a, {"23机电1": 2})  # with the world's student: 3, the first session whole
    with as_school(world.a):
        seats_allocate(batch=Batch.objects.get(pk=b.pk), actor=world.a.user(Role.SCHOOL_ADMIN))
    return b, first, second


def _move(world, seat: Seat, target: ExamSession, number: int | None = None) -> Seat:
    with as_school(world.a):
        return seat_move(
            seat=Seat.objects.select_related("batch").get(pk=seat.pk),
            session=ExamSession.objects.get(pk=target.pk),
            actor=world.a.user(Role.SCHOOL_ADMIN),
            number=number,
        )


def _first_seat(session_: ExamSession) -> Seat:
    with scopes_disabled():
        return Seat.objects.select_related("enrolment__person").filter(session=session_).order_by("number").first()


# --- seat moves --------------------------------------------------------------------------------


def test_a_move_writes_one_event_with_who_from_where_to_where(world, seated):
    b, first, second = seated
    seat = _first_seat(first)
    before = len(_events(b))
    _move(world, seat, second, number=2)
    events = _events(b)
    assert len(events) == before + 1
    event = events[-1]
    name = seat.enrolment.person.name
    assert event.action == "scheduling.seat.moved" and event.actor == world.a.user(Role.SCHOOL_ADMIN)
    assert _words(event) == (
        f"{name}：{YEAR}-03-02 09:00–11:00 一号机房 {seat.number} 号 → {YEAR}-03-02 13:00–15:00 一号机房 2 号"
    )
    assert event.data == {
        "seat_id": seat.pk,
        "enrolment_id": seat.enrolment_id,
        "name": name,
        "from_session_id": first.pk,
        "from_number": seat.number,
        "from_slot": {"date": f"{YEAR}-03-02", "starts_at": "09:00", "ends_at": "11:00", "room": "一号机房"},
        "to_session_id": second.pk,
        "to_number": 2,
        "to_slot": {"date": f"{YEAR}-03-02", "starts_at": "13:00", "ends_at": "15:00", "room": "一号机房"},
    }
    assert (event.school_id, event.organisation_id) == (world.a.school.pk, world.a.organisation.pk)


def test_a_refused_move_writes_nothing(world, seated):
    b, first, second = seated
    seat = _first_seat(first)
    before = len(_events(b))
    with pytest.raises(ValidationError):
        _move(world, seat, second, number=9)  # 3 seats only
    with scopes_disabled():
        ExamSession.objects.filter(pk=second.pk).update(seats=1)
    _move(world, _first_seat(first), second)
    with pytest.raises(ValidationError):
        _move(world, _first_seat(first), second)  # full now
    assert [e.action for e in _events(b)[before:]] == ["scheduling.seat.moved"]  # the one that happened


def test_the_move_and_its_history_happen_together_or_not_at_all(world, seated, monkeypatch):
    b, first, second = seated
    seat = _first_seat(first)
    before = len(_events(b))

    def history_fails(*args, **kwargs):
        raise RuntimeError("the history could not be written")

    monkeypatch.setattr(seat_services, "record", history_fails)
    with pytest.raises(RuntimeError):
        _move(world, seat, second)
    with scopes_disabled():
        unchanged = Seat.objects.get(pk=seat.pk)
    assert (unchanged.session_id, unchanged.number) == (first.pk, seat.number)  # the move was rolled back
    assert len(_events(b)) == before


# --- allocation --------------------------------------------------------------------------------


def test_allocation_and_a_fresh_start_write_events_with_the_number_of_seats(world, seated):
    b, first, _second = seated
    allocated = _events(b)[-1]
    assert allocated.action == "scheduling.seats.allocated" and allocated.actor == world.a.user(Role.SCHOOL_ADMIN)
    assert _words(allocated) == "本次分配 3 人，此前已有座位 0 人，未能分配 0 人。"
    assert allocated.data["placed"] == 3 and allocated.data["placed_by_session"] == {str(first.pk): 3}
    more = candidates(world.a, {"23机电2": 4})  # 3 more seats free: one cannot be placed
    with as_school(world.a):
        seats_allocate(batch=Batch.objects.get(pk=b.pk), actor=world.a.user(Role.TEACHER))
        seats_allocate(batch=Batch.objects.get(pk=b.pk), actor=world.a.user(Role.SCHOOL_ADMIN), reset=True)
    filled, reset = _events(b)[-2:]
    assert filled.action == "scheduling.seats.allocated" and filled.actor == world.a.user(Role.TEACHER)
    assert _words(filled) == "本次分配 3 人，此前已有座位 3 人，未能分配 1 人。"
    assert filled.data["unplaced_enrolment_ids"] == [more[-1].pk]
    assert reset.action == "scheduling.seats.reallocated"
    assert _words(reset) == "清除原有座位 6 个，重新分配 6 人，未能分配 1 人。"
    assert (reset.data["cleared"], reset.data["placed"], reset.data["unplaced"]) == (6, 6, 1)


# --- batches and sessions ----------------------------------------------------------------------


def test_creating_and_editing_a_batch_is_recorded_and_a_save_without_changes_is_not(world):
    rnd = announced_round(world.a)
    admin, teacher = world.a.user(Role.SCHOOL_ADMIN), world.a.user(Role.TEACHER)
    with as_school(world.a):
        b = batch_create(
            school=world.a.school,
            actor=admin,
            pilot=Pilot.objects.get(pk=world.a.objects["pilot"].pk),
            site=ExamSite.objects.get(pk=world.a.objects["exam_site"].pk),
            exam_round=Round._base_manager.get(pk=rnd.pk),
            name="三月批次",
        )
        batch_update(batch=b, actor=admin, name="三月批次（改）", familiarisation_on=d(3, 1), teachers=[teacher])
        batch_update(batch=b, actor=admin, name="三月批次（改）", familiarisation_on=d(3, 1), teachers=[teacher])
    created, edited = _events(b)
    assert created.action == "scheduling.batch.created" and created.actor == admin
    assert "「三月批次」" in _words(created) and f"{YEAR} 第一轮" in _words(created)
    assert edited.action == "scheduling.batch.updated"
    assert _words(edited) == (
        f"名称：「三月批次」→「三月批次（改）」；熟悉场地日：— → {YEAR}-03-01；增加教师：{teacher.full_name}"
    )
    assert edited.data["teachers_added"] == [teacher.pk]


def test_adding_and_deleting_a_session_is_recorded_and_a_refused_one_is_not(world):
    b = batch(world.a, announced_round(world.a))
    small = room(world.a, workstations=10, name="小机房")
    admin, teacher = world.a.user(Role.SCHOOL_ADMIN), world.a.user(Role.TEACHER)

    def add(seats: int) -> ExamSession:
        return session_create(
            batch=Batch.objects.get(pk=b.pk),
            room=small,
            day=d(3, 2),
            starts_at=t("09:00"),
            ends_at=t("11:00"),
            seats=seats,
            invigilator=teacher,
            actor=admin,
        )

    with as_school(world.a):
        with pytest.raises(ValidationError):
            add(12)  # more seats than workstations
        created = add(8)
        session_delete(session=ExamSession.objects.select_related("batch").get(pk=created.pk), actor=admin)
    added, deleted = _events(b)
    text = f"{YEAR}-03-02 09:00–11:00 小机房，8 个座位，督考 {teacher.full_name}"
    assert (added.action, _words(added)) == ("scheduling.session.created", text)
    assert (deleted.action, _words(deleted), deleted.actor) == ("scheduling.session.deleted", text, admin)
    assert deleted.data["session_id"] == created.pk and deleted.data["seats"] == 8


# --- publishing --------------------------------------------------------------------------------


def test_publishing_writes_one_event_and_a_refused_publication_none(world):
    reviewer = world.a.user(Role.REVIEWER)
    with as_org(world.a):
        announcement = announcement_create(
            organisation=world.a.organisation, certificate=world.a.certificate, year=YEAR, title="明年公告"
        )
        with pytest.raises(ValidationError):
            announcement_publish(announcement=announcement, actor=reviewer)  # no round yet
        assert announcement_history(announcement) == []
        may_round(announcement)
        published = announcement_publish(announcement=announcement, actor=reviewer)
        with pytest.raises(ValidationError):
            announcement_publish(announcement=announcement, actor=reviewer)  # once only
        (line,) = announcement_history(announcement)
        event = line.entry
    assert event.action == "scheduling.announcement.published" and event.actor == reviewer
    assert event.at == published.published_at
    assert line.detail == "「明年公告」，共 1 个轮次：第一轮"
    assert (event.school_id, event.organisation_id) == (None, world.a.organisation.pk)


# --- the pages ---------------------------------------------------------------------------------


def test_the_batch_page_shows_the_move_newest_first(client, world, seated):
    b, first, second = seated
    seat = _first_seat(first)
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    response = client.post(reverse("exam_sites:seat_move", args=[first.pk]), {"seat": seat.pk, "target": second.pk})
    assert response.status_code == 302
    page = client.get(reverse("exam_sites:batch_detail", args=[b.pk])).content.decode()
    history = page.split('data-testid="history"')[1]
    moved = f"{seat.enrolment.person.name}：{YEAR}-03-02 09:00–11:00 一号机房 {seat.number} 号 → {YEAR}-03-02 13:00–15:00 一号机房 1 号"
    assert moved in history and "调整座位" in history and world.a.user(Role.SCHOOL_ADMIN).full_name in history
    assert history.index(moved) < history.index("本次分配 3 人")  # newest first
    client.force_login(world.a.user(Role.REVIEWER))  # the certificate's organisation reads the batch too
    assert moved in client.get(reverse("exam_sites:batch_detail", args=[b.pk])).content.decode()


def test_a_school_sees_who_published_an_announcement_it_may_read(client, world):
    announcement = world.a.objects["announcement"]
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    page = client.get(reverse("exam_sites:announcement_detail", args=[announcement.pk])).content.decode()
    history = page.split('data-testid="history"')[1]
    assert "公告发布" in history and world.a.user(Role.REVIEWER).full_name in history


def test_a_foreign_tenants_events_never_show(client, world, seated):
    b, _first, _second = seated

    def scheduling():
        return AuditEntry.objects.filter(action__startswith="scheduling.")

    with as_school(world.a):
        mine = list(scheduling())
        assert mine and {e.school_id for e in mine} == {world.a.school.pk}
        assert batch_history(world.b.objects["batch"]) == []
        assert announcement_history(world.b.objects["announcement"]) == []
    with as_org(world.b):
        assert batch_history(b) == []
        assert announcement_history(world.a.objects["announcement"]) == []
        assert set(scheduling().values_list("organisation_id", flat=True)) == {world.b.organisation.pk}
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    own = {
        reverse("exam_sites:batch_detail", args=[b.pk]): "本次分配 3 人",
        reverse("exam_sites:batch_detail", args=[world.a.objects["batch"].pk]): describe(
            world.a.objects["event:batch"]
        ).detail,
        reverse("exam_sites:announcement_detail", args=[world.a.objects["announcement"].pk]): describe(
            world.a.objects["event:announcement"]
        ).detail,
    }
    for url, expected in own.items():
        history = client.get(url).content.decode().split('data-testid="history"')[1]
        assert expected in history and world.b.marker not in history


def test_an_announcements_lines_are_the_organisations_and_a_batchs_both_sides(world):
    """The tenants of a line are those of its object: a publication is seen by the organisation only
    (schools read it through the announcement), a batch's lines by the school and the organisation."""
    with scopes_disabled():
        published = world.a.objects["event:announcement"]
        allocated = world.a.objects["event:batch"]
        assert published.content_type.model_class() is Announcement
        assert (published.school_id, published.organisation_id) == (None, world.a.organisation.pk)
        assert (allocated.school_id, allocated.organisation_id) == (world.a.school.pk, world.a.organisation.pk)
