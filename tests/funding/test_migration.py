"""The old FundingEvent rows move to the one audit log with their actor, time, school and values."""

from __future__ import annotations

from datetime import datetime
from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.roles import Role
from core.audit import describe, entries_for

pytestmark = pytest.mark.django_db

MIGRATION = import_module("funding.migrations.0006_funding_events_to_audit_log")


@pytest.fixture
def old_apps():
    """The models as they were before the move, with the FundingEvent table back for the test."""
    state = MigrationExecutor(connection).loader.project_state(
        [("funding", "0005_project_version"), ("core", "0002_audit_entry")]
    )
    with connection.schema_editor() as editor:
        editor.create_model(state.apps.get_model("funding", "FundingEvent"))
    return state.apps


def test_old_events_keep_their_values_and_read_as_before(old_apps, world):
    project, admin = world.a.objects["funding_project"], world.a.user(Role.SCHOOL_ADMIN)
    at = timezone.make_aware(datetime(2023, 5, 4, 10, 20))
    event = old_apps.get_model("funding", "FundingEvent").objects
    by_admin = {"project_id": project.pk, "actor_id": admin.pk, "at": at}
    event.create(
        **by_admin,
        kind="line_created",
        detail="培训 · 展板：880.00 元",
        data={"line_id": 9, "new": {"category": "培训", "sub_project": "", "content": "展板", "amount": "880.00"}},
    )
    event.create(
        **by_admin,
        kind="line_updated",
        detail="培训 · 展板：预算金额（元） 880.00 → 500.00（低于已支出 600.00 元，原因：改为线上）",
        data={
            "line_id": 9,
            "old": {"amount": "880.00"},
            "new": {"amount": "500.00"},
            "spent": "600.00",
            "reason": "改为线上",
        },
    )
    MIGRATION.events_to_audit(old_apps, None)

    with scopes_disabled():
        created, updated = entries_for(project).filter(at=at).order_by("id")
    assert (created.action, updated.action) == ("funding.line.created", "funding.line.updated")
    for entry in (created, updated):
        assert (entry.actor_id, entry.at, entry.school_id, entry.organisation_id) == (
            admin.pk,
            at,
            world.a.school.pk,
            None,
        )
    # Complete data is worded anew; an edit, which kept only the changed values, keeps its words.
    assert "detail" not in created.data and describe(created).detail == "培训 · 展板：880.00 元"
    assert updated.data["old"] == {"amount": "880.00"} and updated.data["new"] == {"amount": "500.00"}
    assert updated.data["reason"] == "改为线上" and "改为线上" in describe(updated).detail
    assert describe(updated).label == "预算明细修改"
