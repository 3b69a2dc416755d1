"""The application's A4 PDF: labels and values, the paper's boxes and notes, caching, and injection."""

from __future__ import annotations

import subprocess

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.roles import Role
from core import pdf
from core.models import Job, StoredFile
from exam_sites.services.applications import (
    application_approve,
    application_pdf,
    application_submit,
    application_update,
)
from tests.exam_sites.helpers import as_org, as_school, draft, full_form, new_certificate

pytestmark = pytest.mark.django_db


def pdf_text(stored: StoredFile) -> str:
    with stored.file.open("rb") as handle:
        data = handle.read()
    result = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return result.stdout.decode()


def flat(text: str) -> str:
    return "".join(text.split())


def test_the_pdf_prints_every_label_and_value_of_the_paper_form(world):
    partners = [{"name": "示例合作企业", "address": "工业园 2 号", "contribution": "提供考核设备"}]
    application = draft(
        world.a,
        new_certificate(world.a),
        fields={"is_joint": True, "lead_school_name": "示例牵头学校"},
        partners=partners,
    )
    with as_school(world.a):
        text = flat(pdf_text(application_pdf(application_id=application.pk, owner_id=None)))
    for label in (
        "职业技能等级证书考点申报表",
        "单位名称",
        "地址",
        "是否试点院校",
        "申报类型",
        "申报考核等级",
        "每天最大考核量",
        "预计考核人数",
        "考点负责人",
        "考核工作日常联系人",
        "考试服务平台管理员",
        "微信号",
        "单位简介",
        "场地和设备情况",
        "面积（平方米）",
        "计算机配置",
        "软件及授权",
        "网络情况",
        "其他情况",
        "组织机构",
        "考务团队",
        "管理制度",
        "工作机制",
        "联合申报",
        "申请单位意见",
        "培训评价组织审批意见",
        "以上内容可附页说明",
        "本申请表一式三份",
        "如有疑问，请联系",
    ):
        assert flat(label) in text, label
    for value in (
        "测试职业学校",
        "测试市学府路1号",
        "联系人1",
        "c2@example.edu.cn",
        "wx3",
        "301机房",
        "120.5",
        "中望CAD40套",
        "示例合作企业",
        "提供考核设备",
        "示例牵头学校",
    ):
        assert value in text, value
    assert "☑考点" in text and "☐省指导中心" in text
    assert "☑初级" in text and "☐中级" in text and "☑高级" in text
    assert "第1页共" in text


def test_an_approved_application_shows_the_decision_and_date(world):
    application = draft(world.a, new_certificate(world.a))
    with as_school(world.a):
        application = application_submit(
            application=application, actor=world.a.user(Role.SCHOOL_ADMIN), version=application.version
        )
    with as_org(world.a):
        application = application_approve(
            application=application, actor=world.a.user(Role.REVIEWER), comment="材料齐全"
        )
        text = flat(pdf_text(application_pdf(application_id=application.pk, owner_id=None)))
    assert "同意设立考点" in text and "材料齐全" in text
    assert f"{application.decided_at:%Y}年" in text


def test_the_same_version_renders_once_and_an_edit_renders_anew(world, monkeypatch):
    calls = []
    original = pdf.html_to_pdf
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html: calls.append(1) or original(html))
    application = draft(world.a, new_certificate(world.a))
    with as_school(world.a):
        first = application_pdf(application_id=application.pk, owner_id=None)
        second = application_pdf(application_id=application.pk, owner_id=None)
        assert first.pk == second.pk and len(calls) == 1
        application_update(
            application=application, actor=world.a.user(Role.SCHOOL_ADMIN), version=application.version, **full_form()
        )
        third = application_pdf(application_id=application.pk, owner_id=None)
    assert third.pk != first.pk and len(calls) == 2


def test_user_text_is_printed_as_text_and_never_fetched(world, monkeypatch):
    fetched = []
    original_fetch = pdf.StaticOnlyFetcher.fetch
    monkeypatch.setattr(
        pdf.StaticOnlyFetcher,
        "fetch",
        lambda self, url, headers=None: fetched.append(url) or original_fetch(self, url, headers),
    )
    payloads = ['<img src="file:///etc/passwd">', "http://127.0.0.1:9/x.png", "</td></tr></table>"]
    application = draft(
        world.a,
        new_certificate(world.a),
        fields={
            "unit_name": payloads[2] + "学校",
            "profile": payloads[0],
            "network": payloads[1],
            "mechanism": "\n".join(payloads),
        },
        rooms=[{"name": '<img src="http://127.0.0.1:9/x.png">', "area": 10, "workstations": 1}],
    )
    with as_school(world.a):
        text = pdf_text(application_pdf(application_id=application.pk, owner_id=None))
    for payload in payloads:
        assert flat(payload) in flat(text), payload
    assert "root:" not in text
    assert all(url.startswith(pdf.BASE_URL + "static/") for url in fetched), fetched


def test_school_and_reviewer_both_get_the_pdf_through_a_job(client, world, django_capture_on_commit_callbacks):
    application = draft(world.a, new_certificate(world.a))
    with as_school(world.a):
        application_submit(application=application, actor=world.a.user(Role.SCHOOL_ADMIN), version=application.version)
    for role in (Role.SCHOOL_ADMIN, Role.TEACHER, Role.REVIEWER):
        client.force_login(world.a.user(role))
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("exam_sites:application_pdf", args=[application.pk]))
        assert response.status_code == 302 and "/core/jobs/" in response["Location"]
        page = client.get(response["Location"])
        status = client.get(reverse("core:job_status", args=[page.context["job"].pk])).json()
        assert status["state"] == "done", status
        download = client.get(status["download"])
        assert download["Content-Type"] == "application/pdf"
        with scopes_disabled():
            job = Job.objects.get(pk=page.context["job"].pk)
            assert "测试职业学校" in pdf_text(job.result)
    client.force_login(world.b.user(Role.REVIEWER))
    assert client.post(reverse("exam_sites:application_pdf", args=[application.pk])).status_code == 404


def test_a_rendering_failure_is_shown_and_can_be_retried(
    client, world, monkeypatch, django_capture_on_commit_callbacks
):
    application = draft(world.a, new_certificate(world.a))
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))

    def broken(html):
        raise OSError("font missing")

    monkeypatch.setattr(pdf, "html_to_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exam_sites:application_pdf", args=[application.pk]))
    job_id = int(response["Location"].rstrip("/").split("/")[-1])
    status = client.get(reverse("core:job_status", args=[job_id])).json()
    assert status["state"] == "failed" and "重试" in status["error"]
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("core:job_retry", args=[job_id]))
    assert client.get(reverse("core:job_status", args=[job_id])).json()["state"] == "done"
