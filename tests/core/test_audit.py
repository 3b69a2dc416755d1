"""The one audit log and the one version check, as a user (or the next developer) notices them."""

import pytest
from django.db import transaction
from django.utils import timezone, translation

from accounts.roles import Role
from core.audit import describe, entries_for, history, record
from core.concurrency import StaleVersionError, check_version
from core.models import AuditEntry
from core.scoping import ORGANISATION, SCHOOL, TenantRef, tenant_scope
from pilots.models import Pilot, PilotStatus

STARTED = {"from": PilotStatus.APPROVED, "to": PilotStatus.RUNNING, "comment": "开学"}


class ChangeFailedError(Exception):
    pass


def school_of(side):
    return TenantRef(SCHOOL, side.school.pk)


def org_of(side):
    return TenantRef(ORGANISATION, side.organisation.pk)


def visible(ref, entry) -> bool:
    with tenant_scope(ref):
        return AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db
def test_a_line_takes_its_tenants_from_the_object(world):
    pilot = world.a.objects["pilot"]
    with transaction.atomic():
        entry = record(pilot, "pilots.pilot.started", actor=world.a.user(Role.SCHOOL_ADMIN), data=STARTED)
    assert (entry.school_id, entry.organisation_id) == (world.a.school.pk, world.a.organisation.pk)
    assert (entry.actor, entry.data["comment"]) == (world.a.user(Role.SCHOOL_ADMIN), "开学")
    assert visible(school_of(world.a), entry) and visible(org_of(world.a), entry)
    assert not visible(school_of(world.b), entry) and not visible(org_of(world.b), entry)


@pytest.mark.django_db
def test_a_line_without_organisation_is_seen_by_the_school_only(world):
    pilot = world.a.objects["pilot"]
    with transaction.atomic():
        hidden = record(pilot, "pilots.pilot.started", data=STARTED, organisation=None)
    assert visible(school_of(world.a), hidden)
    assert not visible(org_of(world.a), hidden)
    assert not visible(school_of(world.b), hidden)
    with tenant_scope(org_of(world.a)):
        lines = history(pilot)
    assert hidden.pk not in [line.entry.pk for line in lines]
    assert [line.label for line in lines] == ["提交申报", "批准"]  # the lines it may see stay
    with tenant_scope(school_of(world.a)):
        assert history(pilot, newest_first=True)[0].entry == hidden


def test_recording_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="transaction"):
        record(Pilot(pk=1, school_id=1), "pilots.pilot.started", data=STARTED)


@pytest.mark.django_db
def test_a_line_is_rolled_back_with_its_change(world):
    pilot = world.a.objects["pilot"]
    with tenant_scope(school_of(world.a)):
        before = entries_for(pilot).count()
        with pytest.raises(ChangeFailedError), transaction.atomic():
            record(pilot, "pilots.pilot.started", data=STARTED)
            raise ChangeFailedError  # the change fails after its line was written
        assert entries_for(pilot).count() == before


def test_unknown_actions_are_refused():
    with pytest.raises(ValueError, match="unregistered"):
        record(Pilot(pk=1, school_id=1), "pilots.pilot.vanished", data={})


def test_describe_words_a_line_in_the_active_language():
    entry = AuditEntry(
        action="pilots.pilot.approved",
        data={"from": "applied", "to": "approved", "comment": "同意", "quota": 30},
    )
    with translation.override("zh-hans"):
        line = describe(entry)
        assert (line.label, line.detail) == ("批准", "申报中 → 已批准 · 试点指标 30 · 同意")
    with translation.override("en"):
        line = describe(entry)
        assert (line.label, line.detail) == ("Approve", "Pending approval → Approved · Quota 30 · 同意")


def test_describe_survives_an_old_line_and_an_unknown_action():
    with translation.override("zh-hans"):
        assert (describe(AuditEntry(action="pilots.pilot.started", data={})).label) == "开始实施"
        assert describe(AuditEntry(action="pilots.pilot.started", data={})).detail == ""
        assert describe(AuditEntry(action="old.thing.done", data={})).label == "old.thing.done"


@pytest.mark.django_db
def test_check_version_refuses_a_stale_version_naming_who_saved_and_when(world):
    pilot = world.a.objects["pilot"]
    reviewer = world.a.user(Role.REVIEWER)
    with tenant_scope(school_of(world.a)):
        last = entries_for(pilot).order_by("-at", "-id").first()
        check_version(pilot, 2, current_version=2)  # the current version passes
        with pytest.raises(StaleVersionError) as refused:
            check_version(pilot, 1, current_version=2)
    message = " ".join(refused.value.messages)
    assert last.actor == reviewer and reviewer.full_name in message
    assert f"{timezone.localtime(last.at):%Y-%m-%d %H:%M}" in message
    assert f"批准{world.a.marker}" in message  # what the other saved
    assert refused.value.current_version == 2 and refused.value.current == pilot
