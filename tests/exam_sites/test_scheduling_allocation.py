"""Seat allocation: the pure function (property-style over random classes and capacities), the
service that applies it in one transaction, and moving one candidate by hand."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.roles import Role
from exam_sites.models import Batch, ExamSession, ExamSite, Seat
from exam_sites.services.allocation import DAILY_MAX, NO_SESSIONS, SEATS_FULL, Candidate, Slot, allocate
from exam_sites.services.seats import seat_move, seats_allocate
from tests.exam_sites.helpers import as_school
from tests.exam_sites.scheduling_helpers import announced_round, batch, candidates, d, room, session

# --- the pure function -------------------------------------------------------------------------

MONDAY = date(2030, 3, 4)


def random_case(rng: random.Random):
    classes = rng.randint(0, 6)
    people = []
    for c in range(classes):
        people += [Candidate(id=f"c{c}-{i}", group=f"class{c}") for i in range(rng.randint(1, 25))]
    people += [Candidate(id=f"t{i}", group=None) for i in range(rng.randint(0, 5))]
    rng.shuffle(people)
    slots = []
    for n in range(rng.randint(0, 6)):
        seats = rng.randint(1, 30)
        taken = frozenset(rng.sample(range(1, seats + 1), rng.randint(0, seats // 3)))
        slots.append(
            Slot(
                id=f"s{n}",
                day=MONDAY + timedelta(days=rng.randint(0, 2)),
                starts_at=time(rng.choice([8, 10, 13, 15]), 0),
                seats=seats,
                taken=taken,
            )
        )
    days = {s.day for s in slots}
    capacity = {day: rng.randint(0, 60) for day in days}
    return people, slots, capacity


@pytest.mark.parametrize("seed", range(300))
def test_allocation_properties_hold_for_random_classes_and_capacities(seed):
    rng = random.Random(seed)
    people, slots, capacity = random_case(rng)
    result = allocate(people, slots, capacity)
    by_id = {s.id: s for s in slots}

    placed = [p.candidate for p in result.placements]
    unplaced = [u.candidate for u in result.unplaced]
    # nobody twice, and everyone either placed or told why not
    assert len(placed) == len(set(placed))
    assert not set(placed) & set(unplaced)
    assert set(placed) | set(unplaced) == {p.id for p in people}
    assert all(u.reason in (NO_SESSIONS, SEATS_FULL, DAILY_MAX) for u in result.unplaced)
    # one seat each: no double seat, numbers within the session and never one already taken
    seats = [(p.session, p.number) for p in result.placements]
    assert len(seats) == len(set(seats))
    for p in result.placements:
        slot = by_id[p.session]
        assert 1 <= p.number <= slot.seats and p.number not in slot.taken
    # every session and every day within capacity
    per_session = Counter(p.session for p in result.placements)
    per_day = Counter(by_id[p.session].day for p in result.placements)
    for slot_id, count in per_session.items():
        assert count <= by_id[slot_id].free
    for day, count in per_day.items():
        assert count <= capacity[day]
    # nobody is left out while a seat on a day with room is still free
    if result.unplaced:
        for slot in slots:
            left_in_slot = slot.free - per_session[slot.id]
            left_on_day = capacity[slot.day] - per_day[slot.day]
            assert left_in_slot <= 0 or left_on_day <= 0
    # the reason is true
    for u in result.unplaced:
        if u.reason == NO_SESSIONS:
            assert not slots
        elif u.reason == SEATS_FULL:
            assert all(s.free - per_session[s.id] == 0 for s in slots)
        else:
            assert any(s.free - per_session[s.id] > 0 for s in slots)


@pytest.mark.parametrize("seed", range(200))
def test_a_class_that_fits_in_a_session_stays_together_when_it_comes_first(seed):
    rng = random.Random(1000 + seed)
    people, slots, capacity = random_case(rng)
    result = allocate(people, slots, capacity)
    sizes = Counter(p.group for p in people if p.group is not None)
    if not sizes:
        return
    biggest = max(sizes.values())
    first_class = next(g for g, n in sizes.items() if n == biggest)  # the largest class is placed first
    fits_whole = any(min(s.free, capacity[s.day]) >= biggest for s in slots)
    group_of = {c.id: c.group for c in people}
    sessions_of_class = {p.session for p in result.placements if group_of[p.candidate] == first_class}
    if fits_whole:
        assert len(sessions_of_class) == 1


def test_classes_stay_together_in_date_order_and_the_rest_spreads():
    people = [Candidate(f"a{i}", "A") for i in range(8)] + [Candidate(f"b{i}", "B") for i in range(5)]
    people += [Candidate("t1", None)]
    slots = [
        Slot("late", MONDAY, time(13), seats=10),
        Slot("early", MONDAY, time(8), seats=6),
        Slot("tuesday", MONDAY + timedelta(days=1), time(8), seats=10),
    ]
    result = allocate(people, slots, {MONDAY: 100, MONDAY + timedelta(days=1): 100})
    where = {p.candidate: p.session for p in result.placements}
    assert {where[f"a{i}"] for i in range(8)} == {"late"}  # 8 do not fit the 6 of "early"
    assert {where[f"b{i}"] for i in range(5)} == {"early"}  # earliest session that fits
    assert where["t1"] == "early"
    assert not result.unplaced
    numbers = sorted(p.number for p in result.placements if p.session == "early")
    assert numbers == [1, 2, 3, 4, 5, 6]


def test_unplaced_candidates_are_told_why():
    people = [Candidate(f"p{i}", "A") for i in range(5)]
    assert {u.reason for u in allocate(people, [], {}).unplaced} == {NO_SESSIONS}
    full = allocate(people, [Slot("s", MONDAY, time(8), seats=3)], {MONDAY: 10})
    assert len(full.placements) == 3 and {u.reason for u in full.unplaced} == {SEATS_FULL}
    capped = allocate(people, [Slot("s", MONDAY, time(8), seats=10)], {MONDAY: 2})
    assert len(capped.placements) == 2 and {u.reason for u in capped.unplaced} == {DAILY_MAX}


def test_taken_numbers_are_skipped_and_repeated_candidates_placed_once():
    slot = Slot("s", MONDAY, time(8), seats=4, taken=frozenset({1, 3}))
    result = allocate([Candidate("x", "A"), Candidate("x", "A"), Candidate("y", "A")], [slot], {MONDAY: 9})
    assert sorted((p.candidate, p.number) for p in result.placements) == [("x", 2), ("y", 4)]


# --- the service -------------------------------------------------------------------------------


@pytest.fixture
def scheduled(world, db):
    """Side A: a batch in next year's round with two sessions on 2 March (10 + 10 seats) and one on
    3 March (20 seats); the site may take 20 a day. Candidates: 20数控a (the world's 1 student)."""
    rnd = announced_round(world.a)
    b = batch(world.a, rnd)
    teacher = world.a.user(Role.TEACHER)
    r1, r2 = room(world.a, workstations=10, name="一号机房"), room(world.a, workstations=20, name="二号机房")
    s1 = session(b, r1, d(3, 2), "09:00", "11:00", 10, teacher)
    s2 = session(b, r1, d(3, 2), "13:00", "15:00", 10, teacher)
    s3 = session(b, r2, d(3, 3), "09:00", "11:00", 20, teacher)
    return b, (s1, s2, s3)


pytest_db = pytest.mark.django_db


def _allocate(side, b, **kw):
    with as_school(side):
        return seats_allocate(batch=Batch.objects.get(pk=b.pk), actor=side.user(Role.SCHOOL_ADMIN), **kw)


def _seats(b):
    with scopes_disabled():
        return list(Seat.objects.filter(batch=b).select_related("session", "enrolment__person__school_class"))


@pytest_db
def test_allocation_seats_everyone_class_by_class_within_each_day(world, scheduled):
    b, (s1, s2, s3) = scheduled
    candidates(world.a, {"23机电1": 9, "23机电2": 12, None: 2})
    report = _allocate(world.a, b)
    assert report.placed == 24 and not report.unplaced and report.already_seated == 0
    seats = _seats(b)
    by_class = defaultdict(set)
    for seat in seats:
        cls = seat.enrolment.person.school_class
        by_class[cls.code if cls else None].add(seat.session_id)
    assert by_class["23机电2"] == {s3.pk}  # 12 fit only in the 20-seat session
    assert by_class["23机电1"] == {s1.pk}  # 9 fit in the first session of the first day
    per_day = Counter(seat.session.date for seat in seats)
    assert all(count <= 20 for count in per_day.values())
    assert len({(seat.session_id, seat.number) for seat in seats}) == len(seats)
    assert len({seat.enrolment_id for seat in seats}) == len(seats)


@pytest_db
def test_allocation_reports_who_could_not_be_placed_and_why(world, scheduled):
    b, _sessions = scheduled
    with scopes_disabled():
        ExamSite.objects.filter(pk=b.site_id).update(daily_max=12)
    candidates(world.a, {"23机电1": 30})
    report = _allocate(world.a, b)
    assert report.placed == 24  # 12 a day on two days
    assert len(report.unplaced) == 31 - 24
    assert all("每天最大考核量（12 人）" in reason for _e, reason in report.unplaced)


@pytest_db
def test_the_daily_maximum_counts_other_batches_at_the_site(world, scheduled):
    b, (s1, _s2, _s3) = scheduled
    other = batch(world.a, b.round, name="同日另一批次")
    busy = session(other, room(world.a, workstations=20), d(3, 2), "15:30", "17:00", 20, world.a.user(Role.TEACHER))
    early = candidates(world.a, {"先到班": 15})
    with scopes_disabled():
        for number, enrolment in enumerate(early, start=1):
            Seat.objects.create(batch=other, session=busy, enrolment=enrolment, number=number)
    report = _allocate(world.a, b)  # only the world's student and the 15 (already in another batch)
    with scopes_disabled():
        monday = Seat.objects.filter(session__date=d(3, 2), session__batch__site_id=b.site_id).count()
    assert monday <= 20 and report.placed == 16 and not report.unplaced


@pytest_db
def test_allocation_keeps_existing_seats_unless_asked_to_start_again(world, scheduled):
    b, (s1, _s2, s3) = scheduled
    candidates(world.a, {"23机电1": 5})
    _allocate(world.a, b)
    first = {seat.enrolment_id: (seat.session_id, seat.number) for seat in _seats(b)}
    more = candidates(world.a, {"23机电3": 3})
    report = _allocate(world.a, b)
    assert report.placed == 3 and report.already_seated == 6
    after = {seat.enrolment_id: (seat.session_id, seat.number) for seat in _seats(b)}
    assert all(after[k] == v for k, v in first.items()) and all(e.pk in after for e in more)
    report = _allocate(world.a, b, reset=True)
    assert report.placed == 9 and report.already_seated == 0 and len(_seats(b)) == 9


def _move(side, seat, target, number=None):
    with as_school(side):
        return seat_move(
            seat=Seat.objects.select_related("batch").get(pk=seat.pk),
            session=ExamSession.objects.get(pk=target.pk),
            actor=side.user(Role.SCHOOL_ADMIN),
            number=number,
        )


@pytest_db
def test_a_candidate_is_moved_by_hand_to_a_free_seat(world, scheduled):
    b, (s1, s2, _s3) = scheduled
    candidates(world.a, {"23机电1": 3})
    _allocate(world.a, b)
    seat = next(s for s in _seats(b) if s.session_id == s1.pk)
    moved = _move(world.a, seat, s2, number=7)
    assert moved.session_id == s2.pk and moved.number == 7
    moved = _move(world.a, moved, s2)  # same session, no number given: the lowest free seat
    assert moved.number == 1


@pytest_db
def test_a_move_follows_the_same_rules(world, scheduled):
    b, (s1, s2, s3) = scheduled
    candidates(world.a, {"满班": 9})  # 10 with the world's student: s1 full
    _allocate(world.a, b)
    seats = _seats(b)
    assert {s.session_id for s in seats} == {s1.pk}
    with scopes_disabled():
        ExamSession.objects.filter(pk=s2.pk).update(seats=1)
    victim = seats[0]
    _move(world.a, victim, s2)
    second = seats[1]
    with pytest.raises(ValidationError) as exc:
        _move(world.a, second, s2)
    assert "已满" in " ".join(exc.value.messages) and "1 个座位" in " ".join(exc.value.messages)
    with pytest.raises(ValidationError) as exc:
        _move(world.a, second, s1, number=11)
    assert "1 到 10 之间" in " ".join(exc.value.messages)
    holder = next(s for s in _seats(b) if s.session_id == s1.pk and s.pk != second.pk)
    with pytest.raises(ValidationError) as exc:
        _move(world.a, second, s1, number=holder.number)
    assert f"{holder.number} 号座位已由 {holder.enrolment.person.name} 使用" in " ".join(exc.value.messages)
    with scopes_disabled():
        ExamSite.objects.filter(pk=b.site_id).update(daily_max=10)
        extra = candidates(world.a, {"周二班": 10})
        for number, enrolment in enumerate(extra, start=1):
            Seat.objects.create(batch=b, session=s3, enrolment=enrolment, number=number)
    with pytest.raises(ValidationError) as exc:
        _move(world.a, second, s3)
    text = " ".join(exc.value.messages)
    assert "已安排 10 人" in text and "每天最大考核量 10 人" in text


@pytest_db
def test_a_seat_cannot_move_to_another_batch(world, scheduled):
    b, (s1, _s2, _s3) = scheduled
    _allocate(world.a, b)
    other = batch(world.a, b.round, name="别的批次")
    foreign = session(other, room(world.a), d(3, 4), "09:00", "10:00", 5, world.a.user(Role.TEACHER))
    with pytest.raises(ValidationError) as exc:
        _move(world.a, _seats(b)[0], foreign)
    assert "本批次" in " ".join(exc.value.messages)


@pytest_db
def test_starting_the_seating_again_is_refused_once_results_are_entered(world, scheduled, client):
    from certificates.services.results import result_save, result_sheet_for_batch

    b, _sessions = scheduled
    candidates(world.a, {"23机电1": 4})
    _allocate(world.a, b)
    before = {seat.pk: (seat.session_id, seat.number) for seat in _seats(b)}
    admin = world.a.user(Role.SCHOOL_ADMIN)
    with as_school(world.a):
        sheet = result_sheet_for_batch(batch=Batch.objects.get(pk=b.pk), actor=admin)
        result_save(seat=next(iter(before)), sheet=sheet, absent=True, actor=admin, version=0)

    client.force_login(admin)
    response = client.post(
        reverse("exam_sites:batch_allocate", kwargs={"batch_id": b.pk}), {"mode": "reset"}, follow=True
    )
    assert response.status_code == 200
    assert "已有 1 名考生录入了成绩，不能重新排座" in response.content.decode()
    assert {seat.pk: (seat.session_id, seat.number) for seat in _seats(b)} == before
