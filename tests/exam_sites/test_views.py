"""The pages: the school's form with its formsets, submission, the reviewer's queue and decisions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.roles import Role
from exam_sites.models import SiteApplication
from exam_sites.services.applications import application_submit
from tests.exam_sites.helpers import as_school, draft, fresh, new_certificate

pytestmark = pytest.mark.django_db
S = SiteApplication.Status


def form_post(application: SiteApplication, **changes) -> dict[str, str]:
    """What the edit page posts for a complete application."""
    data = {
        "version": str(application.version),
        "unit_name": "网页填写的学校",
        "address": "网页路 9 号",
        "is_pilot_school": "on",
        "kind": "exam_site",
        "levels": ["elementary", "intermediate"],
        "daily_max": "40",
        "expected_candidates": "25",
        "sessions_per_day": "2",
        "profile": "简介",
        "computers": "50 台",
        "software": "中望CAD 40套",
        "network": "千兆",
        "organisation_text": "领导小组",
        "exam_team": "考评员 4 人",
        "rules": "制度",
        "mechanism": "机制",
        "lead_school_name": "",
        "contacts-TOTAL_FORMS": "3",
        "contacts-INITIAL_FORMS": "3",
        "contacts-MIN_NUM_FORMS": "3",
        "contacts-MAX_NUM_FORMS": "3",
        "rooms-TOTAL_FORMS": "3",
        "rooms-INITIAL_FORMS": "0",
        "rooms-MIN_NUM_FORMS": "0",
        "rooms-MAX_NUM_FORMS": "50",
        "rooms-0-name": "A101",
        "rooms-0-area": "90",
        "rooms-0-workstations": "20",
        "rooms-1-name": "",
        "rooms-2-name": "",
        "partners-TOTAL_FORMS": "1",
        "partners-INITIAL_FORMS": "0",
        "partners-MIN_NUM_FORMS": "0",
        "partners-MAX_NUM_FORMS": "20",
    }
    for i in range(3):
        data.update(
            {
                f"contacts-{i}-name": f"网页联系人{i}",
                f"contacts-{i}-title": "主任",
                f"contacts-{i}-mobile": "13900000000",
                f"contacts-{i}-email": f"w{i}@example.edu.cn",
            }
        )
    data.update(changes)
    return data


def test_a_school_admin_creates_fills_and_submits_an_application(client, world):
    certificate = new_certificate(world.a)
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    assert client.get(reverse("exam_sites:application_list")).status_code == 200
    response = client.post(reverse("exam_sites:application_new"), {"certificate": certificate.pk, "kind": "exam_site"})
    assert response.status_code == 302
    edit_url = response["Location"]
    page = client.get(edit_url)
    assert page.status_code == 200
    content = page.content.decode()
    assert world.a.school.address in content  # prefilled from the school's record
    assert "<script>" not in content and "onclick" not in content
    application = page.context["application"]

    response = client.post(edit_url, form_post(application))
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = fresh(application)
    assert saved.unit_name == "网页填写的学校" and saved.levels == ["elementary", "intermediate"]
    assert saved.status == S.DRAFT and saved.version == 2
    with as_school(world.a):
        assert list(saved.rooms.values_list("name", "workstations")) == [("A101", 20)]
        assert sorted(saved.contacts.values_list("role", "name")) == [
            ("daily", "网页联系人1"),
            ("lead", "网页联系人0"),
            ("platform", "网页联系人2"),
        ]

    response = client.post(edit_url, form_post(saved, submit="1"))
    assert response.status_code == 302
    assert fresh(application).status == S.SUBMITTED
    detail = client.get(response["Location"]).content.decode()
    assert "已提交" in detail and "A101" in detail
    # Read-only after submission: the edit page sends the school back to the detail page.
    response = client.get(edit_url)
    assert response.status_code == 302 and "/edit/" not in response["Location"]
    response = client.post(edit_url, form_post(fresh(application), unit_name="改名"))
    assert response.status_code == 302 and fresh(application).unit_name == "网页填写的学校"


def test_the_form_refuses_bad_numbers_and_a_stale_version(client, world):
    application = draft(world.a, new_certificate(world.a))
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    url = reverse("exam_sites:application_edit", args=[application.pk])
    response = client.post(url, form_post(application, **{"rooms-0-area": "0", "rooms-0-workstations": "-1"}))
    assert response.status_code == 400
    assert "面积必须大于 0" in response.content.decode() and "工位数必须大于 0" in response.content.decode()
    stale = form_post(application, version=str(application.version - 1), unit_name="旧标签页")
    response = client.post(url, stale)
    page = response.content.decode()
    assert response.status_code == 400 and "在您打开此页之后" in page and "您的修改尚未保存" in page
    assert fresh(application).unit_name == "测试职业学校"
    # The page shows the user's own input again, now against the current version: saving once more
    # is a decision taken after reading what the other saved.
    assert "旧标签页" in page and f'name="version" value="{fresh(application).version}"' in page
    response = client.post(url, {**stale, "version": str(fresh(application).version)})
    assert response.status_code == 302 and fresh(application).unit_name == "旧标签页"


def test_submitting_too_early_saves_the_draft_and_says_what_is_missing(client, world):
    application = draft(world.a, new_certificate(world.a))
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    url = reverse("exam_sites:application_edit", args=[application.pk])
    response = client.post(url, form_post(application, daily_max="500", submit="1"), follow=True)
    content = response.content.decode()
    assert "草稿已保存，但还不能提交" in content and "超过了场地工位数合计" in content
    assert fresh(application).status == S.DRAFT and fresh(application).daily_max == 500


def test_a_teacher_reads_but_cannot_edit_or_submit(client, world):
    application = draft(world.a, new_certificate(world.a))
    client.force_login(world.a.user(Role.TEACHER))
    page = client.get(reverse("exam_sites:application_detail", args=[application.pk]))
    assert page.status_code == 200 and "提交申报" not in page.content.decode()
    assert client.get(reverse("exam_sites:application_edit", args=[application.pk])).status_code == 403
    assert client.post(reverse("exam_sites:application_submit", args=[application.pk])).status_code == 403


def _submitted(world) -> SiteApplication:
    application = draft(world.a, new_certificate(world.a))
    with as_school(world.a):
        return application_submit(
            application=application, actor=world.a.user(Role.SCHOOL_ADMIN), version=application.version
        )


def test_a_school_cannot_approve_its_own_application(client, world):
    application = _submitted(world)
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    url = reverse("exam_sites:application_decide", args=[application.pk])
    assert client.post(url, {"action": "approve", "version": application.version}).status_code == 403
    assert fresh(application).status == S.SUBMITTED


def test_the_reviewer_queue_filters_and_decides(client, world):
    application = _submitted(world)
    hidden = draft(world.a, new_certificate(world.a))
    client.force_login(world.a.user(Role.REVIEWER))
    queue = client.get(reverse("exam_sites:queue")).content.decode()
    assert reverse("exam_sites:application_detail", args=[application.pk]) in queue
    assert reverse("exam_sites:application_detail", args=[hidden.pk]) not in queue
    filtered = client.get(reverse("exam_sites:queue"), {"status": "approved"}).content.decode()
    assert reverse("exam_sites:application_detail", args=[application.pk]) not in filtered
    by_certificate = client.get(reverse("exam_sites:queue"), {"status": "", "certificate": application.certificate_id})
    assert list(by_certificate.context["applications"]) == [application]
    assert client.get(reverse("exam_sites:application_detail", args=[hidden.pk])).status_code == 404

    url = reverse("exam_sites:application_decide", args=[application.pk])
    response = client.post(url, {"action": "return", "comment": "", "version": application.version})
    assert response.status_code == 400 and "必须填写修改意见" in response.content.decode()
    response = client.post(url, {"action": "return", "comment": "请补充考务团队", "version": application.version})
    assert response.status_code == 302 and fresh(application).status == S.RETURNED
    detail = client.get(response["Location"]).content.decode()
    assert "请补充考务团队" in detail and "退回修改" in detail

    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    school_view = client.get(reverse("exam_sites:application_detail", args=[application.pk])).content.decode()
    assert "请补充考务团队" in school_view
    home = client.get(reverse("home")).content.decode()
    assert "最近的考点申报动态" in home and "退回修改" in home


def test_an_approved_site_is_listed_for_school_and_organisation(client, world):
    application = _submitted(world)
    client.force_login(world.a.user(Role.REVIEWER))
    url = reverse("exam_sites:application_decide", args=[application.pk])
    assert client.post(url, {"action": "approve", "version": application.version}).status_code == 302
    for role in (Role.SCHOOL_ADMIN, Role.REVIEWER):
        client.force_login(world.a.user(role))
        sites = client.get(reverse("exam_sites:site_list")).content.decode()
        assert application.certificate.name in sites
    client.force_login(world.b.user(Role.REVIEWER))
    assert application.certificate.name not in client.get(reverse("exam_sites:site_list")).content.decode()


def test_a_nearly_empty_draft_can_be_saved(client, world):
    application = draft(world.a, new_certificate(world.a))
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    blank = {k: "" for k in form_post(application) if not k.endswith("FORMS")}
    data = {
        **form_post(application),
        **blank,
        "version": str(application.version),
        "sessions_per_day": "1",
        "kind": "exam_site",
    }
    data.pop("levels")
    response = client.post(reverse("exam_sites:application_edit", args=[application.pk]), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    saved = fresh(application)
    assert saved.unit_name == "" and saved.daily_max is None
    with as_school(world.a):
        assert saved.rooms.count() == 0 and saved.contacts.filter(name="").count() == 3


def test_a_stale_decision_is_refused_with_what_was_saved_and_can_be_taken_again(client, world):
    application = _submitted(world)
    seen = application.version  # the submission made this version; the reviewer posts from a page one older
    client.force_login(world.a.user(Role.REVIEWER))
    url = reverse("exam_sites:application_decide", args=[application.pk])
    response = client.post(url, {"action": "return", "comment": "请补充", "version": seen - 1})
    page = response.content.decode()
    assert response.status_code == 400 and "在您打开此页之后" in page and "草稿 → 已提交" in page
    assert world.a.user(Role.SCHOOL_ADMIN).full_name in page and "您的审批尚未生效" in page
    assert fresh(application).status == S.SUBMITTED and fresh(application).version == seen
    assert f'name="version" value="{seen}"' in page  # the decision again, against the current version
    response = client.post(url, {"action": "return", "comment": "请补充", "version": seen})
    assert response.status_code == 302 and fresh(application).status == S.RETURNED
