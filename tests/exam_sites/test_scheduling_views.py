"""The scheduling pages: the organisation's announcement and rounds, the school's batch, sessions,
allocation and moves, and who sees which form."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.roles import Role
from exam_sites.models import Announcement, Batch, ExamSession, Round, Seat
from tests.exam_sites.scheduling_helpers import YEAR, announced_round, batch, candidates, d, room, session

pytestmark = pytest.mark.django_db


def test_a_reviewer_announces_adds_a_round_and_publishes_and_the_school_sees_it(client, world):
    client.force_login(world.a.user(Role.REVIEWER))
    response = client.post(
        reverse("exam_sites:announcement_new"),
        {"certificate": world.a.certificate.pk, "year": YEAR, "title": "明年鉴定公告", "body": "正文"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        announcement = Announcement.objects.get(certificate=world.a.certificate, year=YEAR)
    detail = reverse("exam_sites:announcement_detail", args=[announcement.pk])
    assert "发布公告" in client.get(detail).content.decode()
    round_data = {
        "name": "第一轮",
        "starts_on": f"{YEAR}-03-01",
        "ends_on": f"{YEAR}-03-31",
        "registration_closes_on": f"{YEAR}-04-01",
        "levels": ["elementary"],
    }
    refused = client.post(reverse("exam_sites:round_new", args=[announcement.pk]), round_data)
    assert refused.status_code == 400 and "不能晚于考核结束日期" in refused.content.decode()
    round_data["registration_closes_on"] = f"{YEAR}-02-20"
    assert client.post(reverse("exam_sites:round_new", args=[announcement.pk]), round_data).status_code == 302
    school = client.__class__()
    school.force_login(world.a.user(Role.SCHOOL_ADMIN))
    assert school.get(detail).status_code == 404  # not published yet: a school does not find it
    assert client.post(reverse("exam_sites:announcement_publish", args=[announcement.pk])).status_code == 302
    page = school.get(detail).content.decode()
    assert "明年鉴定公告" in page and "安排批次" in page
    assert "明年鉴定公告" in school.get(reverse("exam_sites:announcement_list")).content.decode()
    other = client.__class__()
    other.force_login(world.b.user(Role.SCHOOL_ADMIN))
    assert other.get(detail).status_code == 404  # school B does not pilot A's certificate


def test_a_school_admin_plans_a_batch_adds_sessions_allocates_and_moves(client, world):
    rnd = announced_round(world.a)
    candidates(world.a, {"23机电1": 4})
    extra = room(world.a, workstations=8, name="八座机房")
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    form_page = client.get(reverse("exam_sites:batch_new") + f"?round={rnd.pk}").content.decode()
    assert "熟悉场地日" in form_page
    response = client.post(
        reverse("exam_sites:batch_new"),
        {
            "round": rnd.pk,
            "pilot": world.a.objects["pilot"].pk,
            "site": world.a.objects["exam_site"].pk,
            "name": "网页批次",
            "familiarisation_on": f"{YEAR}-03-01",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        b = Batch.objects.get(name="网页批次")
    teacher = world.a.user(Role.TEACHER)
    add = reverse("exam_sites:session_new", args=[b.pk])
    session_data = {
        "room": extra.pk,
        "date": f"{YEAR}-03-02",
        "starts_at": "09:00",
        "ends_at": "11:00",
        "seats": "9",
        "invigilator": teacher.pk,
    }
    refused = client.post(add, session_data)
    assert refused.status_code == 400
    assert "八座机房" in refused.content.decode() and "8 个工位" in refused.content.decode()
    session_data["seats"] = "3"
    assert client.post(add, session_data).status_code == 302
    assert client.post(add, {**session_data, "starts_at": "13:00", "ends_at": "15:00"}).status_code == 302
    assert client.post(reverse("exam_sites:batch_allocate", args=[b.pk]), {}).status_code == 400
    response = client.post(reverse("exam_sites:batch_allocate", args=[b.pk]), {"mode": "fill"}, follow=True)
    page = response.content.decode()
    assert "本次分配 5 人" in page and "未能分配 0 人" in page
    with scopes_disabled():
        first, second = ExamSession.objects.filter(batch=b).order_by("starts_at")
        seat = Seat.objects.filter(session=first).order_by("number").first()
    refused = client.post(
        reverse("exam_sites:seat_move", args=[first.pk]), {"seat": seat.pk, "target": second.pk, "number": "9"}
    )
    assert refused.status_code == 400 and "1 到 3 之间" in refused.content.decode()
    # 23机电1 (4) does not fit 3 seats whole: 3 in the first session, 1 and the world's student in the second
    moved = client.post(reverse("exam_sites:seat_move", args=[first.pk]), {"seat": seat.pk, "target": second.pk})
    assert moved.status_code == 302
    with scopes_disabled():
        assert Seat.objects.get(pk=seat.pk).session_id == second.pk
        assert Seat.objects.filter(session=second).count() == 3
    detail = client.get(reverse("exam_sites:batch_detail", args=[b.pk])).content.decode()
    assert f"{YEAR}-03-01" in detail and "自动分配座位" in detail


def test_teachers_and_reviewers_read_the_batch_without_the_forms(client, world):
    b = batch(world.a, announced_round(world.a))
    session(b, room(world.a), d(3, 2), "09:00", "11:00", 5, world.a.user(Role.TEACHER))
    for role in (Role.TEACHER, Role.REVIEWER):
        client.force_login(world.a.user(role))
        page = client.get(reverse("exam_sites:batch_detail", args=[b.pk])).content.decode()
        assert "测试批次" in page and "添加场次" not in page and "自动分配座位" not in page
        client.logout()


def test_the_admin_assigns_teachers_to_a_batch(client, world):
    b = batch(world.a, announced_round(world.a))
    teacher = world.a.user(Role.TEACHER)
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    url = reverse("exam_sites:batch_edit", args=[b.pk])
    page = client.get(url).content.decode()
    assert teacher.full_name in page and world.b.user(Role.TEACHER).full_name not in page
    response = client.post(url, {"name": "改名批次", "familiarisation_on": f"{YEAR}-03-01", "teachers": [teacher.pk]})
    assert response.status_code == 302
    with scopes_disabled():
        saved = Batch.objects.get(pk=b.pk)
        assert saved.name == "改名批次" and list(saved.teachers.all()) == [teacher]
    foreign = client.post(url, {"name": "x", "teachers": [world.b.user(Role.TEACHER).pk]})
    assert foreign.status_code == 400  # not a choice of this school


def test_rounds_of_the_world_are_listed_for_their_owner_only(client, world):
    client.force_login(world.b.user(Role.REVIEWER))
    page = client.get(reverse("exam_sites:announcement_list")).content.decode()
    with scopes_disabled():
        a_title = Announcement.objects.get(pk=world.a.objects["announcement"].pk).title
        assert Round.objects.filter(announcement__organisation=world.b.organisation).exists()
    assert a_title not in page
