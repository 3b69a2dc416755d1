"""The application's workflow in the services: every transition and every illegal one."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.roles import Role
from core.audit import entries_for
from exam_sites.history import APPLICATION_STEPS
from exam_sites.models import ExamSite, GuidanceCentre, SiteApplication, SiteRoom
from exam_sites.selectors.applications import application_get, recent_events, review_queue
from exam_sites.services.applications import (
    application_approve,
    application_create,
    application_reject,
    application_return,
    application_submit,
    application_update,
    submission_problems,
)
from tests.exam_sites.helpers import as_org, as_school, draft, fresh, full_form, new_certificate

pytestmark = pytest.mark.django_db
S = SiteApplication.Status


def submitted(world, certificate=None, **form):
    certificate = certificate or new_certificate(world.a)
    application = draft(world.a, certificate, **form)
    with as_school(world.a):
        return application_submit(
            application=application, actor=world.a.user(Role.SCHOOL_ADMIN), version=application.version
        )


def history(application):
    """The application's changes of status in the audit log: (from, to, who, comment)."""
    with scopes_disabled():
        return [
            (line.data["from"], line.data["to"], line.actor.username, line.data["comment"])
            for line in entries_for(application).filter(action__in=APPLICATION_STEPS).order_by("at", "id")
        ]


def test_a_new_application_is_prefilled_from_the_schools_record(world):
    certificate = new_certificate(world.a)
    with as_school(world.a):
        application = application_create(
            school=world.a.school, certificate=certificate, actor=world.a.user(Role.SCHOOL_ADMIN)
        )
        assert application.contacts.count() == 3
    assert application.unit_name == world.a.school.name
    assert application.address == world.a.school.address
    assert application.profile == world.a.school.profile
    assert application.is_pilot_school == world.a.school.is_pilot_school
    assert application.status == S.DRAFT and application.version == 1
    assert history(application) == [("", S.DRAFT, "a_admin", "")]


def test_a_draft_saves_without_the_required_fields_and_submission_lists_them(world):
    certificate = new_certificate(world.a)
    admin = world.a.user(Role.SCHOOL_ADMIN)
    with as_school(world.a):
        application = application_create(school=world.a.school, certificate=certificate, actor=admin)
        application = application_update(
            application=application,
            actor=admin,
            version=1,
            fields={"unit_name": "", "profile": "", "daily_max": None},
            contacts={},
            rooms=[],
            partners=[],
        )
        assert application.version == 2
        problems = submission_problems(application)
        with pytest.raises(ValidationError) as refused:
            application_submit(application=application, actor=admin, version=application.version)
    text = " ".join(refused.value.messages)
    for expected in (
        "单位名称",
        "申报考核等级",
        "每天最大考核量",
        "考点负责人",
        "考核工作日常联系人",
        "考试服务平台管理员",
        "单位简介",
        "考核场地",
        "工作机制",
    ):
        assert expected in text, expected
    assert refused.value.messages == problems
    assert fresh(application).status == S.DRAFT


def test_it_refuses_a_daily_maximum_above_the_workstations_times_the_sessions(world):
    application = draft(world.a, new_certificate(world.a), fields={"daily_max": 61, "sessions_per_day": 2})
    with as_school(world.a), pytest.raises(ValidationError) as refused:  # rooms: 20 + 10 workstations × 2 = 60
        application_submit(application=application, actor=world.a.user(Role.SCHOOL_ADMIN), version=application.version)
    assert "超过了场地工位数合计 × 每天场次 = 60" in " ".join(refused.value.messages)
    ok = draft(world.a, new_certificate(world.a), fields={"daily_max": 60, "sessions_per_day": 2})
    with as_school(world.a):
        assert (
            application_submit(application=ok, actor=world.a.user(Role.SCHOOL_ADMIN), version=ok.version).status
            == S.SUBMITTED
        )


def test_room_area_and_workstations_must_be_positive(world):
    application = draft(world.a, new_certificate(world.a))
    admin = world.a.user(Role.SCHOOL_ADMIN)
    for room in (
        {"name": "零面积", "area": Decimal("0"), "workstations": 5},
        {"name": "零工位", "area": Decimal("5"), "workstations": 0},
    ):
        data = full_form(rooms=[room])
        with as_school(world.a), pytest.raises(ValidationError):
            application_update(application=application, actor=admin, version=fresh(application).version, **data)
    with scopes_disabled(), pytest.raises(IntegrityError), transaction.atomic():
        SiteRoom.objects.create(application=application, name="x", area=Decimal("-1"), workstations=1)


def test_expected_candidates_are_required_on_submission(world):
    application = draft(world.a, new_certificate(world.a), fields={"expected_candidates": None})
    with as_school(world.a), pytest.raises(ValidationError) as refused:
        application_submit(application=application, actor=world.a.user(Role.SCHOOL_ADMIN), version=application.version)
    assert "预计考核人数" in " ".join(refused.value.messages)


def test_approval_makes_an_exam_site_with_the_daily_maximum_and_the_rooms(world):
    application = submitted(world)
    reviewer = world.a.user(Role.REVIEWER)
    with as_org(world.a):
        application = application_approve(
            application=application, actor=reviewer, version=application.version, comment="同意"
        )
        site = ExamSite.objects.get(application=application)
        rooms = list(site.rooms.order_by("id").values_list("name", "area", "workstations"))
    assert application.status == S.APPROVED and application.decided_by == reviewer and application.decided_at
    assert site.daily_max == 60 and site.school == world.a.school and site.levels == ["elementary", "advanced"]
    assert rooms == [("301 机房", Decimal("120.50"), 20), ("302 机房", Decimal("100.00"), 10)]
    assert history(application)[1:] == [
        (S.DRAFT, S.SUBMITTED, "a_admin", ""),
        (S.SUBMITTED, S.APPROVED, "a_reviewer", "同意"),
    ]
    with as_school(world.a):
        assert GuidanceCentre.objects.filter(application=application).count() == 0


def test_an_approved_guidance_centre_marks_the_school_and_creates_no_capacity(world):
    certificate = new_certificate(world.a)
    application = draft(world.a, certificate, kind=SiteApplication.Kind.GUIDANCE_CENTRE)
    with as_school(world.a):
        application = application_submit(
            application=application, actor=world.a.user(Role.SCHOOL_ADMIN), version=application.version
        )
    with as_org(world.a):
        application_approve(application=application, actor=world.a.user(Role.REVIEWER))
        assert GuidanceCentre.objects.filter(school=world.a.school, certificate=certificate).exists()
        assert not ExamSite.objects.filter(certificate=certificate).exists()


def test_a_return_needs_a_comment_and_the_school_fixes_and_resubmits(world):
    application = submitted(world)
    reviewer, admin = world.a.user(Role.REVIEWER), world.a.user(Role.SCHOOL_ADMIN)
    with as_org(world.a):
        for comment in ("", "   "):
            with pytest.raises(ValidationError, match="必须填写修改意见"):
                application_return(application=application, actor=reviewer, comment=comment)
        application = application_return(application=application, actor=reviewer, comment="请补充网络情况")
    assert application.status == S.RETURNED and application.review_comment == "请补充网络情况"
    with as_school(world.a):
        data = full_form(fields={"network": "千兆局域网，双线路"})
        application = application_update(application=application, actor=admin, version=application.version, **data)
        assert application.status == S.RETURNED  # editable again, still marked as returned
        application = application_submit(application=application, actor=admin, version=application.version)
    with as_org(world.a):
        application = application_approve(application=application, actor=reviewer)
    assert [row[:2] for row in history(application)] == [
        ("", S.DRAFT),
        (S.DRAFT, S.SUBMITTED),
        (S.SUBMITTED, S.RETURNED),
        (S.RETURNED, S.SUBMITTED),
        (S.SUBMITTED, S.APPROVED),
    ]


def test_a_rejection_needs_a_reason_and_is_final(world):
    application = submitted(world)
    reviewer, admin = world.a.user(Role.REVIEWER), world.a.user(Role.SCHOOL_ADMIN)
    with as_org(world.a):
        with pytest.raises(ValidationError, match="必须填写理由"):
            application_reject(application=application, actor=reviewer, comment="")
        application = application_reject(application=application, actor=reviewer, comment="场地不符合要求")
        with pytest.raises(ValidationError, match="只能审批已提交的申报"):
            application_approve(application=application, actor=reviewer)
    with as_school(world.a):
        with pytest.raises(ValidationError, match="不能修改"):
            application_update(application=application, actor=admin, version=application.version, **full_form())
        with pytest.raises(ValidationError, match="不能提交"):
            application_submit(application=application, actor=admin, version=application.version)
    assert fresh(application).status == S.REJECTED


def test_approving_a_draft_is_refused(world):
    application = draft(world.a, new_certificate(world.a))
    with as_school(world.a), pytest.raises(ValidationError, match="只能审批已提交的申报"):
        # The reviewer cannot even find a draft (see the selector test); the service refuses anyway.
        application_approve(application=application, actor=world.a.user(Role.REVIEWER))
    assert fresh(application).status == S.DRAFT


def test_a_school_admin_cannot_approve_its_own_application(world):
    application = submitted(world)
    with as_school(world.a):
        for decide in (application_approve, application_return, application_reject):
            with pytest.raises(ValidationError, match="只有该证书所属培训评价组织的审核员"):
                decide(application=application, actor=world.a.user(Role.SCHOOL_ADMIN), comment="自己批准")
    assert fresh(application).status == S.SUBMITTED


def test_a_reviewer_of_another_organisation_cannot_decide(world):
    application = submitted(world)
    with as_school(world.a), pytest.raises(ValidationError, match="只有该证书所属培训评价组织的审核员"):
        application_approve(application=application, actor=world.b.user(Role.REVIEWER))
    with as_org(world.b):
        assert not review_queue().filter(pk=application.pk).exists()


def test_editing_after_submission_is_refused(world):
    application = submitted(world)
    with as_school(world.a), pytest.raises(ValidationError, match="已提交.*不能修改"):
        application_update(
            application=application, actor=world.a.user(Role.SCHOOL_ADMIN), version=application.version, **full_form()
        )


def test_a_stale_version_never_silently_wins(world):
    application = draft(world.a, new_certificate(world.a))
    admin = world.a.user(Role.SCHOOL_ADMIN)
    seen = application.version
    with as_school(world.a):
        application_update(
            application=application, actor=admin, version=seen, **full_form(fields={"network": "第一个标签页"})
        )
        saved = fresh(application).version
        lines = len(entries_for(application))
        with pytest.raises(ValidationError, match="在您打开此页之后") as refused:
            application_update(
                application=application, actor=admin, version=seen, **full_form(fields={"network": "第二个标签页"})
            )
        assert admin.full_name in refused.value.messages[0]  # who saved since, and what
        assert f"第 {saved} 版" in refused.value.messages[0] and "网络情况" in refused.value.messages[0]
        with pytest.raises(ValidationError, match="在您打开此页之后.*申报尚未提交"):
            application_submit(application=application, actor=admin, version=seen)
        assert fresh(application).version == saved and len(entries_for(application)) == lines  # nothing changed
    assert fresh(application).network == "第一个标签页"
    with as_school(world.a):
        application = application_submit(application=application, actor=admin, version=fresh(application).version)
    with as_org(world.a), pytest.raises(ValidationError, match="在您打开此页之后.*您的审批尚未生效"):
        application_approve(application=application, actor=world.a.user(Role.REVIEWER), version=application.version - 1)
    assert fresh(application).status == S.SUBMITTED


def test_an_edit_is_recorded_with_the_fields_it_changed(world):
    application = draft(world.a, new_certificate(world.a))
    admin = world.a.user(Role.SCHOOL_ADMIN)
    with as_school(world.a):
        application = application_update(
            application=application,
            actor=admin,
            version=application.version,
            **full_form(
                fields={"network": "万兆局域网"}, rooms=[{"name": "新机房", "area": Decimal("90"), "workstations": 30}]
            ),
        )
        application = application_update(
            application=application,
            actor=admin,
            version=application.version,
            **full_form(
                fields={"network": "万兆局域网"}, rooms=[{"name": "新机房", "area": Decimal("90"), "workstations": 30}]
            ),
        )
    with scopes_disabled():
        changed, unchanged = list(entries_for(application).filter(action="exam_sites.application.updated"))[-2:]
    assert changed.actor == admin and changed.data["version"] == application.version - 1
    assert "network" in changed.data["fields"] and "rooms" in changed.data["fields"]
    assert unchanged.data == {"version": application.version, "fields": []}


def test_a_joint_application_names_its_lead_and_partners(world):
    application = draft(world.a, new_certificate(world.a), fields={"is_joint": True})
    with as_school(world.a):
        problems = " ".join(submission_problems(application))
    assert "牵头单位" in problems and "联合单位" in problems
    partners = [{"name": "合作企业", "address": "工业园 2 号", "contribution": "提供设备"}]
    with as_school(world.a):
        application = application_update(
            application=application,
            actor=world.a.user(Role.SCHOOL_ADMIN),
            version=application.version,
            **full_form(fields={"is_joint": True, "lead_school_name": "牵头学校"}, partners=partners),
        )
        assert submission_problems(application) == []


def test_one_open_application_per_certificate_and_kind(world):
    certificate = new_certificate(world.a)
    draft(world.a, certificate)
    with as_school(world.a), pytest.raises(ValidationError, match="未完成申报"):
        application_create(school=world.a.school, certificate=certificate, actor=world.a.user(Role.SCHOOL_ADMIN))


def test_reviewers_never_see_drafts(world):
    application = draft(world.a, new_certificate(world.a))
    with as_org(world.a):
        assert not review_queue().filter(pk=application.pk).exists()
        assert application.pk not in [e.application_id for e in recent_events(limit=100)]
        from django.http import Http404

        with pytest.raises(Http404):
            application_get(application_id=application.pk)
    with as_school(world.a):
        assert application_get(application_id=application.pk) == application


def test_a_reviewer_reads_the_history_from_the_submission_on_and_the_school_all_of_it(client, world):
    application = draft(world.a, new_certificate(world.a))
    with as_school(world.a):
        application = application_submit(
            application=application, actor=world.a.user(Role.SCHOOL_ADMIN), version=application.version
        )
    url = reverse("exam_sites:application_detail", args=[application.pk])
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    school = client.get(url).content.decode().split('data-testid="history"')[1]
    client.force_login(world.a.user(Role.REVIEWER))
    reviewer = client.get(url).content.decode().split('data-testid="history"')[1]
    assert "新建申报表" in school and "修改申报表" in school and "草稿 → 已提交" in school
    assert "新建申报表" not in reviewer and "修改申报表" not in reviewer and "草稿 → 已提交" in reviewer


def test_the_other_side_is_told_by_email_when_the_status_changes(world, django_capture_on_commit_callbacks):
    from accounts.models import User

    User.objects.filter(pk=world.a.user(Role.REVIEWER).pk).update(email="reviewer@example.org")
    User.objects.filter(pk=world.a.user(Role.SCHOOL_ADMIN).pk).update(email="admin@example.edu.cn")
    with django_capture_on_commit_callbacks(execute=True):
        application = submitted(world)
    assert [m.to for m in mail.outbox] == [["reviewer@example.org"]]
    assert "已提交" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True), as_org(world.a):
        application_return(application=application, actor=world.a.user(Role.REVIEWER), comment="请补充")
    assert mail.outbox[1].to == ["admin@example.edu.cn"] and "请补充" in mail.outbox[1].body
