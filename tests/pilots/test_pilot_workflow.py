from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from core.audit import entries_for
from core.models import Job
from core.scoping import ORGANISATION, SCHOOL, TenantRef, tenant_scope
from pilots.models import FeeStandard, Level, Pilot, PilotStatus
from pilots.services import (
    fee_standard_set,
    pilot_apply,
    pilot_approve,
    pilot_decline,
    pilot_finish,
    pilot_start,
)

pytestmark = pytest.mark.django_db


def school_of(side):
    return TenantRef(SCHOOL, side.school.pk)


def org_of(side):
    return TenantRef(ORGANISATION, side.organisation.pk)


def apply(side, **overrides):
    fields = {
        "school": side.school,
        "actor": side.user(Role.SCHOOL_ADMIN),
        "certificate": side.certificate,
        "level": Level.INTERMEDIATE,
        "year": 2025,
        "cohort": "students",
        "requested_quota": 40,
        "notes": "1个班在读",
    }
    fields.update(overrides)
    with tenant_scope(school_of(side)):
        return pilot_apply(**fields)


def test_a_pilot_goes_from_application_to_its_end_with_a_history(world):
    pilot = apply(world.a)
    assert pilot.status == PilotStatus.APPLIED and pilot.quota is None
    reviewer = world.a.user(Role.REVIEWER)
    with tenant_scope(org_of(world.a)):
        pilot = pilot_approve(pilot_id=pilot.pk, tenant=org_of(world.a), actor=reviewer, quota=30, comment="同意")
    assert (pilot.status, pilot.quota) == (PilotStatus.APPROVED, 30)
    with tenant_scope(school_of(world.a)):
        pilot_start(pilot_id=pilot.pk, tenant=school_of(world.a), actor=world.a.user(Role.SCHOOL_ADMIN))
        pilot = pilot_finish(pilot_id=pilot.pk, tenant=school_of(world.a), actor=world.a.user(Role.SCHOOL_ADMIN))
        events = [(e.action, e.data["from"], e.data["to"], e.actor_id) for e in entries_for(pilot).order_by("at", "id")]
    assert pilot.status == PilotStatus.FINISHED
    assert events == [
        ("pilots.pilot.submitted", "", "applied", world.a.user(Role.SCHOOL_ADMIN).pk),
        ("pilots.pilot.approved", "applied", "approved", reviewer.pk),
        ("pilots.pilot.started", "approved", "running", world.a.user(Role.SCHOOL_ADMIN).pk),
        ("pilots.pilot.finished", "running", "finished", world.a.user(Role.SCHOOL_ADMIN).pk),
    ]


def test_a_school_cannot_approve_its_own_pilot(world, client):
    pilot = apply(world.a)
    with tenant_scope(school_of(world.a)), pytest.raises(ValidationError):
        pilot_approve(pilot_id=pilot.pk, tenant=school_of(world.a), actor=world.a.user(Role.SCHOOL_ADMIN), quota=10)
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    response = client.post(reverse("pilots:pilot_approve", args=[pilot.pk]), {"quota": 10})
    assert response.status_code == 403
    assert Pilot._base_manager.get(pk=pilot.pk).status == PilotStatus.APPLIED


def test_a_reviewer_of_another_organisation_cannot_approve(world, client):
    pilot = apply(world.a)
    with tenant_scope(org_of(world.b)), pytest.raises(Pilot.DoesNotExist):
        pilot_approve(pilot_id=pilot.pk, tenant=org_of(world.b), actor=world.b.user(Role.REVIEWER), quota=10)
    client.force_login(world.b.user(Role.REVIEWER))
    assert client.post(reverse("pilots:pilot_approve", args=[pilot.pk]), {"quota": 10}).status_code == 404


def test_the_granted_quota_may_be_lower_but_never_above_the_request(world):
    pilot = apply(world.a, requested_quota=20)
    with tenant_scope(org_of(world.a)):
        with pytest.raises(ValidationError, match="不能超过申报人数"):
            pilot_approve(pilot_id=pilot.pk, tenant=org_of(world.a), actor=None, quota=21)
        assert pilot_approve(pilot_id=pilot.pk, tenant=org_of(world.a), actor=None, quota=12).quota == 12


def test_illegal_steps_are_refused(world):
    pilot = apply(world.a)
    with tenant_scope(school_of(world.a)), pytest.raises(ValidationError, match="不能执行此操作"):
        pilot_start(pilot_id=pilot.pk, tenant=school_of(world.a), actor=None)
    with tenant_scope(org_of(world.a)):
        with pytest.raises(ValidationError, match="理由"):
            pilot_decline(pilot_id=pilot.pk, tenant=org_of(world.a), actor=None, reason=" ")
        pilot_decline(pilot_id=pilot.pk, tenant=org_of(world.a), actor=None, reason="师资不足")
        with pytest.raises(ValidationError):
            pilot_approve(pilot_id=pilot.pk, tenant=org_of(world.a), actor=None, quota=5)
        last = entries_for(pilot).order_by("at", "id").last()
        assert (last.action, last.data["comment"]) == ("pilots.pilot.declined", "师资不足")


def test_the_same_pilot_cannot_be_applied_for_twice_but_can_after_a_decline(world):
    pilot = apply(world.a)
    with pytest.raises(ValidationError, match="已申报过"):
        apply(world.a)
    with tenant_scope(org_of(world.a)):
        pilot_decline(pilot_id=pilot.pk, tenant=org_of(world.a), actor=None, reason="下年度再报")
    assert apply(world.a).status == PilotStatus.APPLIED


def test_a_school_applies_and_the_reviewer_approves_through_the_pages(world, client):
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    response = client.post(
        reverse("pilots:pilot_apply"),
        {
            "certificate": world.a.certificate.pk,
            "level": Level.ADVANCED,
            "year": 2026,
            "cohort": "social",
            "requested_quota": 25,
            "notes": "企业员工",
        },
    )
    assert response.status_code == 302
    pilot = Pilot._base_manager.get(school=world.a.school, year=2026, level=Level.ADVANCED)
    client.force_login(world.a.user(Role.REVIEWER))
    page = client.get(reverse("pilots:pilot_detail", args=[pilot.pk])).content.decode()
    assert "批准并核定试点指标" in page
    response = client.post(reverse("pilots:pilot_approve", args=[pilot.pk]), {"quota": 20, "comment": "核定20人"})
    assert response.status_code == 302
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    page = client.get(reverse("pilots:pilot_detail", args=[pilot.pk])).content.decode()
    assert "核定20人" in page and "批准并核定试点指标" not in page
    assert 'data-testid="pilot-quota">20<' in page and 'data-testid="pilot-remaining">20<' in page


def test_the_pilot_page_shows_its_history_from_the_audit_log(world, client):
    pilot = apply(world.a, notes="两个班")
    with tenant_scope(org_of(world.a)):
        pilot_decline(pilot_id=pilot.pk, tenant=org_of(world.a), actor=world.a.user(Role.REVIEWER), reason="师资不足")
    for role in (Role.SCHOOL_ADMIN, Role.REVIEWER):
        client.force_login(world.a.user(role))
        page = client.get(reverse("pilots:pilot_detail", args=[pilot.pk])).content.decode()
        history = page.split('data-testid="history"')[1]
        assert "办理记录" in page and "提交申报" in history and "申报中 · 两个班" in history
        assert "不予批准" in history and "申报中 → 未通过 · 师资不足" in history
        assert world.a.user(Role.REVIEWER).full_name in history


def test_the_list_filters_and_each_tenant_sees_only_its_own(world, client):
    apply(world.a, year=2027)
    client.force_login(world.a.user(Role.TEACHER))
    page = client.get(reverse("pilots:pilot_list"), {"year": 2027}).content.decode()
    assert "2027" in page and "2024" not in page.split("<tbody>")[1]
    client.force_login(world.b.user(Role.REVIEWER))
    page = client.get(reverse("pilots:pilot_list")).content.decode().split("<tbody>")[1]
    assert world.a.certificate.name not in page and world.b.certificate.name in page
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    page = client.get(reverse("pilots:pilot_list"), {"status": "declined"}).content.decode()
    assert "没有符合条件的试点" in page


def test_the_filtered_pilot_list_exports(world, client, django_capture_on_commit_callbacks):
    client.force_login(world.a.user(Role.SCHOOL_ADMIN))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pilots:pilot_export") + "?year=2024")
    assert response.status_code == 302
    job = Job._base_manager.filter(owner=world.a.user(Role.SCHOOL_ADMIN), kind="export").latest("id")
    with job.result.file.open("rb") as handle:
        rows = list(load_workbook(handle).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("年份", "学校", "证书")
    assert rows[1][0] == 2024 and rows[1][6] == 30 and rows[1][7] == 1 and len(rows) == 2


def test_reviewers_maintain_only_their_own_organisations_fees(world, client):
    fee = {"level": Level.ELEMENTARY, "fee": Decimal("200"), "effective_from": date(2025, 1, 1)}
    with pytest.raises(ValidationError):
        fee_standard_set(tenant=org_of(world.a), certificate=world.b.certificate, **fee)
    with pytest.raises(ValidationError):
        fee_standard_set(tenant=school_of(world.a), certificate=world.a.certificate, **fee)
    client.force_login(world.a.user(Role.REVIEWER))
    data = {"certificate": world.b.certificate.pk, "level": "elementary", "fee": "1", "effective_from": "2025-01-01"}
    assert client.post(reverse("pilots:fee_create"), data).status_code == 400
    data["certificate"] = world.a.certificate.pk
    assert client.post(reverse("pilots:fee_create"), data).status_code == 302
    assert FeeStandard.objects.get(certificate=world.a.certificate, effective_from=date(2025, 1, 1)).fee == 1


def test_staff_read_a_pilots_steps_in_the_admin(world, client):
    client.force_login(world.platform_admin)
    page = client.get(reverse("admin:pilots_pilot_change", args=[world.a.objects["pilot"].pk])).content.decode()
    assert "办理记录" in page and f"申报中 → 已批准 · 试点指标 30 · 批准{world.a.marker}" in page
